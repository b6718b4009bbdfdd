"""Cadre records and holiday duty."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.supervision.models import (
    THREE_MECHANISMS,
    CadreRecord,
    HolidayDuty,
    Inspection,
)


@transaction.atomic
def cadre_record_create(
    *,
    actor: User,
    node: Node,
    kind: str,
    cadre_name: str,
    day: date,
    reason: str,
    evidence: str = "",
    position: str = "",
    cadre: User | None = None,
    inspection: Inspection | None = None,
) -> CadreRecord:
    """Praise, accountability (约谈, 通报批评, 诫勉…) or a 三项机制 action for a cadre."""
    require_permission_at(actor, "supervision.cadre_records", node)
    if inspection is not None and not inspection.node.path.startswith(node.path):
        raise ValidationError({"inspection": "相关督查须在该辖区内"})
    if kind not in THREE_MECHANISMS and not (reason or "").strip():
        raise ValidationError({"reason": "请填写事由"})
    record = CadreRecord(
        node=node,
        kind=kind,
        cadre_name=cadre_name.strip(),
        cadre=cadre,
        position=position.strip(),
        day=day,
        reason=reason.strip(),
        evidence=evidence.strip(),
        inspection=inspection,
        created_by=actor,
    )
    record.full_clean(exclude=["node", "created_by", "cadre", "inspection"])
    record.save()
    audit_record(
        actor=actor,
        action="supervision.cadre_record.create",
        obj=record,
        fields=["kind", "cadre_name", "reason", "evidence"],
    )
    return record


@transaction.atomic
def holiday_duty_create(
    *, actor: User, node: Node, cadre_name: str, day: date, place: str
) -> HolidayDuty:
    """Type a cadre's day of holiday duty where no checkpoint check-in records it."""
    require_permission_at(actor, "supervision.duty", node)
    duty = HolidayDuty(
        node=node, cadre_name=cadre_name.strip(), day=day, place=place.strip(), created_by=actor
    )
    duty.full_clean(exclude=["node", "created_by"])
    try:
        with transaction.atomic():
            duty.save()
    except IntegrityError:
        raise ValidationError({"day": f"{duty.cadre_name} {day} 已登记"}) from None
    audit_record(
        actor=actor,
        action="supervision.duty.create",
        obj=duty,
        fields=["cadre_name", "day", "place"],
    )
    return duty
