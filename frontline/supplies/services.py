"""Writes for supplies, donations, requests and funds: one transaction each, audited.

The ledger rule: a move and the balance it changes are written together. Every balance
row a move touches is locked (SELECT … FOR UPDATE, in primary-key order so that two
transfers in opposite directions cannot deadlock), checked, then updated; a draw that
would go below zero is refused naming the item and the shortfall, and nothing is written.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at, scope_root, user_can
from frontline.people import public as people
from frontline.supplies.models import (
    QTY_MAX,
    Allocation,
    AllocationLine,
    Disbursement,
    Donation,
    DonationLine,
    DonorKind,
    Drive,
    Fund,
    FundReceipt,
    Item,
    ItemUnit,
    Move,
    MoveKind,
    RequesterKind,
    RequestLine,
    Source,
    Stock,
    SupplyRequest,
    Warehouse,
)

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
ALLOCATION_RULE = "优先保障企业防疫需求；其次按需要日期先后；再按申请时间先后"


class IdempotencyConflict(ValidationError):
    """The same idempotency key was used by this user for a different request (API: 409)."""


def _digest(payload: dict) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def _key_clean(key: str) -> str:
    key = (key or "").strip()
    if len(key) > 64:
        raise ValidationError({"idempotency_key": "请求编号（idempotency_key）不能超过 64 个字符"})
    return key


def _repeat(model, actor: User, key: str, digest: str):
    """The row this user already stored with this key, or None; another body is a conflict."""
    if not key:
        return None
    stored = model.objects.filter(created_by=actor, idempotency_key=key).first()
    if stored is not None and stored.request_digest != digest:
        raise IdempotencyConflict(
            {"idempotency_key": "这个请求编号已用于另一笔不同的登记，请刷新后重新提交"}
        )
    return stored


def _fmt(value: Decimal) -> str:
    text = f"{value.quantize(MILLI).normalize():f}"
    return text


# ---------------------------------------------------------------- catalogue


def _units_clean(base_unit: str, units) -> dict[str, Decimal]:
    """Other units by name (盒 → 50): none named twice, none the base unit, each a factor."""
    found: dict[str, Decimal] = {}
    for unit_name, factor in units:
        unit_name = (unit_name or "").strip()
        if not unit_name:
            raise ValidationError({"units": "换算单位须写单位名称，如 盒=50"})
        if unit_name in found or unit_name == base_unit:
            raise ValidationError({"units": f"单位“{unit_name}”重复"})
        found[unit_name] = Decimal(factor)
    return found


def _unit_save(item: Item, name: str, factor: Decimal) -> ItemUnit:
    unit = ItemUnit(item=item, name=name, factor=factor)
    try:
        unit.full_clean(exclude=["item"])
    except ValidationError as error:
        raise ValidationError(
            {"units": [f"{name}：{m}" for m in error.message_dict.get("factor", error.messages)]}
        ) from None
    unit.save()
    return unit


@transaction.atomic
def item_create(
    *,
    actor: User,
    name: str,
    base_unit: str,
    code: str = "other",
    countable: bool = True,
    units: list[tuple[str, Decimal]] = (),
    node: Node | None = None,
) -> Item:
    """Add an item to the catalogue with its base unit and other units (箱 = 2000 只),
    kept by `node` (by default the outermost node where the actor keeps stores)."""
    node = node if node is not None else scope_root(actor, "supplies.keep")
    if node is None:
        raise ValidationError("只有物资管理员可以维护物资目录")
    require_permission_at(actor, "supplies.keep", node)
    item = Item(
        name=name.strip(), base_unit=base_unit.strip(), code=code, countable=countable, node=node
    )
    item.full_clean()
    found = _units_clean(item.base_unit, units)
    item.save()
    for unit_name, factor in found.items():
        _unit_save(item, unit_name, factor)
    audit_record(
        actor=actor,
        action="supplies.item.create",
        obj=item,
        node=node,
        fields=["name", "base_unit", "code", "units"],
    )
    return item


def _unit_used(item: Item, unit: str) -> bool:
    return Move.objects.filter(item=item, unit=unit).exists()


@transaction.atomic
def item_update(
    *,
    actor: User,
    item: Item,
    name: str,
    base_unit: str,
    code: str,
    countable: bool,
    units: list[tuple[str, Decimal]],
) -> list[str]:
    """Edit a catalogue entry; returns the names of the fields that changed.

    The ledger holds base-unit quantities, so what it has already counted stays true: the
    base unit cannot change once the item has moved, nor a unit the ledger has used be
    removed or converted differently; new units may always be added."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.node_id is None:
        # No keeper node: "at no node" would read as "anywhere" to the permission check.
        raise PermissionDenied("这个物资没有维护单位，不能修改")
    require_permission_at(actor, "supplies.keep", item.node)
    changed = []
    base_unit = base_unit.strip()
    moved = Move.objects.filter(item=item).exists()
    if base_unit != item.base_unit and moved:
        raise ValidationError({"base_unit": f"{item.name}已有台账记录，基本单位不能修改"})
    for field, value in (
        ("name", name.strip()),
        ("base_unit", base_unit),
        ("code", code),
        ("countable", countable),
    ):
        if getattr(item, field) != value:
            setattr(item, field, value)
            changed.append(field)
    item.full_clean(exclude=["node"])
    wanted = _units_clean(item.base_unit, units)
    current = {unit.name: unit for unit in item.units.all()}
    for unit_name, unit in current.items():
        if wanted.get(unit_name) == unit.factor:
            continue
        if _unit_used(item, unit_name):
            verb = "删除" if unit_name not in wanted else "改换算"
            raise ValidationError(
                {
                    "units": f"台账已用过“{unit_name}”（1{unit_name} = {_fmt(unit.factor)}"
                    f"{item.base_unit}），不能{verb}"
                }
            )
        unit.delete()
        if "units" not in changed:
            changed.append("units")
    for unit_name, factor in wanted.items():
        if unit_name in current and current[unit_name].factor == factor:
            continue
        _unit_save(item, unit_name, factor)
        if "units" not in changed:
            changed.append("units")
    if not changed:
        return []
    item.save()
    audit_record(
        actor=actor, action="supplies.item.update", obj=item, node=item.node, fields=changed
    )
    return changed


