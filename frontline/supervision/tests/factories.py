"""Groups, inspections and findings for tests, made through the services as users make them."""

import importlib
import itertools
from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from frontline.core.models import Node, User
from frontline.supervision import services
from frontline.supervision.demo import SEED
from frontline.supervision.models import InspectionGroup, Rubric, TargetKind

_keys = itertools.count(1)


def rubric_of(kind: str = TargetKind.VILLAGE) -> Rubric:
    """The seeded rubric for a kind of target. A transactional test (a browser test) that
    ran before on the same worker empties the tables, the migration's seed included: seed
    again then, as the migration does."""
    if not Rubric.objects.filter(node=None).exists():
        importlib.import_module(SEED).seed(apps, None)
    return Rubric.objects.get(node=None, target_kind=kind)


def group_make(
    node: Node, members: list[User], scope: list[Node], name: str = ""
) -> InspectionGroup:
    return services.group_create(
        actor=None, node=node, name=name or f"督察组{next(_keys)}", members=members, scope=scope
    )


def full_scores(rubric: Rubric, minus: int = 0) -> dict[str, int]:
    """Every item at full points but `minus` points short in all, taken from the first items."""
    scores = {}
    for item in rubric.items.all():
        taken = min(minus, item.points)
        minus -= taken
        scores[str(item.pk)] = item.points - taken
    return scores


def inspection_make(
    *,
    inspector: User,
    group: InspectionGroup,
    target: Node,
    kind: str = TargetKind.VILLAGE,
    target_id: int | None = None,
    minus: int = 0,
    findings: list[dict] = (),
    at=None,
):
    rubric = rubric_of(kind)
    inspection, _ = services.inspection_create(
        actor=inspector,
        group=group,
        rubric=rubric,
        target_kind=kind,
        target_id=target_id or target.pk,
        scores=full_scores(rubric, minus),
        findings=list(findings),
        idempotency_key=f"test-{next(_keys)}",
        at=at,
    )
    return inspection


def finding_spec(
    owner: User | None = None, deadline: date | None = None, text: str = "测温登记不全"
) -> dict:
    return {
        "text": text,
        "owner_id": owner.pk if owner else None,
        "deadline": deadline or timezone.localdate() + timedelta(days=2),
    }
