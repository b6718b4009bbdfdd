"""The catalogue, stock on hand and moves: /api/v1/supplies/items, …/warehouses, …/stock,
…/moves."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Query, Schema, Status

from frontline.core.limits import Id, IdempotencyKey
from frontline.core.scoping import (
    get_by_pk_in_scope_or_404,
    get_node_in_scope_or_404,
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
)
from frontline.supplies import selectors, services
from frontline.supplies.api.common import Factor, Page, Quantity, _conflict, _qty, router
from frontline.supplies.models import Item, Move, Stock, Warehouse


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=8)
    factor: Factor


class ItemIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    base_unit: str = Field(..., min_length=1, max_length=8)
    code: str = Field("other", max_length=16)
    countable: bool = True
    units: list[UnitIn] = Field([], max_length=10)


class ItemOut(Schema):
    id: int
    name: str
    code: str
    base_unit: str
    countable: bool
    units: list[dict]

    @staticmethod
    def resolve_units(obj: Item) -> list[dict]:
        return [{"name": u.name, "factor": _qty(u.factor)} for u in obj.units.all()]


@router.get("supplies/items", response=list[ItemOut], summary="物资目录")
def supplies_items(request: HttpRequest):
    require_permission_or_404(request.user, "supplies.view")
    return list(selectors.items())


@router.post("supplies/items", response={201: ItemOut}, summary="新建物资（含换算单位）")
def supplies_item_create(request: HttpRequest, payload: ItemIn):
    item = services.item_create(
        actor=request.user,
        name=payload.name,
        base_unit=payload.base_unit,
        code=payload.code,
        countable=payload.countable,
        units=[(u.name, u.factor) for u in payload.units],
    )
    return Status(201, item)


class WarehouseIn(Schema):
    node: Id
    name: str = Field(..., min_length=1, max_length=50)


class WarehouseOut(Schema):
    id: int
    name: str
    node_id: int
    node_name: str

    @staticmethod
    def resolve_node_name(obj: Warehouse) -> str:
        return obj.node.name


@router.get("supplies/warehouses", response=list[WarehouseOut], summary="可见的仓库")
def supplies_warehouses(request: HttpRequest):
    require_permission_or_404(request.user, "supplies.view")
    return list(selectors.warehouses_for(request.user)[:500])


@router.post("supplies/warehouses", response={201: WarehouseOut}, summary="新建仓库")
def supplies_warehouse_create(request: HttpRequest, payload: WarehouseIn):
    node = get_visible_or_404(nodes_visible(request.user, "supplies.keep"), pk=payload.node)
    return Status(201, services.warehouse_create(actor=request.user, node=node, name=payload.name))


class StockOut(Schema):
    warehouse_id: int
    item_id: int
    item_name: str
    base_unit: str
    quantity: str
    low_threshold: str
    low: bool

    @staticmethod
    def resolve_item_name(obj: Stock) -> str:
        return obj.item.name

    @staticmethod
    def resolve_base_unit(obj: Stock) -> str:
        return obj.item.base_unit

    @staticmethod
    def resolve_quantity(obj: Stock) -> str:
        return _qty(obj.quantity)

    @staticmethod
    def resolve_low_threshold(obj: Stock) -> str:
        return _qty(obj.low_threshold)


class StockFilter(Page):
    warehouse: Id | None = None
    item: Id | None = None


@router.get("supplies/stock", response=list[StockOut], summary="库存（可按仓库、物资筛选）")
def supplies_stock(request: HttpRequest, page: Query[StockFilter]):
    require_permission_or_404(request.user, "supplies.view")
    rows = selectors.stock_for(request.user)
    if page.warehouse is not None:
        wh = get_visible_or_404(selectors.warehouses_for(request.user), pk=page.warehouse)
        rows = rows.filter(warehouse=wh)
    if page.item is not None:
        rows = rows.filter(item_id=page.item)
    return list(rows[page.offset : page.offset + page.limit])


class MoveIn(Schema):
    kind: str = Field(..., max_length=12)
    item: Id
    warehouse: Id
    quantity: Quantity
    unit: str = Field("", max_length=8)
    to_warehouse: Id | None = None
    recipient_node: Id | None = None
    source: str = Field("", max_length=16)
    reason: str = Field("", max_length=200)
    idempotency_key: IdempotencyKey


class MoveOut(Schema):
    id: int
    kind: str
    item_id: int
    warehouse_id: int
    quantity: str
    entered_quantity: str
    unit: str
    to_warehouse_id: int | None
    recipient_node_id: int | None
    source: str
    reason: str
    day: dt.date
    idempotency_key: str

    @staticmethod
    def resolve_quantity(obj: Move) -> str:
        return _qty(obj.quantity)

    @staticmethod
    def resolve_entered_quantity(obj: Move) -> str:
        return _qty(obj.entered_quantity)


@router.post(
    "supplies/moves", response={200: MoveOut, 201: MoveOut}, summary="入库、出库、调拨、盘点调整"
)
def supplies_move(request: HttpRequest, payload: MoveIn):
    # The hot path of a store: each store and the recipient by primary key, their nodes
    # checked in Python against the cached scope (the same 404 as the scoped lists); the
    # item by compiled SQL; units read only if the move is typed in another unit.
    def store(pk: int) -> Warehouse:
        return get_by_pk_in_scope_or_404(Warehouse, request.user, "supplies.keep", pk)

    warehouse = store(payload.warehouse)
    found = selectors.item_by_pk(payload.item)
    if not found:
        raise Http404("未找到")
    (item,) = found
    to_warehouse = store(payload.to_warehouse) if payload.to_warehouse else None
    recipient = (
        get_node_in_scope_or_404(request.user, "nodes.view", payload.recipient_node)
        if payload.recipient_node
        else None
    )
    try:
        move, created = services.move_record(
            actor=request.user,
            kind=payload.kind,
            warehouse=warehouse,
            item=item,
            quantity=payload.quantity,
            unit=payload.unit,
            to_warehouse=to_warehouse,
            recipient_node=recipient,
            source=payload.source,
            reason=payload.reason,
            idempotency_key=payload.idempotency_key,
        )
    except services.IdempotencyConflict as error:
        _conflict(error)
    return Status(201 if created else 200, move)
