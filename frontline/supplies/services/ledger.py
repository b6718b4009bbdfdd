"""The ledger: every move with the balances it changes, locked, checked and written together."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from frontline.core.audit import audit_record
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


def _locked_balances(keys: list[tuple[int, int]]) -> dict[tuple[int, int], Stock]:
    """The balance rows of these (warehouse, item) pairs, locked in primary-key order (so
    that two transfers in opposite directions cannot deadlock); rows missing are made
    first. One statement when every row exists, the usual case."""
    match = reduce(or_, (Q(warehouse_id=w, item_id=i) for w, i in keys))
    query = Stock.objects.select_for_update().filter(match).order_by("pk")
    locked = {(s.warehouse_id, s.item_id): s for s in query}
    missing = [key for key in keys if key not in locked]
    if missing:
        for warehouse_id, item_id in missing:
            Stock.objects.get_or_create(warehouse_id=warehouse_id, item_id=item_id)
        locked = {(s.warehouse_id, s.item_id): s for s in query.all()}
    return locked


def _apply(changes: list[Change]) -> None:
    """Lock every balance row touched, refuse any that would go below zero with the item
    and the shortfall, then update each. Runs inside the caller's atomic, as its last
    writes: the row locks are held only from here to the commit."""
    totals: dict[tuple[int, int], Decimal] = {}
    for change in changes:
        key = (change.warehouse.pk, change.item.pk)
        totals[key] = totals.get(key, Decimal(0)) + change.delta
    locked = _locked_balances(list(totals))
    short = []
    for change in changes:
        key = (change.warehouse.pk, change.item.pk)
        have = locked[key].quantity
        if key in totals and have + totals[key] < 0:
            need = -totals.pop(key)
            short.append(
                f"{change.item.name}库存不足：{change.warehouse.name}现有 {_fmt(have)}"
                f"{change.item.base_unit}，需要 {_fmt(need)}{change.item.base_unit}，"
                f"缺 {_fmt(need - have)}{change.item.base_unit}"
            )
    if short:
        raise ValidationError({"quantity": short})
    for key, delta in totals.items():
        if delta > QTY_MAX - locked[key].quantity:
            raise ValidationError({"quantity": "库存将超出上限"})
        Stock.objects.filter(pk=locked[key].pk).update(quantity=F("quantity") + delta)


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
    try:
        with transaction.atomic():
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
    # The move and its audit row first, the balance last: the balance row is locked only
    # for its check and update until the commit, and a refusal rolls all three back.
    # (Not core.audit.audited_insert: inside a transaction it adds a savepoint, two round
    # trips more for the one it saves.)
    move.save(force_insert=True)
    audit_record(
        actor=actor,
        action="supplies.move.create",
        obj=move,
        node=warehouse.node,
        fields=["kind", "item", "quantity", "unit", "source", "to_warehouse", "recipient_node"],
    )
    _apply(_move_changes(move))
    return move
