"""Core's figures for the command dashboard: the places under a node."""

from datetime import date

from django.urls import reverse

from frontline.core.models import Node, NodeKind


def _active_below(node: Node):
    low, high = node.bounds
    return Node.objects.filter(path__gte=low, path__lt=high, is_active=True)


# The places the dashboard counts, by the `kind` its link names: label and rows.
PLACES = {
    "village": "村/社区",
    "enterprise": "企业",
    "enterprise_grid": "企业网格",
}


def places_below(node: Node, kind: str):
    """Active places of one kind at or below the node: what a figure counts and its list
    shows. Enterprise grids are the grids under a town (the zone's 六大网格), not a
    village's own grids."""
    below = _active_below(node)
    if kind == "enterprise_grid":
        return below.filter(kind=NodeKind.GRID, parent__kind=NodeKind.TOWN)
    return below.filter(kind={"village": NodeKind.VILLAGE, "enterprise": NodeKind.ENTERPRISE}[kind])


def villages(node: Node, start: date, end: date) -> int:
    """Active villages and communities at or below the node."""
    return places_below(node, "village").count()


def enterprises(node: Node, start: date, end: date) -> int:
    """Active enterprises at or below the node."""
    return places_below(node, "enterprise").count()


def enterprise_grids(node: Node, start: date, end: date) -> int:
    """Grids that hold enterprises (the zone's 六大网格 sit under the town, not a village)."""
    return places_below(node, "enterprise_grid").count()


def _places_url(node: Node, kind: str) -> str:
    return f"{reverse('core:node_below', args=[node.pk])}?kind={kind}"


def villages_page(node: Node, start: date, end: date) -> str:
    return _places_url(node, "village")


def enterprises_page(node: Node, start: date, end: date) -> str:
    return _places_url(node, "enterprise")


def enterprise_grids_page(node: Node, start: date, end: date) -> str:
    return _places_url(node, "enterprise_grid")
