"""Donations and drives: cash and goods into the ledger, receipts with their numbers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.supplies.models import (
    Donation,
    DonationLine,
    DonorKind,
    Drive,
    Item,
    MoveKind,
    Source,
    Warehouse,
)
from frontline.supplies.services.common import CENT, _digest, _key_clean, _repeat
from frontline.supplies.services.ledger import _move_insert


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
