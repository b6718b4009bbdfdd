"""Enterprise figures for the command dashboard (issue 20's keys): resumed enterprises,
employees on site, policy money granted and difficulty tickets resolved."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.scoping import path_filter
from frontline.enterprises.models import (
    AppState,
    Enterprise,
    Headcount,
    PolicyApplication,
    PolicyStatus,
    Ticket,
)


def resumed(node: Node, end: date) -> QuerySet[Enterprise]:
    """Enterprises of the subtree whose application was approved on or before `end`."""
    return Enterprise.objects.filter(
        path_filter([node.path], "node__path"),
        application__state=AppState.APPROVED,
        application__approved_on__lte=end,
    )


def enterprises_resumed(node: Node, start: date, end: date) -> int:
    """Enterprises resumed (复工企业) as of the span's last day: a state, not a flow."""
    return resumed(node, end).count()


def employees_on_site(node: Node, start: date, end: date) -> int:
    """The on-site headcount of the resumed enterprises (在岗员工) as of the last day: each
    enterprise's latest dated figure on or before it. One whose history starts later (or
    was loaded without one) counts its record's current figure."""
    latest = (
        Headcount.objects.filter(enterprise=OuterRef("pk"), day__lte=end)
        .order_by("-day")
        .values("onsite")[:1]
    )
    on_site = resumed(node, end).annotate(n=Coalesce(Subquery(latest), F("onsite_headcount")))
    return on_site.aggregate(total=Sum("n"))["total"] or 0


def granted(node: Node, start: date, end: date) -> QuerySet[PolicyApplication]:
    return PolicyApplication.objects.filter(
        path_filter([node.path], "enterprise__node__path"),
        status=PolicyStatus.GRANTED,
        decided_on__range=(start, end),
    )


def policy_support(node: Node, start: date, end: date) -> Decimal:
    """Support granted in the span (惠企资金, 元)."""
    return granted(node, start, end).aggregate(total=Sum("granted"))["total"] or Decimal("0")


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def resolved(node: Node, start: date, end: date) -> QuerySet[Ticket]:
    low, high = _day_bounds(start, end)
    return Ticket.objects.filter(
        path_filter([node.path], "enterprise__node__path"),
        resolved_at__gte=low,
        resolved_at__lt=high,
    )


def tickets_resolved(node: Node, start: date, end: date) -> int:
    """Difficulty tickets resolved in the span (已解决企业困难)."""
    return resolved(node, start, end).count()


def resumed_page(node: Node, start: date, end: date) -> str:
    query = {"node": node.pk, "status": AppState.APPROVED, "until": end.isoformat()}
    return f"{reverse('enterprises:list')}?{urlencode(query)}"


def policy_page(node: Node, start: date, end: date) -> str:
    query = {"node": node.pk, "status": PolicyStatus.GRANTED, "start": start, "end": end}
    return f"{reverse('enterprises:policy_applications')}?{urlencode(query)}"


def tickets_page(node: Node, start: date, end: date) -> str:
    query = {"node": node.pk, "resolved_start": start, "resolved_end": end}
    return f"{reverse('enterprises:tickets')}?{urlencode(query)}"
