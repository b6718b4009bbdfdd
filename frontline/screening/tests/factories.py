"""Screening records, checklist items and assignments for tests, made through the services."""

from datetime import date

from django.utils import timezone

from frontline.core.models import Node, User
from frontline.screening import services
from frontline.screening.models import Assignment, ChecklistItem, ScreeningRecord


def _admin() -> User:
    return User.objects.get(username="admin")


def checklist_make(node: Node, *labels: str) -> list[ChecklistItem]:
    return [
        services.checklist_item_create(actor=_admin(), node=node, label=label)
        for label in labels or services.DEFAULT_CHECKLIST
    ]


def record_make(
    unit: Node, by: User, day: date | None = None, findings: str = "", **kwargs
) -> ScreeningRecord:
    record, _ = services.record_create(
        actor=by,
        unit=unit,
        day=day or timezone.localdate(),
        checks=kwargs.pop("checks", {}),
        findings=findings,
        **kwargs,
    )
    return record


def assignment_make(node: Node, assignee: User) -> Assignment:
    return services.assignment_create(actor=_admin(), node=node, assignee=assignee)
