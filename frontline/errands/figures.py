"""Errands' figure for the command dashboard: 代购/送餐 delivered in the span."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from frontline.core.lists import node_url, under
from frontline.core.models import Node
from frontline.core.scoping import path_filter
from frontline.errands.models import DONE, UNFINISHED, Errand


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def done_in_span(node: Node, start: date, end: date) -> QuerySet[Errand]:
    """Errands under the node delivered within the span (settled since, or not)."""
    low, high = _span(start, end)
    return Errand.objects.filter(
        path_filter([node.path], "node__path"),
        status__in=DONE,
        delivered_at__gte=low,
        delivered_at__lt=high,
    )


def errands_done(node: Node, start: date, end: date) -> int:
    """代购/送餐 delivered (or delivered and settled) in the span."""
    return done_in_span(node, start, end).count()


def done_page(node: Node, start: date, end: date) -> str:
    return reverse("errands:done") + f"?node={node.pk}&start={start}&end={end}"


def overdue_now(errands: QuerySet[Errand], now: datetime | None = None) -> QuerySet[Errand]:
    """Of these errands, those past their deliver-by time and not yet delivered: what the
    逾期跑腿 figure counts and the overdue list shows."""
    return errands.filter(status__in=UNFINISHED, deliver_by__lt=now or timezone.now())


def errands_overdue(node: Node, start: date, end: date) -> int:
    """Errands past their deliver-by time and not yet delivered, right now (逾期跑腿)."""
    return overdue_now(under(Errand.objects.all(), node)).count()


def overdue_page(node: Node, start: date, end: date) -> str:
    return node_url("errands:overdue", node)
