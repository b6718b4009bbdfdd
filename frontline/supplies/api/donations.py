"""Donations: /api/v1/donations."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError

from frontline.core.limits import Id, IdempotencyKey
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.supplies import selectors, services
from frontline.supplies.api.common import (
    Money,
    Page,
    PositiveQuantity,
    _conflict,
    _money,
    _qty,
    router,
)
from frontline.supplies.models import Donation


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
