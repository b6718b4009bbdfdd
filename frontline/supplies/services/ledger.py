"""The ledger: every move with the balances it changes, locked, checked and written together."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, QuerySet
from django.db.models.functions import Round
from django.utils import timezone

from frontline.core.audit import audit_record, audited_insert_if
from frontline.core.compiled import compiled_query, compiled_update
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at, user_can
from frontline.supplies.models import (
    QTY_MAX,
    AllocationLine,
    Donation,
    Item,
    Move,
    MoveKind,
    Source,
    Stock,
    Warehouse,
)
from frontline.supplies.services.catalogue import quantity_in_base
from frontline.supplies.services.common import _digest, _fmt, _key_clean, _repeat


@dataclass(frozen=True)
class Change:
    """A change of one balance: + into, − out of a warehouse, in base units."""

    warehouse: Warehouse
    item: Item
    delta: Decimal


@compiled_update(stand_ins=(-918_273_645, -918_273_646, Decimal("-918273.647")))
def _balance_guard(warehouse_id: int, item_id: int, delta: Decimal) -> tuple[QuerySet, dict]:
    """The balance row of this pair changed by `delta`, only if it can take it: neither
    below zero nor above the limit. A conditional UPDATE, which PostgreSQL re-checks on the
    row's latest version when another draw committed first (so two draws on the last boxes
    cannot both pass); SQLite has one writer at a time. Compiled once per process."""
    # Rounded to the ledger's three places: SQLite keeps decimals as floats, where
    # 0.3 − 0.1 − 0.1 − 0.1 is −2.8e-17 and the last 0.1 would be refused as short, and
    # the float error would build up in the stored balance. PostgreSQL's numeric is exact,
    # and rounding a three-place value there changes nothing.
    after = Round(F("quantity") + delta, 3)
    rows = Stock.objects.filter(warehouse_id=warehouse_id, item_id=item_id)
    return rows.alias(after=after).filter(after__range=(0, QTY_MAX)), {"quantity": after}


def _refusal(warehouse: Warehouse, item: Item, delta: Decimal) -> str | None:
    """Why the balance did not take `delta` (its guard matched no row): the item, what the
    warehouse has and the shortfall, or the limit. None when the pair had no balance row
    yet and `delta` adds: the row is made now, and the change can be tried again."""
    have = (
        Stock.objects.filter(warehouse_id=warehouse.pk, item_id=item.pk)
        .order_by()
        .values_list("quantity", flat=True)
        .first()
    )
    return _why(warehouse, item, delta, have)


def _why(warehouse: Warehouse, item: Item, delta: Decimal, have: Decimal | None) -> str | None:
    """_refusal's answer from the balance read (None: the pair has no balance row)."""
    if have is None and delta > 0:
        Stock.objects.get_or_create(warehouse_id=warehouse.pk, item_id=item.pk)
        return None
    have = have or Decimal(0)
    if delta > 0:
        return "库存将超出上限"
    need = -delta
    return (
        f"{item.name}库存不足：{warehouse.name}现有 {_fmt(have)}{item.base_unit}，"
        f"需要 {_fmt(need)}{item.base_unit}，缺 {_fmt(need - have)}{item.base_unit}"
    )


# A refused issue reads the balance and whether the key was already used in one query,
# its SQL compiled once per process with the fast paths on.
@compiled_query(stand_ins=(-918_273_645, -918_273_646, -918_273_647, "~stand-in~"))
def _balance_and_key(warehouse_id: int, item_id: int, actor_id: int, key: str) -> QuerySet:
    """[(quantity, whether this user has a move with this key)] of the pair's balance row
    (empty when it has none)."""
    # The key's partial index holds no empty key: said here too, so that a prepared
    # statement's generic plan (core.fastpaths) can use it rather than read every move
    # the keeper made. (With no key, `used` is not asked.)
    used = Move.objects.filter(created_by_id=actor_id, idempotency_key=key).exclude(
        idempotency_key=""
    )
    return (
        Stock.objects.filter(warehouse_id=warehouse_id, item_id=item_id)
        .order_by()
        .annotate(used=Exists(used))
        .values_list("quantity", "used")
    )


