"""Screening's figures for the command dashboard: units screened, units not screened today.
Each counts the rows its list page shows for the same node and span."""

from datetime import date

from django.utils import timezone

from frontline.core.lists import list_url, node_url
from frontline.core.models import Node
from frontline.screening import selectors
from frontline.screening.models import ScreeningRecord


def units_screened(node: Node, start: date, end: date) -> int:
    """Villages and enterprises screened, counted once per day (on one day: the units
    screened that day; over a week: unit-days)."""
    qs = selectors.under(ScreeningRecord.objects.all(), node)
    return selectors.screened_unit_days(qs, start, end).count()


def screened_page(node: Node, start: date, end: date) -> str:
    return list_url("screening:screened", node, start, end)


def units_unscreened(node: Node, start: date, end: date) -> int:
    """Villages and enterprises not yet screened today (今日未排查单位)."""
    units = selectors.units_under(node)
    screened = (
        ScreeningRecord.objects.filter(day=timezone.localdate(), node__in=units)
        .values("node_id")
        .distinct()
        .count()
    )
    return units.count() - screened


def unscreened_page(node: Node, start: date, end: date) -> str:
    """The day's board (today) under the node, showing only the units not screened yet."""
    return node_url("screening:board", node, missing=1)
