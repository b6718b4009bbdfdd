"""The catalogue and the stores: items with their units, warehouses, low-stock lines."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at, scope_root
from frontline.supplies.models import (
    QTY_MAX,
    Item,
    ItemUnit,
    Move,
    Stock,
    Warehouse,
)
from frontline.supplies.services.common import MILLI, _fmt


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
