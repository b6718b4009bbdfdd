"""API for errands: the list (by status), one errand, asking for a household, and each
step: claim, bought, delivered, confirm, settle, cancel."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, WithJsonSchema

from frontline.core.limits import Id
from frontline.core.scoping import (
    children_prefetched,
    get_by_pk_in_scope_or_404,
    get_visible_or_404,
)
from frontline.errands import selectors, services
from frontline.errands.models import BUDGET_MAX, COST_MAX, Errand, LineCategory
from frontline.errands.models import Status as ErrandStatus

router = Router(tags=["跑腿"])

LIMIT_MAX = 200
MONEY_TEXT_MAX = 12


def _money_text(value):
    # A typed amount ("25.50") is read as a decimal; a longer text is no amount at all.
    if isinstance(value, str) and len(value) > MONEY_TEXT_MAX:
        raise ValueError("金额格式不对")
    return value


def Money(top: Decimal):
    """Yuan with two decimals, 0 to `top`, sent as a number or as typed text."""
    return Annotated[
        Decimal,
        BeforeValidator(_money_text),
        Field(ge=0, le=top, max_digits=8, decimal_places=2),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": 0, "maximum": float(top)},
                    {"type": "string", "maxLength": MONEY_TEXT_MAX},
                ]
            }
        ),
    ]


class LineIO(Schema):
    category: LineCategory
    text: str = Field(..., min_length=1, max_length=100)


class ErrandIn(Schema):
    household_id: Id
    lines: list[LineIO] = Field(..., max_length=20)
    budget: Money(BUDGET_MAX)
    deliver_by: dt.datetime
    note: str = Field("", max_length=200)
    idempotency_key: str = Field(..., min_length=1, max_length=64)


class ClaimIn(Schema):
    # The title names the field in a refusal ("代购车：…"), for `team_id` and the
    # service's `team` alike.
    team_id: Id | None = Field(
        None, title="代购车", description="为所在的党员代购车认领时填代购车（队伍）编号"
    )


class BoughtIn(Schema):
    actual_cost: Money(COST_MAX)


class SettleIn(Schema):
    settlement: str = Field(..., description="paid（已付款）或 waived（免单）", max_length=10)


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class ErrandOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    node_id: int
    node_name: str
    lines: list[LineIO]
    budget: Decimal
    deliver_by: dt.datetime
    overdue: bool
    note: str
    # Only for the volunteer who claimed it and the village's cadres; otherwise "".
    address: str
    claimed_by: str
    # The 党员代购车 it was claimed for ("" when a volunteer claimed for themselves).
    claimed_team: str
    actual_cost: Decimal | None
    has_receipt: bool
    delivered_at: dt.datetime | None
    confirmed: bool
    settlement: str
    cancel_reason: str

    @staticmethod
    def resolve_status_label(obj: Errand) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_node_name(obj: Errand) -> str:
        return obj.node.name

    @staticmethod
    def resolve_lines(obj: Errand) -> list[dict]:
        return [{"category": line.category, "text": line.text} for line in obj.lines.all()]

    @staticmethod
    def resolve_deliver_by(obj: Errand) -> dt.datetime:
        return timezone.localtime(obj.deliver_by)

    @staticmethod
    def resolve_delivered_at(obj: Errand) -> dt.datetime | None:
        return timezone.localtime(obj.delivered_at) if obj.delivered_at else None

    @staticmethod
    def resolve_overdue(obj: Errand) -> bool:
        return not obj.finished and obj.deliver_by < timezone.now()

    @staticmethod
    def resolve_address(obj: Errand, context) -> str:
        # One rule per request, so a page of errands claimed for vehicles reads the
        # caller's vehicles once rather than once a row.
        request = context["request"]
        visible = getattr(request, "errand_address_rule", None)
        if visible is None:
            visible = request.errand_address_rule = selectors.address_rule(request.user)
        return obj.address if visible(obj) else ""

    @staticmethod
    def resolve_claimed_by(obj: Errand) -> str:
        return str(obj.claimed_by) if obj.claimed_by_id else ""

    @staticmethod
    def resolve_claimed_team(obj: Errand) -> str:
        return obj.claimed_team.name if obj.claimed_team_id else ""

    @staticmethod
    def resolve_has_receipt(obj: Errand) -> bool:
        return bool(obj.receipt_type)

    @staticmethod
    def resolve_confirmed(obj: Errand) -> bool:
        return obj.confirmed_by_household or obj.confirmed_by_id is not None


def _visible(request: HttpRequest, errand_id: int, permission: str = "errands.view") -> Errand:
    return get_visible_or_404(selectors.errands_for(request.user, permission), pk=errand_id)


@router.get(
    "",
    response=list[ErrandOut],
    summary="可见的跑腿请求（status 筛选；mine=true 只列自己或代购车认领的；分页）",
)
def errands_list(
    request: HttpRequest,
    status: ErrandStatus | None = None,
    mine: bool = False,
    limit: int = Query(50, ge=1, le=LIMIT_MAX),
    offset: int = Query(0, ge=0, le=100_000),
):
    if mine:  # the page's 我的跑腿: unfinished first, then the latest done
        rows = selectors.errands_mine(request.user)
        rows = rows.filter(status=status) if status else rows
    else:
        rows = selectors.errands_all(request.user, status or "")
    return list(rows[offset : offset + limit])


@router.post(
    "",
    response={200: ErrandOut, 201: ErrandOut},
    summary="代住户提交跑腿请求（同一用户同一 idempotency_key 只记一次；内容不同则 409）",
)
def errands_create(request: HttpRequest, payload: ErrandIn):
    household = get_visible_or_404(selectors.households_for(request.user), pk=payload.household_id)
    try:
        errand, created = services.errand_create(
            actor=request.user,
            household=household,
            lines=[(line.category, line.text) for line in payload.lines],
            budget=payload.budget,
            deliver_by=payload.deliver_by,
            note=payload.note,
            idempotency_key=payload.idempotency_key,
        )
    except services.KeyReused as reused:
        raise HttpError(409, str(reused)) from None
    return Status(201 if created else 200, _visible(request, errand.pk))


@router.get("{int:errand_id}", response=ErrandOut, summary="一条跑腿请求")
def errands_detail(request: HttpRequest, errand_id: int):
    return _visible(request, errand_id)


def _after(request: HttpRequest, errand: Errand) -> Errand:
    return _visible(request, errand.pk)


@router.post(
    "{int:errand_id}/claim",
    response=ErrandOut,
    summary="认领（只有一人能认领成功；可带 team_id 为所在的党员代购车认领）",
)
def errands_claim(request: HttpRequest, errand_id: int, payload: ClaimIn | None = None):
    # The hot path of a race: the row by primary key with its claimer, its village
    # checked against the cached scope (the scope subquery cost twice the claim itself).
    # A phone arriving after the winner is answered from this row alone.
    errand = get_by_pk_in_scope_or_404(
        Errand, request.user, "errands.claim", errand_id, also=("claimed_by", "claimed_team")
    )
    team = services.vehicle_of(request.user, payload.team_id if payload else None)
    claimed = services.errand_claim(actor=request.user, errand=errand, team=team)
    # The service answers with the fetched row, claimed; the winner's answer carries
    # the address (now visible) and the lines, read with one compiled statement.
    return children_prefetched(claimed, "lines")


@router.post("{int:errand_id}/bought", response=ErrandOut, summary="登记购买（实际花费）")
def errands_bought(request: HttpRequest, errand_id: int, payload: BoughtIn):
    errand = _visible(request, errand_id, "errands.claim")
    done = services.errand_bought(
        actor=request.user, errand=errand, actual_cost=payload.actual_cost
    )
    return _after(request, done)


@router.post("{int:errand_id}/delivered", response=ErrandOut, summary="登记送达（认领人）")
def errands_delivered(request: HttpRequest, errand_id: int):
    errand = _visible(request, errand_id, "errands.claim")
    return _after(request, services.errand_deliver(actor=request.user, errand=errand))


class PhoneIn(Schema):
    reason: str = Field(..., title="查看理由", min_length=1, max_length=100)


class PhoneOut(Schema):
    phone: str


@router.post(
    "{int:errand_id}/phone",
    response=PhoneOut,
    summary="认领人送达前查看住户完整电话（须填理由，留审计记录）",
)
def errands_phone(request: HttpRequest, errand_id: int, payload: PhoneIn):
    errand = _visible(request, errand_id, "errands.claim")
    phone = services.errand_household_phone(
        actor=request.user, errand=errand, reason=payload.reason
    )
    return {"phone": phone}


@router.post("{int:errand_id}/confirm", response=ErrandOut, summary="村干部确认收货")
def errands_confirm(request: HttpRequest, errand_id: int):
    errand = _visible(request, errand_id, "errands.manage")
    return _after(request, services.errand_confirm(actor=request.user, errand=errand))


@router.post("{int:errand_id}/settle", response=ErrandOut, summary="结算：已付款或免单")
def errands_settle(request: HttpRequest, errand_id: int, payload: SettleIn):
    errand = _visible(request, errand_id, "errands.manage")
    done = services.errand_settle(actor=request.user, errand=errand, settlement=payload.settlement)
    return _after(request, done)


@router.post("{int:errand_id}/cancel", response=ErrandOut, summary="取消（须填原因）")
def errands_cancel(request: HttpRequest, errand_id: int, payload: CancelIn):
    errand = _visible(request, errand_id, "errands.manage")
    done = services.errand_cancel(actor=request.user, errand=errand, reason=payload.reason)
    return _after(request, done)