def quantity_in_base(item: Item, quantity, unit: str) -> Decimal:
    """What the keeper typed, in the item's base unit; refuses ≤ 0, junk and unknown units."""
    try:
        amount = Decimal(str(quantity).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"quantity": "数量须为数字"}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"quantity": "数量须大于 0"})
    unit = (unit or "").strip() or item.base_unit
    if unit == item.base_unit:
        factor = Decimal(1)
    else:
        found = next((u for u in item.units.all() if u.name == unit), None)
        if found is None:
            known = "、".join([item.base_unit, *(u.name for u in item.units.all())])
            raise ValidationError({"unit": f"{item.name}不能以“{unit}”计量，可用单位：{known}"})
        factor = found.factor
    base = amount * factor
    if base != base.quantize(MILLI):
        raise ValidationError({"quantity": f"数量最多精确到 0.001{item.base_unit}"})
    if base > QTY_MAX:
        raise ValidationError({"quantity": "数量太大"})
    return base.quantize(MILLI)


@transaction.atomic
def warehouse_create(*, actor: User, node: Node, name: str) -> Warehouse:
    """Open a store at a node (the town's, a village's, an enterprise's own)."""
    require_permission_at(actor, "supplies.keep", node)
    warehouse = Warehouse(node=node, name=name.strip())
    warehouse.full_clean()
    warehouse.save()
    audit_record(actor=actor, action="supplies.warehouse.create", obj=warehouse, fields=["name"])
    return warehouse


def _stock_row(warehouse: Warehouse, item: Item) -> Stock:
    stock, _ = Stock.objects.get_or_create(warehouse=warehouse, item=item)
    return stock


