"""Screening's figure for the command dashboard: units screened."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.scoping import path_filter
from frontline.screening.models import ScreeningRecord
from frontline.screening.selectors import units_under


def units_screened(node: Node, start: date, end: date) -> int:
    """Villages and enterprises screened, counted once per day (on one day: the units
    screened that day; over a week: unit-days)."""
    return (
        ScreeningRecord.objects.filter(
            path_filter([node.path], "node__path"), day__range=(start, end)
        )
        .values("node_id", "day")
        .distinct()
        .count()
    )


def board_page(node: Node, start: date, end: date) -> str:
    return reverse("screening:board")


def units_unscreened(node: Node, start: date, end: date) -> int:
    """Villages and enterprises not yet screened today (今日未排查单位)."""
    units = units_under(node)
    screened = (
        ScreeningRecord.objects.filter(day=timezone.localdate(), node__in=units)
        .values("node_id")
        .distinct()
        .count()
    )
    return units.count() - screened
