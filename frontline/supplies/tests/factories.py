"""Helpers that make supplies objects through the services, as a keeper would."""

from decimal import Decimal

from frontline.core.models import Node, User
from frontline.supplies import services
from frontline.supplies.models import Item, ItemCode, MoveKind, Source, Warehouse

UNITS = {
    "口罩": (ItemCode.MASK, "只", True, [("盒", Decimal(50)), ("箱", Decimal(2000))]),
    "酒精": (ItemCode.ALCOHOL, "kg", False, [("吨", Decimal(1000))]),
    "防护服": (ItemCode.SUIT, "套", True, []),
    "护目镜": (ItemCode.GOGGLES, "个", True, []),
    "手套": (ItemCode.GLOVES, "副", True, []),
    "体温计": (ItemCode.THERMOMETER, "支", True, [("盒", Decimal(10))]),
}


def item_make(actor: User, name: str = "口罩") -> Item:
    """The catalogue's item of that name, made by the keeper the first time."""
    found = Item.objects.filter(name=name).first()
    if found is not None:
        return found
    code, base, countable, units = UNITS[name]
    return services.item_create(
        actor=actor, name=name, code=code, base_unit=base, countable=countable, units=units
    )


def warehouse_make(actor: User, node: Node, name: str = "物资点") -> Warehouse:
    """The node's store of that name, opened by the keeper the first time."""
    found = Warehouse.objects.filter(node=node, name=name).first()
    if found is not None:
        return found
    return services.warehouse_create(actor=actor, node=node, name=name)


def stock_fill(
    actor: User, warehouse: Warehouse, item: Item, quantity, unit: str = "", source=Source.PURCHASE
):
    move, _ = services.move_record(
        actor=actor,
        kind=MoveKind.RECEIPT,
        warehouse=warehouse,
        item=item,
        quantity=quantity,
        unit=unit,
        source=source,
    )
    return move


def beneficiary_make(node: Node, name: str = "王老汉", **fields):
    """A resident the village has tagged 困难家庭: one a fund may help."""
    from frontline.people.models import Tag
    from frontline.people.tests.factories import resident_make

    # get_or_create: a browser test's flushed database has lost the seeded tags.
    tag, _ = Tag.objects.get_or_create(name="困难家庭")
    return resident_make(node, name=name, tags=[tag], **fields)