def _apply(changes: list[Change]) -> None:
    """Change every balance touched, each by a conditional UPDATE, in (warehouse, item)
    order (so that two transfers in opposite directions cannot deadlock); any that would go
    below zero is refused with the item and the shortfall (nothing is written: the caller's
    transaction rolls back). Runs inside the caller's atomic, as its last writes: a row is
    locked from its update to the commit only."""
    totals: dict[tuple[int, int], Decimal] = {}
    named: dict[tuple[int, int], Change] = {}
    for change in changes:
        key = (change.warehouse.pk, change.item.pk)
        totals[key] = totals.get(key, Decimal(0)) + change.delta
        named.setdefault(key, change)
    refused = []
    for key in sorted(totals):
        delta, change = totals[key], named[key]
        if _balance_guard(*key, delta).run():
            continue
        why = _refusal(change.warehouse, change.item, delta)
        if why is None and _balance_guard(*key, delta).run():
            continue
        refused.append(why)
    if refused:
        raise ValidationError({"quantity": refused})


def _move_changes(move: Move) -> list[Change]:
    if move.kind == MoveKind.TRANSFER:
        return [
            Change(move.warehouse, move.item, -move.quantity),
            Change(move.to_warehouse, move.item, move.quantity),
        ]
    sign = -1 if move.kind == MoveKind.ISSUE else 1
    return [Change(move.warehouse, move.item, sign * move.quantity)]


def move_record(
    *,
    actor: User,
    kind: str,
    warehouse: Warehouse,
    item: Item,
    quantity,
    unit: str = "",
    to_warehouse: Warehouse | None = None,
    recipient_node: Node | None = None,
    source: str = "",
    reason: str = "",
    idempotency_key: str = "",
    day: date | None = None,
) -> tuple[Move, bool]:
    """Record one move (receipt, issue, transfer, adjustment) and its balance change.

    Returns (move, created). The same key from the same user with the same body answers
    the stored move; with another body it is refused (IdempotencyConflict). An
    adjustment's quantity may be negative (a count found less) and needs a reason.
    """
    key = _key_clean(idempotency_key)
    digest = _digest(
        {
            "kind": kind,
            "warehouse": warehouse.pk,
            "item": item.pk,
            "quantity": str(quantity),
            "unit": unit,
            "to": to_warehouse.pk if to_warehouse else None,
            "recipient": recipient_node.pk if recipient_node else None,
            "source": source,
            "reason": reason,
        }
    )
    # No look-up first: the key's unique constraint refuses a repeat at the insert (the
    # first write), and only then is the stored move read — one round trip less per move.
    # _move_insert is atomic itself (one statement, or one transaction).
    try:
        move = _move_insert(
            actor=actor,
            kind=kind,
            warehouse=warehouse,
            item=item,
            quantity=quantity,
            unit=unit,
            to_warehouse=to_warehouse,
            recipient_node=recipient_node,
            source=source,
            reason=reason,
            key=key,
            digest=digest,
            day=day,
        )
    except IntegrityError:
        # A repeat, or the same key committed first by a second tap on another connection.
        stored = _repeat(Move, actor, key, digest)
        if stored is None:
            raise
        return stored, False
    return move, True


