"""Writes for screening: checklist items, assignments and records; each audited. Persons
found are handed over to key-person control through its public module."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.control import public as control
from frontline.core.audit import audit_record
from frontline.core.closed_days import closed_day_touch
from frontline.core.idempotency import idempotent_answer, request_digest
from frontline.core.models import Node, NodeKind, User
from frontline.core.scoping import require_permission_at
from frontline.screening.models import Assignment, ChecklistItem, ScreeningRecord
from frontline.screening.selectors import checklist_for, units_for_record

UNIT_KINDS = (NodeKind.VILLAGE, NodeKind.ENTERPRISE)
ASSIGNABLE_KINDS = (NodeKind.VILLAGE, NodeKind.ENTERPRISE, NodeKind.GRID)
# Persons found on one visit (the form offers 20 rows) and checklist answers in one record
# (a unit's checklist is a handful of items): the API holds the same limits.
PERSONS_MAX = 20
CHECKS_MAX = 100
DEFAULT_CHECKLIST = ["出入口管控", "进门测温", "消毒记录", "佩戴口罩", "人员台账更新"]


@transaction.atomic
def checklist_item_create(*, actor: User, node: Node, label: str) -> ChecklistItem:
    """Add an item to the checklist used for every unit under the node."""
    require_permission_at(actor, "screening.manage", node)
    last = ChecklistItem.objects.filter(node=node).order_by("-position").first()
    item = ChecklistItem(
        node=node, label=label.strip(), position=(last.position + 1) if last else 1
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="screening.checklist.add", obj=item, fields=["label"])
    return item


@transaction.atomic
def checklist_defaults_create(*, actor: User, node: Node) -> list[ChecklistItem]:
    """Give a node the usual five checks, so a new town can start screening at once."""
    existing = set(ChecklistItem.objects.filter(node=node).values_list("label", flat=True))
    return [
        checklist_item_create(actor=actor, node=node, label=label)
        for label in DEFAULT_CHECKLIST
        if label not in existing
    ]


@transaction.atomic
def checklist_item_set_active(*, actor: User, item: ChecklistItem, active: bool) -> ChecklistItem:
    """Retire an item (or bring it back); past records keep the label they were checked under."""
    require_permission_at(actor, "screening.manage", item.node)
    item.is_active = active
    item.save(update_fields=["is_active"])
    audit_record(actor=actor, action="screening.checklist.toggle", obj=item, fields=["is_active"])
    return item


@transaction.atomic
def assignment_create(*, actor: User, node: Node, assignee: User) -> Assignment:
    """Make a leader or cadre responsible for screening a village, enterprise or grid."""
    require_permission_at(actor, "screening.manage", node)
    if node.kind not in ASSIGNABLE_KINDS:
        raise ValidationError({"node": "只能安排到村、网格或企业"})
    assignment, created = Assignment.objects.get_or_create(
        node=node, assignee=assignee, defaults={"created_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="screening.assignment.create",
            obj=assignment,
            fields=["node", "assignee"],
        )
    return assignment


@transaction.atomic
def assignment_delete(*, actor: User, assignment: Assignment) -> None:
    """Take a screening responsibility away."""
    require_permission_at(actor, "screening.manage", assignment.node)
    node, pk = assignment.node, assignment.pk
    assignment.delete()
    audit_record(
        actor=actor,
        action="screening.assignment.delete",
        node=node,
        object_type="screening.assignment",
        object_id=pk,
        fields=["node", "assignee"],
    )


@dataclass(frozen=True)
class PersonFound:
    """A person met during screening who needs control."""

    name: str
    origin: str = ""
    temperature: Decimal | None = None
    reason: str = ""


@transaction.atomic
def record_create(
    *,
    actor: User,
    unit: Node,
    day: date,
    checks: dict[int, bool],
    findings: str = "",
    persons: list[PersonFound] = (),  # type: ignore[assignment]
    idempotency_key: str | None = None,
    photo: File | None = None,
) -> tuple[ScreeningRecord, bool]:
    """Record a screening visit; persons found are handed over to key-person control.
    Returns (record, created).

    The same user's idempotency key again returns the first record and creates nothing;
    with another body it is IdempotencyConflict.
    """
    digest = request_digest(
        unit=unit.pk,
        day=day,
        checks={str(item): bool(ok) for item, ok in checks.items()},
        findings=findings.strip(),
        persons=[
            [person.name, person.origin, person.temperature, person.reason] for person in persons
        ],
        photo=photo.name if photo is not None else "",
    )
    if idempotency_key:
        existing = ScreeningRecord.objects.filter(
            screened_by=actor, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return idempotent_answer(existing, digest), False
    if not units_for_record(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied("不在您的排查范围内")
    if unit.kind not in UNIT_KINDS:
        raise ValidationError({"node": "排查对象必须是村（社区）或企业"})
    if day > timezone.localdate():
        raise ValidationError({"day": "排查日期不能晚于今天"})
    if len(persons) > PERSONS_MAX:
        raise ValidationError({"persons": f"一次排查最多登记 {PERSONS_MAX} 名需管控人员"})
    items = checklist_for(unit)
    record = ScreeningRecord(
        node=unit,
        day=day,
        screened_by=actor,
        checks=[
            {"item": item.pk, "label": item.label, "ok": bool(checks.get(item.pk))}
            for item in items
        ],
        findings=findings.strip(),
        idempotency_key=idempotency_key or None,
        request_digest=digest,
    )
    if photo is not None:
        record.photo.save(photo.name, photo, save=False)
    # The key's uniqueness is the database's to answer (the IntegrityError below): a check
    # here would only race a concurrent submission of the same key and refuse it.
    record.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another request with the same key committed first: answer with its record.
        stored = ScreeningRecord.objects.get(screened_by=actor, idempotency_key=idempotency_key)
        return idempotent_answer(stored, digest), False
    for person in persons:
        control.referral_open(
            actor=actor,
            node=unit,
            source_kind=control.ReferralSource.SCREENING,
            source_id=record.pk,
            name=person.name,
            origin=person.origin,
            temperature=person.temperature,
            reason=person.reason or "排查发现",
        )
    audit_record(
        actor=actor,
        action="screening.record.create",
        obj=record,
        fields=["day", "checks", "findings", *(["photo"] if photo else [])],
    )
    # A visit filed the next morning counts on the day it was made.
    closed_day_touch(unit, day)
    return record, True
