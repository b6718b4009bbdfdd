"""Requests and allocation: /api/v1/supplies/requests, allocations, deliveries."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.errors import HttpError

from frontline.core.limits import Id, IdempotencyKey
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.supplies import selectors, services
from frontline.supplies.api.common import Page, PositiveQuantity, Quantity, _conflict, _qty, router
from frontline.supplies.models import Allocation, SupplyRequest


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
