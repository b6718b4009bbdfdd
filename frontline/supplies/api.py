"""API for supplies (/api/v1/supplies/…), donations (/api/v1/donations) and funds
(/api/v1/funds…). Quantities are decimal strings in the item's base unit; money is a
decimal string in yuan with two places. A repeated idempotency key answers the stored
record (200); the same key with another body is refused (409)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, WithJsonSchema

from frontline.core.limits import Id, IdempotencyKey
from frontline.core.scoping import (
    get_by_pk_in_scope_or_404,
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
)
from frontline.supplies import selectors, services
from frontline.supplies.models import (
    Allocation,
    Disbursement,
    Donation,
    Fund,
    Item,
    Move,
    Stock,
    SupplyRequest,
    Warehouse,
)

router = Router(tags=["物资、捐赠与基金"])

LIMIT = Field(50, ge=1, le=200)
NUMBER_TEXT = 24  # "999999999.999" and its sign, with room for spaces


def _short(value):
    """A number sent as text is refused when longer than any bounded number can be."""
    if isinstance(value, str) and len(value) > NUMBER_TEXT:
        raise ValueError("数字太长")
    return value


def _decimal(low: Decimal, high: Decimal, places: int, digits: int, **bounds):
    """A Decimal a client sends as a number or as text ("22.5"), bounded both ways."""
    return Annotated[
        Decimal,
        BeforeValidator(_short),
        Field(max_digits=digits, decimal_places=places, **bounds),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": float(low), "maximum": float(high)},
                    {"type": "string", "maxLength": NUMBER_TEXT},
                ]
            }
        ),
    ]


# Base-unit quantities (an adjustment may be negative) and yuan.
Quantity = _decimal(
    Decimal(-999_999_999), Decimal(999_999_999), 3, 15, ge=-999_999_999, le=999_999_999
)
PositiveQuantity = _decimal(Decimal("0.001"), Decimal(999_999_999), 3, 15, gt=0, le=999_999_999)
Factor = _decimal(Decimal("0.001"), Decimal(1_000_000), 3, 15, gt=0, le=1_000_000)
Money = _decimal(Decimal(0), Decimal("999999999.99"), 2, 14, ge=0, le=999_999_999)
PositiveMoney = _decimal(Decimal("0.01"), Decimal("999999999.99"), 2, 14, gt=0, le=999_999_999)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _qty(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


class Page(Schema):
    limit: int = LIMIT
    offset: int = Field(0, ge=0, le=1_000_000)


def _conflict(error: services.IdempotencyConflict):
    raise HttpError(409, "；".join(error.messages)) from None


# ---------------------------------------------------------------- catalogue


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
    # The hot path of a store: each store by primary key, its node checked in Python (the
    # same 404 as the scoped list); units read only if the move is typed in another unit.
    def store(pk: int) -> Warehouse:
        return get_by_pk_in_scope_or_404(Warehouse, request.user, "supplies.keep", pk)

    warehouse = store(payload.warehouse)
    item = get_visible_or_404(selectors.items(units=False), pk=payload.item)
    to_warehouse = store(payload.to_warehouse) if payload.to_warehouse else None
    recipient = (
        get_visible_or_404(nodes_visible(request.user), pk=payload.recipient_node)
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


# ---------------------------------------------------------------- requests and allocation


class AskedIn(Schema):
    item: Id
    quantity: PositiveQuantity
    unit: str = Field("", max_length=8)


class RequestIn(Schema):
    node: Id
    kind: str = Field(..., max_length=16)
    needed_by: dt.date
    reason: str = Field(..., min_length=1, max_length=200)
    lines: list[AskedIn] = Field(..., min_length=1, max_length=20)
    idempotency_key: IdempotencyKey = ""


class RequestLineOut(Schema):
    id: int
    item_id: int
    quantity: str
    approved: str
    outstanding: str

    @staticmethod
    def resolve_quantity(obj) -> str:
        return _qty(obj.quantity)

    @staticmethod
    def resolve_approved(obj) -> str:
        return _qty(obj.approved)

    @staticmethod
    def resolve_outstanding(obj) -> str:
        return _qty(obj.outstanding)


class RequestOut(Schema):
    id: int
    node_id: int
    kind: str
    needed_by: dt.date
    reason: str
    lines: list[RequestLineOut]

    @staticmethod
    def resolve_lines(obj: SupplyRequest):
        return list(obj.lines.all())


@router.post("supplies/requests", response={201: RequestOut}, summary="申领物资")
def supplies_request_create(request: HttpRequest, payload: RequestIn):
    node = get_visible_or_404(nodes_visible(request.user, "supplies.request"), pk=payload.node)
    items = {
        i.pk: i for i in selectors.items().filter(pk__in=[line.item for line in payload.lines])
    }
    lines = []
    for line in payload.lines:
        if line.item not in items:
            raise HttpError(404, "未找到")
        lines.append(services.Asked(items[line.item], line.quantity, line.unit))
    try:
        made = services.request_create(
            actor=request.user,
            node=node,
            kind=payload.kind,
            needed_by=payload.needed_by,
            reason=payload.reason,
            lines=lines,
            idempotency_key=payload.idempotency_key,
        )
    except services.IdempotencyConflict as error:
        _conflict(error)
    return Status(201, made)


@router.get("supplies/requests", response=list[RequestOut], summary="可见的申请")
def supplies_requests(request: HttpRequest, page: Query[Page]):
    require_permission_or_404(request.user, "supplies.request")
    return list(selectors.requests_for(request.user)[page.offset : page.offset + page.limit])


class AllocationRunIn(Schema):
    warehouse: Id


class AllocationLineOut(Schema):
    id: int
    rank: int
    request_line_id: int
    request_id: int
    node_id: int
    requester_kind: str
    item_id: int
    proposed: str
    approved: str | None
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_request_id(obj) -> int:
        return obj.request_line.request_id

    @staticmethod
    def resolve_node_id(obj) -> int:
        return obj.request_line.request.node_id

    @staticmethod
    def resolve_requester_kind(obj) -> str:
        return obj.request_line.request.kind

    @staticmethod
    def resolve_item_id(obj) -> int:
        return obj.request_line.item_id

    @staticmethod
    def resolve_proposed(obj) -> str:
        return _qty(obj.proposed)

    @staticmethod
    def resolve_approved(obj) -> str | None:
        return _qty(obj.approved)


class AllocationOut(Schema):
    id: int
    warehouse_id: int
    rule: str
    approved_at: dt.datetime | None
    lines: list[AllocationLineOut]

    @staticmethod
    def resolve_lines(obj: Allocation):
        return list(selectors.allocation_lines(obj))


@router.post("supplies/allocations", response={201: AllocationOut}, summary="生成分配建议")
def supplies_allocation_run(request: HttpRequest, payload: AllocationRunIn):
    warehouse = get_visible_or_404(
        selectors.warehouses_for(request.user, "supplies.keep"), pk=payload.warehouse
    )
    return Status(201, services.allocation_run(actor=request.user, warehouse=warehouse))


class ApproveIn(Schema):
    # Allocation line id → approved quantity (base unit); a line left out is approved as proposed.
    quantities: dict[Id, Quantity] = Field({}, max_length=500)


@router.post(
    "supplies/allocations/{int:allocation_id}/approve",
    response=AllocationOut,
    summary="批准分配并出库",
)
def supplies_allocation_approve(request: HttpRequest, allocation_id: int, payload: ApproveIn):
    allocation = get_visible_or_404(selectors.allocations_for(request.user), pk=allocation_id)
    return services.allocation_approve(
        actor=request.user, allocation=allocation, quantities=payload.quantities
    )


@router.post(
    "supplies/deliveries/{int:line_id}/confirm", response=AllocationLineOut, summary="签收"
)
def supplies_delivery_confirm(request: HttpRequest, line_id: int):
    line = get_visible_or_404(selectors.deliveries_for(request.user), pk=line_id)
    return services.allocation_confirm(actor=request.user, line=line)


# ---------------------------------------------------------------- donations


class GoodsIn(Schema):
    item: Id
    quantity: PositiveQuantity
    unit: str = Field("", max_length=8)
    value: Money = Decimal(0)


class DonationIn(Schema):
    node: Id
    donor_kind: str = Field(..., max_length=16)
    donor_name: str = Field("", max_length=100)
    anonymous: bool = False
    # Shown masked (张*兰) in the public disclosure.
    masked: bool = False
    drive: Id | None = None
    cash: Money = Decimal(0)
    goods: list[GoodsIn] = Field([], max_length=50)
    warehouse: Id | None = None
    received_on: dt.date
    purpose: str = Field("", max_length=200)
    idempotency_key: IdempotencyKey


class DonationOut(Schema):
    id: int
    receipt_no: str
    node_id: int
    donor_kind: str
    donor_name: str
    masked: bool
    drive_id: int | None
    cash: str
    goods_value: str
    total: str
    received_on: dt.date
    purpose: str
    goods: list[dict]

    @staticmethod
    def resolve_cash(obj: Donation) -> str:
        return _money(obj.cash)

    @staticmethod
    def resolve_goods_value(obj: Donation) -> str:
        return _money(obj.goods_value)

    @staticmethod
    def resolve_total(obj: Donation) -> str:
        return _money(obj.total)

    @staticmethod
    def resolve_goods(obj: Donation) -> list[dict]:
        return [
            {"item": line.item_id, "quantity": _qty(line.quantity), "value": _money(line.value)}
            for line in obj.lines.all()
        ]


@router.post(
    "donations", response={200: DonationOut, 201: DonationOut}, summary="登记捐赠（现金或物资）"
)
def donations_create(request: HttpRequest, payload: DonationIn):
    node = get_visible_or_404(nodes_visible(request.user, "supplies.keep"), pk=payload.node)
    drive = (
        get_visible_or_404(selectors.drives_for(request.user, "supplies.keep"), pk=payload.drive)
        if payload.drive
        else None
    )
    warehouse = (
        get_visible_or_404(
            selectors.warehouses_for(request.user, "supplies.keep"), pk=payload.warehouse
        )
        if payload.warehouse
        else None
    )
    items = {i.pk: i for i in selectors.items().filter(pk__in=[g.item for g in payload.goods])}
    goods = []
    for line in payload.goods:
        if line.item not in items:
            raise HttpError(404, "未找到")
        goods.append(services.Goods(items[line.item], line.quantity, line.unit, line.value))
    try:
        donation, created = services.donation_record(
            actor=request.user,
            node=node,
            donor_kind="anonymous" if payload.anonymous else payload.donor_kind,
            donor_name=payload.donor_name,
            masked=payload.masked,
            drive=drive,
            cash=payload.cash,
            goods=goods,
            warehouse=warehouse,
            received_on=payload.received_on,
            purpose=payload.purpose,
            idempotency_key=payload.idempotency_key,
        )
    except services.IdempotencyConflict as error:
        _conflict(error)
    return Status(201 if created else 200, donation)


class DonationFilter(Page):
    drive: Id | None = None
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")


@router.get("donations", response=list[DonationOut], summary="捐赠（可按募捐活动、日期筛选）")
def donations_list(request: HttpRequest, filters: Query[DonationFilter]):
    require_permission_or_404(request.user, "supplies.view")
    rows = selectors.donations_for(request.user).prefetch_related("lines")
    if filters.drive is not None:
        rows = rows.filter(
            drive=get_visible_or_404(selectors.drives_for(request.user), pk=filters.drive)
        )
    if filters.start:
        rows = rows.filter(received_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(received_on__lte=filters.end)
    return list(rows[filters.offset : filters.offset + filters.limit])


# ---------------------------------------------------------------- funds


class FundIn(Schema):
    node: Id
    name: str = Field(..., min_length=1, max_length=50)


class FundOut(Schema):
    id: int
    name: str
    node_id: int
    balance: str

    @staticmethod
    def resolve_balance(obj: Fund) -> str:
        return _money(services.fund_balance(obj))


@router.get("funds", response=list[FundOut], summary="基金及余额")
def funds_list(request: HttpRequest):
    require_permission_or_404(request.user, "supplies.fund")
    return list(selectors.funds_for(request.user)[:200])


@router.post("funds", response={201: FundOut}, summary="新建基金")
def funds_create(request: HttpRequest, payload: FundIn):
    node = get_visible_or_404(nodes_visible(request.user, "supplies.fund"), pk=payload.node)
    return Status(201, services.fund_create(actor=request.user, node=node, name=payload.name))


class FundReceiptIn(Schema):
    amount: PositiveMoney
    received_on: dt.date
    donor_name: str = Field("", max_length=100)


class FundReceiptOut(Schema):
    id: int
    fund_id: int
    amount: str
    received_on: dt.date

    @staticmethod
    def resolve_amount(obj) -> str:
        return _money(obj.amount)


@router.post("funds/{int:fund_id}/receipts", response={201: FundReceiptOut}, summary="基金收入")
def funds_receipt(request: HttpRequest, fund_id: int, payload: FundReceiptIn):
    fund = get_visible_or_404(selectors.funds_for(request.user), pk=fund_id)
    return Status(
        201, services.fund_receipt_record(actor=request.user, fund=fund, **payload.dict())
    )


class DisbursementIn(Schema):
    resident: Id
    amount: PositiveMoney
    reason: str = Field(..., min_length=1, max_length=200)


class DisbursementOut(Schema):
    id: int
    fund_id: int
    resident_id: int
    amount: str
    reason: str
    proposed_by_id: int
    approved_by_id: int | None
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_amount(obj: Disbursement) -> str:
        return _money(obj.amount)


@router.post(
    "funds/{int:fund_id}/disbursements", response={201: DisbursementOut}, summary="提出基金支出"
)
def funds_disbursement(request: HttpRequest, fund_id: int, payload: DisbursementIn):
    fund = get_visible_or_404(selectors.funds_for(request.user), pk=fund_id)
    return Status(
        201,
        services.disbursement_propose(
            actor=request.user,
            fund=fund,
            resident_id=payload.resident,
            amount=payload.amount,
            reason=payload.reason,
        ),
    )


@router.post(
    "funds/disbursements/{int:disbursement_id}/approve",
    response=DisbursementOut,
    summary="批准基金支出（提出人不能批准）",
)
def funds_disbursement_approve(request: HttpRequest, disbursement_id: int):
    disbursement = get_visible_or_404(selectors.disbursements_for(request.user), pk=disbursement_id)
    return services.disbursement_approve(actor=request.user, disbursement=disbursement)
