"""The enterprise registry: records, credit codes, sectors, headcount."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, NodeKind, User
from frontline.core.scoping import require_permission_at, user_can
from frontline.enterprises.models import (
    Enterprise,
    Headcount,
    Sector,
    uscc_normalise,
)


@transaction.atomic
def enterprise_register(
    *,
    actor: User,
    node: Node,
    uscc: str,
    sector: Sector,
    planned_headcount: int = 0,
    onsite_headcount: int = 0,
    party_branch: str = "",
) -> Enterprise:
    """Give an enterprise node its registry record (once)."""
    require_permission_at(actor, "enterprises.manage", node)
    if node.kind != NodeKind.ENTERPRISE:
        raise ValidationError({"node": "只能为企业节点建档"})
    if Enterprise.objects.filter(node=node).exists():
        raise ValidationError({"node": f"“{node.name}”已经建档"})
    enterprise = Enterprise(
        node=node,
        uscc=uscc_normalise(uscc),
        sector=sector,
        planned_headcount=planned_headcount,
        onsite_headcount=onsite_headcount,
        party_branch=party_branch.strip(),
    )
    enterprise.full_clean()
    enterprise.save()
    _headcount_write(actor, enterprise, timezone.localdate(), onsite_headcount)
    audit_record(
        actor=actor,
        action="enterprises.enterprise.create",
        obj=enterprise,
        fields=["uscc", "sector", "planned_headcount", "onsite_headcount", "party_branch"],
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **changes) -> Enterprise:
    """Change an enterprise's record: the town's cadres anything, its contact the headcounts."""
    allowed = {"uscc", "sector", "planned_headcount", "onsite_headcount", "party_branch"}
    if not user_can(actor, "enterprises.manage", enterprise.node):
        require_permission_at(actor, "enterprises.file", enterprise.node)
        allowed = {"planned_headcount", "onsite_headcount"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "您不能修改这一项"})
    if "uscc" in changes:
        changes["uscc"] = uscc_normalise(changes["uscc"])
    fields = [key for key, value in changes.items() if getattr(enterprise, key) != value]
    for key, value in changes.items():
        setattr(enterprise, key, value.strip() if isinstance(value, str) else value)
    enterprise.full_clean()
    enterprise.save()
    if "onsite_headcount" in fields:
        _headcount_write(actor, enterprise, timezone.localdate(), enterprise.onsite_headcount)
    audit_record(actor=actor, action="enterprises.enterprise.update", obj=enterprise, fields=fields)
    return enterprise


def _headcount_write(actor: User | None, enterprise: Enterprise, day: date, onsite: int) -> None:
    """Store the day's figure (a second figure the same day replaces the first)."""
    row, _ = Headcount.objects.get_or_create(
        enterprise=enterprise, day=day, defaults={"onsite": onsite, "recorded_by": actor}
    )
    row.onsite, row.recorded_by = onsite, actor
    row.full_clean()
    row.save()


# How far back a headcount may be recorded: a week forgotten, not a season rewritten.
HEADCOUNT_BACK_DAYS = 31


@transaction.atomic
def headcount_record(*, actor: User, enterprise: Enterprise, day: date, onsite: int) -> Headcount:
    """Record the on-site headcount of a day; the newest day's figure is the enterprise's
    current one (the list and the dashboard read it)."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": "日期不能晚于今天"})
    if day < today - timedelta(days=HEADCOUNT_BACK_DAYS):
        raise ValidationError({"day": f"只能补记 {HEADCOUNT_BACK_DAYS} 天内的在岗人数"})
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _headcount_write(actor, enterprise, day, onsite)
    newest = enterprise.headcounts.order_by("-day").values_list("onsite", flat=True).first()
    if newest != enterprise.onsite_headcount:
        enterprise.onsite_headcount = newest
        enterprise.full_clean()
        enterprise.save(update_fields=["onsite_headcount"])
    audit_record(
        actor=actor,
        action="enterprises.headcount.record",
        obj=enterprise,
        fields=["day", "onsite"],
    )
    return Headcount.objects.get(enterprise=enterprise, day=day)