@transaction.atomic
def threshold_set(*, actor: User, warehouse: Warehouse, item: Item, threshold: Decimal) -> Stock:
    """Set the low-stock line of an item in a warehouse (base units; 0: no line)."""
    require_permission_at(actor, "supplies.keep", warehouse.node)
    if threshold < 0 or threshold > QTY_MAX:
        raise ValidationError({"threshold": "低库存线须在 0 到 999999999 之间"})
    stock = _stock_row(warehouse, item)
    Stock.objects.filter(pk=stock.pk).update(low_threshold=threshold)
    stock.refresh_from_db()
    audit_record(
        actor=actor,
        action="supplies.stock.threshold",
        obj=stock,
        node=warehouse.node,
        fields=["low_threshold"],
    )
    return stock


# ---------------------------------------------------------------- the ledger


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


# ---------------------------------------------------------------- donations


@dataclass(frozen=True)
class Goods:
    """One line of goods in a donation, as typed: quantity in `unit`, stated value in yuan."""

    item: Item
    quantity: object
    unit: str = ""
    value: Decimal = Decimal(0)


@transaction.atomic
def drive_create(*, actor: User, node: Node, name: str) -> Drive:
    """Start a collection (党员义捐) at a node."""
    require_permission_at(actor, "supplies.keep", node)
    drive = Drive(node=node, name=name.strip())
    drive.full_clean()
    drive.save()
    audit_record(actor=actor, action="supplies.drive.create", obj=drive, fields=["name"])
    return drive


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "金额须为数字"}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: "金额不能为负数"})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: "金额最多两位小数（分）"})
    return amount.quantize(CENT)


def donation_record(
    *,
    actor: User,
    node: Node,
    donor_kind: str,
    donor_name: str = "",
    masked: bool = False,
    drive: Drive | None = None,
    cash=Decimal(0),
    goods: list[Goods] = (),
    warehouse: Warehouse | None = None,
    received_on: date,
    purpose: str = "",
    idempotency_key: str = "",
) -> tuple[Donation, bool]:
    """Record a donation with its receipt number; goods enter `warehouse` as receipts
    (source 捐赠) in the same transaction. Returns (donation, created)."""
    key = _key_clean(idempotency_key)
    digest = _digest(
        {
            "node": node.pk,
            "donor_kind": donor_kind,
            "donor_name": donor_name,
            "masked": masked,
            "drive": drive.pk if drive else None,
            "cash": str(cash),
            "goods": [(g.item.pk, str(g.quantity), g.unit, str(g.value)) for g in goods],
            "warehouse": warehouse.pk if warehouse else None,
            "received_on": received_on,
            "purpose": purpose,
        }
    )
    stored = _repeat(Donation, actor, key, digest)
    if stored is not None:
        return stored, False
    # Two first donations of a year may draw the same receipt number at once (there is
    # no row to lock yet): the loser of the unique number tries again with the next.
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _donation_insert(
                    actor=actor,
                    node=node,
                    donor_kind=donor_kind,
                    donor_name=donor_name,
                    masked=masked,
                    drive=drive,
                    cash=cash,
                    goods=list(goods),
                    warehouse=warehouse,
                    received_on=received_on,
                    purpose=purpose,
                    key=key,
                    digest=digest,
                ), True
        except IntegrityError:
            stored = _repeat(Donation, actor, key, digest)
            if stored is not None:
                return stored, False
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _receipt_no(received_on: date) -> str:
    """JZ + year + a running number of the year (捐赠收据编号)."""
    prefix = f"JZ{received_on.year}"
    last = (
        Donation.objects.select_for_update()
        .filter(receipt_no__startswith=prefix)
        .order_by("-receipt_no")
        .values_list("receipt_no", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _donation_insert(
    *,
    actor: User,
    node: Node,
    donor_kind: str,
    donor_name: str,
    masked: bool,
    drive: Drive | None,
    cash,
    goods: list[Goods],
    warehouse: Warehouse | None,
    received_on: date,
    purpose: str,
    key: str,
    digest: str,
) -> Donation:
    require_permission_at(actor, "supplies.keep", node)
    cash = _money(cash, "cash")
    donor_name = (donor_name or "").strip()
    if donor_kind == DonorKind.ANONYMOUS:
        donor_name = ""
    elif not donor_name:
        raise ValidationError({"donor_name": "请填写捐赠人，或选择匿名"})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "捐赠日期不能晚于今天"})
    if goods and warehouse is None:
        raise ValidationError({"warehouse": "捐赠物资须选择入库仓库"})
    if drive is not None and not node.path.startswith(drive.node.path):
        raise ValidationError({"drive": "募捐活动不属于这个辖区"})
    values = [_money(g.value, "goods") for g in goods]
    if cash <= 0 and not goods:
        raise ValidationError({"cash": "请填写捐款金额或捐赠物资"})
    donation = Donation(
        node=node,
        receipt_no=_receipt_no(received_on),
        donor_kind=donor_kind,
        donor_name=donor_name,
        masked=masked,
        drive=drive,
        cash=cash,
        goods_value=sum(values, Decimal(0)),
        received_on=received_on,
        purpose=(purpose or "").strip(),
        created_by=actor,
        idempotency_key=key,
        request_digest=digest,
    )
    donation.full_clean(exclude=["node", "created_by", "drive"])
    donation.save()
    for line, value in zip(goods, values, strict=True):
        move = _move_insert(
            actor=actor,
            kind=MoveKind.RECEIPT,
            warehouse=warehouse,
            item=line.item,
            quantity=line.quantity,
            unit=line.unit,
            source=Source.DONATION,
            reason=f"捐赠 {donation.receipt_no}",
            day=received_on,
            donation=donation,
        )
        DonationLine.objects.create(
            donation=donation, item=line.item, quantity=move.quantity, value=value
        )
    audit_record(
        actor=actor,
        action="supplies.donation.create",
        obj=donation,
        fields=["donor_kind", "donor_name", "cash", "goods_value", "drive", "purpose"],
    )
    return donation


