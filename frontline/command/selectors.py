"""Reads of the command dashboard: which figures a user may see at a node, their values
over a span (through the rollups), the node's children side by side, and trends."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.command.models import BattleWording
from frontline.command.rollups import daily_values, days_of, number, span_values
from frontline.core.models import Node, User
from frontline.core.registry import Figure, registry
from frontline.core.scoping import get_visible_or_404, nodes_visible, scope_root, user_can

VIEW = "command.view"
# The longest span a page, the API or an export answers for (a year, and a day for leap years).
MAX_SPAN_DAYS = 366
# Figures shown per child on the dashboard, and drawn as 14-day trends, when present.
CHILD_KEYS = (
    "isolated_now",
    "readings",
    "fevers",
    "readings_missed",
    "units_screened",
    "passers",
    "errands_done",
    "enterprises_resumed",
)
TREND_KEYS = ("readings", "fevers", "passers", "units_screened", "isolated_now", "errands_done")


@dataclass(frozen=True)
class FigureValue:
    """One figure as the dashboard, the report and the API show it."""

    key: str
    label: str
    unit: str
    value: int | Decimal
    url: str | None
    attention: bool
    app: str


def command_node(user: User, node_id: int | None) -> Node:
    """The node the user asked for, or the outermost one they command; 404 outside scope."""
    if node_id is None:
        node = scope_root(user, VIEW)
        if node is None:
            return get_visible_or_404(nodes_visible(user, VIEW), pk=0)
        return node
    return get_visible_or_404(nodes_visible(user, VIEW), pk=node_id)


def figure_app(figure: Figure) -> str:
    """The label of the app that declared a figure."""
    for manifest in registry().manifests.values():
        if any(f.key == figure.key for f in manifest.figures):
            return manifest.label
    return ""


def figures_visible(user: User, node: Node) -> list[Figure]:
    """The registry's figures this user may read at this node, in declaration order.
    A capability that has not landed has no figures: its keys are absent, not zero."""
    return [f for f in registry().figures.values() if user_can(user, f.permission, node)]


def _may_open(user: User, figure: Figure, node: Node) -> bool:
    """Whether the figure's list opens for the user: a link that answers 404 is none."""
    if figure.url is None:
        return False
    return not figure.url_permission or user_can(user, figure.url_permission, node)


def figure_values(user: User, node: Node, start: date, end: date) -> list[FigureValue]:
    """Every figure the user may read at the node, for the span, with its list link."""
    figures = figures_visible(user, node)
    values = span_values(node, figures, start, end)
    return [
        FigureValue(
            key=f.key,
            label=f.label,
            unit=f.unit,
            value=values[f.key],
            url=f.url(node, start, end) if _may_open(user, f, node) else None,
            attention=f.attention,
            app=figure_app(f),
        )
        for f in figures
        if f.key in values
    ]


def children_rows(user: User, node: Node, start: date, end: date) -> tuple[list, list]:
    """The node's visible active children with a few figures each (drill down by a tap)."""
    figures = [f for f in figures_visible(user, node) if f.key in CHILD_KEYS]
    figures.sort(key=lambda f: CHILD_KEYS.index(f.key))
    children = nodes_visible(user, VIEW).filter(parent=node, is_active=True).order_by("name")
    rows = []
    for child in children:
        values = span_values(child, figures, start, end)
        rows.append((child, [values[f.key] for f in figures]))
    return figures, rows


def trends(user: User, node: Node, days: int = 14) -> list[tuple[Figure, list]]:
    """The last `days` days (today included) of the trend figures present."""
    today = timezone.localdate()
    span = days_of(today - timedelta(days=days - 1), today)
    figures = [f for f in figures_visible(user, node) if f.key in TREND_KEYS]
    figures.sort(key=lambda f: TREND_KEYS.index(f.key))
    daily = daily_values(node, figures, span)
    return [(f, [(day, number(f, daily[(f.key, day)])) for day in span]) for f in figures]


def wordings_of(node: Node) -> dict[str, str]:
    """The town's own wording of report sentences, by sentence id: the nearest node at or
    above `node` that set one wins."""
    rows = BattleWording.objects.filter(node_id__in=node.ancestor_ids()).values_list(
        "sentence", "node__depth", "text"
    )
    chosen: dict[str, tuple[int, str]] = {}
    for sentence, depth, text in rows:
        if sentence not in chosen or depth > chosen[sentence][0]:
            chosen[sentence] = (depth, text)
    return {sentence: text for sentence, (_, text) in chosen.items()}


def breadcrumbs(user: User, node: Node) -> list[Node]:
    """The ancestors of the node this user may command, root first."""
    ids = node.ancestor_ids()[:-1]
    return list(nodes_visible(user, VIEW).filter(pk__in=ids).order_by("depth"))