def _move_insert(
    *,
    actor: User,
    kind: str,
    warehouse: Warehouse,
    item: Item,
    quantity,
    unit: str,
    to_warehouse: Warehouse | None = None,
    recipient_node: Node | None = None,
    source: str = "",
    reason: str = "",
    key: str = "",
    digest: str = "",
    day: date | None = None,
    donation: Donation | None = None,
    allocation_line: AllocationLine | None = None,
) -> Move:
    require_permission_at(actor, "supplies.keep", warehouse.node)
    if kind not in MoveKind.values:
        raise ValidationError({"kind": "类型只能是入库、出库、调拨或盘点调整"})
    reason = (reason or "").strip()
    negative = False
    if kind == MoveKind.ADJUSTMENT:
        text = str(quantity).strip()
        negative = text.startswith("-")
        quantity = text.removeprefix("-")
        if not reason:
            raise ValidationError({"reason": "盘点调整须写明原因"})
    base = quantity_in_base(item, quantity, unit)
    if negative:
        base = -base
    if kind == MoveKind.RECEIPT:
        if source not in Source.values:
            raise ValidationError({"source": "入库须选择来源：捐赠、采购或上级协调"})
    else:
        source = ""
    if kind == MoveKind.TRANSFER:
        if to_warehouse is None:
            raise ValidationError({"to_warehouse": "调拨须选择调入仓库"})
        if to_warehouse.pk == warehouse.pk:
            raise ValidationError({"to_warehouse": "调入仓库不能与调出仓库相同"})
        require_permission_at(actor, "supplies.keep", to_warehouse.node)
    else:
        to_warehouse = None
    if kind == MoveKind.ISSUE:
        if recipient_node is None:
            raise ValidationError({"recipient_node": "出库须选择领用单位"})
        if not user_can(actor, "nodes.view", recipient_node):
            raise ValidationError({"recipient_node": "领用单位不在您的辖区内"})
    else:
        recipient_node = None
    move = Move(
        kind=kind,
        warehouse=warehouse,
        item=item,
        quantity=base,
        entered_quantity=Decimal(str(quantity).strip()) * (-1 if negative else 1),
        unit=(unit or "").strip() or item.base_unit,
        source=source,
        to_warehouse=to_warehouse,
        recipient_node=recipient_node,
        reason=reason,
        donation=donation,
        allocation_line=allocation_line,
        day=day or timezone.localdate(),
        created_by=actor,
        idempotency_key=key,
        request_digest=digest,
    )
    # The fields' own checks; the table's (quantity non-zero, one key per user) are the
    # database's, and each validated here would be one more round trip.
    move.full_clean(
        exclude=["warehouse", "item", "created_by", "to_warehouse", "recipient_node"],
        validate_constraints=False,
    )
    audit = {
        "actor": actor,
        "action": "supplies.move.create",
        "node": warehouse.node,
        "fields": ["kind", "item", "quantity", "unit", "source", "to_warehouse", "recipient_node"],
    }
    changes = _move_changes(move)
    if len(changes) > 1:
        # A transfer: the move and its audit row first, the balances last, so that each
        # balance row is locked only from its update to the commit; a refusal rolls back all.
        with transaction.atomic():
            move.save(force_insert=True)
            audit_record(obj=move, **audit)
            _apply(changes)
        return move
    # One balance: the move, its audit row and the balance's conditional update together
    # (one statement on PostgreSQL with core.fastpaths on; else the update last in one
    # transaction) — written only if the balance covers the draw.
    (change,) = changes
    w, i, delta = change.warehouse.pk, change.item.pk, change.delta
    for _ in range(2):  # a second time only when the pair's balance row had to be made
        if audited_insert_if(move, guard=_balance_guard(w, i, delta), **audit):
            return move
        # The balance and the key in one read (the key alone only if the pair has no row).
        found = _balance_and_key(w, i, actor.pk, key)
        have, used = found[0] if found else (None, None)
        why = _why(change.warehouse, change.item, delta, have)
        if why is not None:
            # In one statement the guard comes before the insert, so a repeated key meets
            # no unique constraint once the stock ran out: a repeat answers the stored move.
            if key and used is None:
                used = Move.objects.filter(created_by=actor, idempotency_key=key).exists()
            if key and used:
                raise IntegrityError("supplies_move_idempotency")
            raise ValidationError({"quantity": [why]})
    raise ValidationError({"quantity": ["库存未能更新，请重试"]})