# ---------------------------------------------------------------- requests and allocation


@dataclass(frozen=True)
class Asked:
    """One line of a request as typed."""

    item: Item
    quantity: object
    unit: str = ""


@transaction.atomic
def request_create(
    *,
    actor: User,
    node: Node,
    kind: str,
    needed_by: date,
    reason: str,
    lines: list[Asked],
    idempotency_key: str = "",
) -> SupplyRequest:
    """An enterprise, checkpoint, village or isolation team asks for supplies."""
    require_permission_at(actor, "supplies.request", node)
    key = _key_clean(idempotency_key)
    digest = _digest(
        {
            "node": node.pk,
            "kind": kind,
            "needed_by": needed_by,
            "reason": reason,
            "lines": [(line.item.pk, str(line.quantity), line.unit) for line in lines],
        }
    )
    stored = _repeat(SupplyRequest, actor, key, digest)
    if stored is not None:
        return stored
    if not lines:
        raise ValidationError({"lines": "请至少填写一种物资"})
    if kind == RequesterKind.ENTERPRISE and node.kind != "enterprise":
        raise ValidationError({"kind": "企业申请须以企业名义提出"})
    request = SupplyRequest(
        node=node,
        kind=kind,
        needed_by=needed_by,
        reason=(reason or "").strip(),
        created_by=actor,
        idempotency_key=key,
        request_digest=digest,
    )
    request.full_clean(exclude=["node", "created_by"])
    request.save()
    seen = set()
    for line in lines:
        if line.item.pk in seen:
            raise ValidationError({"lines": f"{line.item.name}填写了两次"})
        seen.add(line.item.pk)
        RequestLine.objects.create(
            request=request,
            item=line.item,
            quantity=quantity_in_base(line.item, line.quantity, line.unit),
        )
    audit_record(
        actor=actor,
        action="supplies.request.create",
        obj=request,
        fields=["kind", "needed_by", "reason", "lines"],
    )
    return request


def allocation_order(line: RequestLine) -> tuple:
    """The rule: enterprises' prevention needs first, then needed-by, then request time."""
    request = line.request
    return (
        request.kind != RequesterKind.ENTERPRISE,
        request.needed_by,
        request.created_at,
        line.pk,
    )


