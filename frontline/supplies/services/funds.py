"""Funds (景清基金): receipts, and disbursements approved by a second person."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.supplies import selectors
from frontline.supplies.models import (
    Disbursement,
    Fund,
    FundReceipt,
)
from frontline.supplies.services.common import CENT
from frontline.supplies.services.donations import _money


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
    resident = selectors.fund_beneficiaries(actor, fund).filter(pk=resident_id).first()
    if resident is None:
        raise ValidationError(
            {
                "resident": "受助人须是本基金辖区内、标为困难家庭、残疾人、孤寡老人或留守儿童的居民"
                "（标签由村干部在人员花名册中登记）"
            }
        )
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
