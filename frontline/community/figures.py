"""Community figures for the command dashboard; each url lists exactly what is counted."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from frontline.community.models import (
    FUNERAL_KINDS,
    CareVisit,
    Exemplar,
    FamilyEvent,
    FamilyEventKind,
)
from frontline.community.selectors import publicity_rows
from frontline.core.models import Node
from frontline.core.scoping import path_filter


def _span(node: Node, start: date, end: date) -> str:
    """The list's own names for a figure's node and days: ?node=&since=&until=."""
    return "?" + urlencode({"node": node.pk, "since": start.isoformat(), "until": end.isoformat()})


def _within(node: Node):
    return path_filter([node.path], "node__path")


def leaflets(node: Node, start: date, end: date) -> int:
    """Leaflets handed out, with control's 送咨询 deliveries counted in (宣传单)."""
    return sum(row["total"] for row in publicity_rows(node, start, end))


def publicity_page(node: Node, start: date, end: date) -> str:
    return reverse("community:publicity") + _span(node, start, end)


def _events(node: Node, start: date, end: date):
    return FamilyEvent.objects.filter(_within(node), planned_on__range=(start, end))


def weddings_postponed(node: Node, start: date, end: date) -> int:
    """Weddings postponed (红事延办) planned in the span."""
    return _events(node, start, end).filter(kind=FamilyEventKind.WEDDING_POSTPONED).count()


def funerals_simplified(node: Node, start: date, end: date) -> int:
    """Funerals simplified or postponed (白事简办/延办) in the span."""
    return _events(node, start, end).filter(kind__in=FUNERAL_KINDS).count()


def events_page(kind: str):
    def url(node: Node, start: date, end: date) -> str:
        return reverse("community:family_events") + _span(node, start, end) + f"&kind={kind}"

    return url


def _visits(node: Node, start: date, end: date):
    return CareVisit.objects.filter(_within(node), day__range=(start, end))


def care_visits(node: Node, start: date, end: date) -> int:
    """Care visits to the elderly living alone and left-behind children."""
    return _visits(node, start, end).count()


def care_volunteers(node: Node, start: date, end: date) -> int:
    """Volunteers who made at least one care visit (by name, each once)."""
    return _visits(node, start, end).values("visitor_name").distinct().count()


def care_page(node: Node, start: date, end: date) -> str:
    return reverse("community:care_visits") + _span(node, start, end)


def volunteers_page(node: Node, start: date, end: date) -> str:
    return reverse("community:care_volunteers") + _span(node, start, end)


def exemplars(node: Node, start: date, end: date) -> int:
    """Exemplary people and teams recorded in the span (先进典型)."""
    return Exemplar.objects.filter(_within(node), day__range=(start, end)).count()


def exemplars_page(node: Node, start: date, end: date) -> str:
    return reverse("community:exemplars") + _span(node, start, end)