@transaction.atomic
def allocation_run(*, actor: User, warehouse: Warehouse) -> Allocation:
    """Propose quantities from the warehouse's stock for the open request lines of its
    subtree, in the order of ALLOCATION_RULE; nothing leaves the store until approval."""
    require_permission_at(actor, "supplies.keep", warehouse.node)
    open_lines = [
        line
        for line in RequestLine.objects.filter(
            request__node__path__startswith=warehouse.node.path, approved__lt=F("quantity")
        ).select_related("request__node", "item")
    ]
    if not open_lines:
        raise ValidationError("没有待分配的申请")
    available = {s.item_id: s.quantity for s in Stock.objects.filter(warehouse=warehouse)}
    allocation = Allocation.objects.create(
        warehouse=warehouse, rule=ALLOCATION_RULE, created_by=actor
    )
    for rank, line in enumerate(sorted(open_lines, key=allocation_order), start=1):
        left = available.get(line.item_id, Decimal(0))
        proposed = min(left, line.outstanding)
        available[line.item_id] = left - proposed
        AllocationLine.objects.create(
            allocation=allocation, request_line=line, rank=rank, proposed=proposed
        )
    audit_record(
        actor=actor,
        action="supplies.allocation.run",
        obj=allocation,
        node=warehouse.node,
        fields=["lines", "proposed"],
    )
    return allocation


@transaction.atomic
def allocation_approve(
    *, actor: User, allocation: Allocation, quantities: dict[int, Decimal] | None = None
) -> Allocation:
    """Approve a run (each line at its proposal, or the keeper's lower number; 0 skips
    it): the approved quantities are issued from the ledger to the requesting units.
    Lines short of what was asked stay open for the next run."""
    require_permission_at(actor, "supplies.keep", allocation.warehouse.node)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.approved_at is not None:
        raise ValidationError("这次分配已经批准过了")
    quantities = quantities or {}
    lines = list(
        allocation.lines.select_related("request_line__request__node", "request_line__item")
    )
    request_lines = {
        rl.pk: rl
        for rl in RequestLine.objects.select_for_update()
        .filter(pk__in=[line.request_line_id for line in lines])
        .order_by("pk")
    }
    for line in lines:
        wanted = quantities.get(line.pk, line.proposed)
        try:
            wanted = Decimal(str(wanted))
        except InvalidOperation:
            raise ValidationError({"quantities": "批准数量须为数字"}) from None
        request_line = request_lines[line.request_line_id]
        if wanted < 0 or wanted > request_line.outstanding:
            raise ValidationError(
                {
                    "quantities": f"{request_line.item.name}（{request_line.request.node.name}）"
                    f"批准数量须在 0 到 {_fmt(request_line.outstanding)} 之间"
                }
            )
        line.approved = wanted
        line.save(update_fields=["approved"])
        if wanted == 0:
            continue
        _move_insert(
            actor=actor,
            kind=MoveKind.ISSUE,
            warehouse=allocation.warehouse,
            item=request_line.item,
            quantity=wanted,
            unit=request_line.item.base_unit,
            recipient_node=request_line.request.node,
            reason=f"分配 #{allocation.pk}",
            allocation_line=line,
        )
        RequestLine.objects.filter(pk=request_line.pk).update(approved=F("approved") + wanted)
        request_line.approved += wanted
    allocation.approved_by = actor
    allocation.approved_at = timezone.now()
    allocation.save(update_fields=["approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="supplies.allocation.approve",
        obj=allocation,
        node=allocation.warehouse.node,
        fields=["approved"],
    )
    return allocation


@transaction.atomic
def allocation_confirm(*, actor: User, line: AllocationLine) -> AllocationLine:
    """The requesting unit confirms it received what was issued to it (签收)."""
    node = line.request_line.request.node
    require_permission_at(actor, "supplies.request", node)
    line = AllocationLine.objects.select_for_update().get(pk=line.pk)
    if not line.approved:
        raise ValidationError("这一项没有发放，无需签收")
    if line.confirmed_at is not None:
        raise ValidationError("已经签收过了")
    line.confirmed_by = actor
    line.confirmed_at = timezone.now()
    line.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action="supplies.allocation.confirm",
        obj=line,
        node=node,
        fields=["confirmed_at"],
    )
    return line


