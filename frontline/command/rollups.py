"""Daily rollups: a figure's value for one node and one closed day, counted once and kept.

A span's value is then assembled from days: figures that add up day by day (`count`,
`sum`) are the sum of their days; a state (`latest`) is its last day; a `distinct` figure
(people, checkpoints counted once over the span) cannot be assembled and is counted for
the span itself. Only today is counted live, so a month costs the same as a day however
many readings lie below the node.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.command.models import FigureDay
from frontline.core.models import Node
from frontline.core.registry import Figure

ADDITIVE = frozenset({"count", "sum"})
# What waits to be acted on right now (open alerts, overdue errands, low stock): counted
# live when a span reaches today, never kept for a day, absent from a span that ended.
NOW = "now"
# Units whose figures are Decimal (money, tonnes); every other figure is a whole number.
DECIMAL_UNITS = frozenset({"元", "吨"})


def days_of(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def number(figure: Figure, value: int | Decimal) -> int | Decimal:
    """A figure's value as its readers expect it: Decimal with two places for money and
    tonnes, a whole number for everything else (rollups store every value as Decimal)."""
    if figure.unit in DECIMAL_UNITS:
        return Decimal(value).quantize(Decimal("0.01"))
    return int(value)


def _compute(figure: Figure, node: Node, start: date, end: date) -> Decimal:
    return Decimal(figure.compute(node, start, end))


def daily_values(
    node: Node, figures: Sequence[Figure], days: Iterable[date]
) -> dict[tuple[str, date], Decimal]:
    """Each figure's value on each day: closed days from the rollups (computed and kept on
    first use), today and later counted live and never kept.

    A read that writes: the rollup is a cache of what the owning apps' rows say, filled
    the first time a closed day is asked for. Two readers filling one day at once both
    compute it; the unique constraint keeps one row and the values are the same.
    """
    today = timezone.localdate()
    days = sorted(set(days))
    closed = [day for day in days if day < today]
    figures = [figure for figure in figures if figure.kind != NOW]
    keys = [figure.key for figure in figures]
    values: dict[tuple[str, date], Decimal] = {}
    if closed and keys:
        for key, day, value in FigureDay.objects.filter(
            node=node, key__in=keys, day__in=closed
        ).values_list("key", "day", "value"):
            values[(key, day)] = value
    fresh = []
    for figure in figures:
        for day in days:
            if (figure.key, day) in values:
                continue
            value = _compute(figure, node, day, day)
            values[(figure.key, day)] = value
            if day < today:
                fresh.append(FigureDay(node=node, key=figure.key, day=day, value=value))
    if fresh:
        FigureDay.objects.bulk_create(fresh, ignore_conflicts=True)
    return values


def span_values(
    node: Node, figures: Sequence[Figure], start: date, end: date
) -> dict[str, int | Decimal]:
    """Each figure's value for the node's subtree over start…end, assembled from days; a
    `now` figure only when the span reaches today."""
    additive = [f for f in figures if f.kind in ADDITIVE]
    latest = [f for f in figures if f.kind == "latest"]
    days = days_of(start, end)
    daily = daily_values(node, additive, days)
    daily.update(daily_values(node, latest, [end]))
    result: dict[str, int | Decimal] = {}
    today = timezone.localdate()
    for figure in figures:
        if figure.kind == NOW:
            if end < today:
                continue
            value = _compute(figure, node, today, today)
        elif figure.kind in ADDITIVE:
            value = sum((daily[(figure.key, day)] for day in days), Decimal(0))
        elif figure.kind == "latest":
            value = daily[(figure.key, end)]
        else:
            value = _compute(figure, node, start, end)
        result[figure.key] = number(figure, value)
    return result


def recompute(node: Node, figures: Sequence[Figure], days: Iterable[date]) -> int:
    """Count closed days again and replace their rollups (late entries, a corrected
    record); returns how many rollups were written."""
    today = timezone.localdate()
    closed = sorted(day for day in set(days) if day < today)
    figures = [figure for figure in figures if figure.kind != NOW]
    rows = [
        FigureDay(node=node, key=figure.key, day=day, value=_compute(figure, node, day, day))
        for figure in figures
        for day in closed
    ]
    FigureDay.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["node", "key", "day"],
        update_fields=["value", "computed_at"],
    )
    return len(rows)


def closed_day_forget(sender, *, node: Node, day: date, **kwargs) -> None:
    """A record landed on a closed day below `node`: the day's kept figures of the node and
    every node above it are dropped in the writer's transaction, and counted again the
    next time they are read (the writer need not know which figures it touched)."""
    FigureDay.objects.filter(node_id__in=node.ancestor_ids(), day=day).delete()
