"""Funds, their receipts and two-person disbursements: /api/v1/funds…."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Schema, Status

from frontline.core.limits import Id
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.supplies import selectors, services
from frontline.supplies.api.common import PositiveMoney, _money, router
from frontline.supplies.models import Disbursement, Fund


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