# ---------------------------------------------------------------- funds


@transaction.atomic
def fund_create(*, actor: User, node: Node, name: str) -> Fund:
    """Open a relief fund (景清基金) at a node."""
    require_permission_at(actor, "supplies.fund", node)
    fund = Fund(node=node, name=name.strip())
    fund.full_clean()
    fund.save()
    audit_record(actor=actor, action="supplies.fund.create", obj=fund, fields=["name"])
    return fund


def fund_balance(fund: Fund) -> Decimal:
    """Receipts less approved disbursements."""
    received = fund.receipts.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    paid = fund.disbursements.filter(approved_at__isnull=False).aggregate(s=Sum("amount"))["s"]
    return (received - (paid or Decimal(0))).quantize(CENT)


@transaction.atomic
def fund_receipt_record(
    *, actor: User, fund: Fund, amount, received_on: date, donor_name: str = ""
) -> FundReceipt:
    """Money into a fund."""
    require_permission_at(actor, "supplies.fund", fund.node)
    receipt = FundReceipt(
        fund=fund,
        amount=_money(amount, "amount"),
        received_on=received_on,
        donor_name=(donor_name or "").strip(),
        created_by=actor,
    )
    receipt.full_clean(exclude=["fund", "created_by"])
    receipt.save()
    audit_record(
        actor=actor, action="supplies.fund.receive", obj=receipt, node=fund.node, fields=["amount"]
    )
    return receipt


def _fund_short(fund: Fund, amount: Decimal) -> None:
    balance = fund_balance(fund)
    if amount > balance:
        raise ValidationError(
            {"amount": f"基金余额不足：余额 {balance:.2f} 元，本次 {amount:.2f} 元"}
        )


@transaction.atomic
def disbursement_propose(
    *, actor: User, fund: Fund, resident_id: int, amount, reason: str
) -> Disbursement:
    """Propose help for a resident; paid when a second person approves."""
    require_permission_at(actor, "supplies.fund", fund.node)
    resident = (
        people.residents_for(actor, "supplies.fund")
        .filter(node__path__startswith=fund.node.path, pk=resident_id)
        .first()
    )
    if resident is None:
        raise ValidationError({"resident": "受助人不在本基金的辖区内"})
    amount = _money(amount, "amount")
    if amount <= 0:
        raise ValidationError({"amount": "金额须大于 0"})
    _fund_short(fund, amount)
    disbursement = Disbursement(
        fund=fund,
        resident=resident,
        amount=amount,
        reason=(reason or "").strip(),
        proposed_by=actor,
    )
    disbursement.full_clean(exclude=["fund", "resident", "proposed_by"])
    disbursement.save()
    audit_record(
        actor=actor,
        action="supplies.disbursement.propose",
        obj=disbursement,
        node=fund.node,
        fields=["resident", "amount", "reason"],
    )
    return disbursement


@transaction.atomic
def disbursement_approve(*, actor: User, disbursement: Disbursement) -> Disbursement:
    """A second person approves: the fund is locked, the balance checked, the money paid."""
    fund = Fund.objects.select_for_update().get(pk=disbursement.fund_id)
    require_permission_at(actor, "supplies.fund", fund.node)
    disbursement = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if disbursement.approved_at is not None:
        raise ValidationError("这笔支出已经批准过了")
    if disbursement.proposed_by_id == actor.pk:
        raise ValidationError({"approved_by": "提出人不能批准自己提出的支出，请由另一人批准"})
    _fund_short(fund, disbursement.amount)
    disbursement.approved_by = actor
    disbursement.approved_at = timezone.now()
    disbursement.paid_on = timezone.localdate()
    disbursement.save(update_fields=["approved_by", "approved_at", "paid_on"])
    audit_record(
        actor=actor,
        action="supplies.disbursement.approve",
        obj=disbursement,
        node=fund.node,
        fields=["approved_by"],
    )
    return disbursement
