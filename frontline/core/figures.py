"""Core's figures for the command dashboard: the places under a node."""

from datetime import date

from django.urls import reverse

from frontline.core.models import Node, NodeKind


def _active_below(node: Node):
    low, high = node.bounds
    return Node.objects.filter(path__gte=low, path__lt=high, is_active=True)


def villages(node: Node, start: date, end: date) -> int:
    """Active villages and communities at or below the node."""
    return _active_below(node).filter(kind=NodeKind.VILLAGE).count()


def enterprises(node: Node, start: date, end: date) -> int:
    """Active enterprises at or below the node."""
    return _active_below(node).filter(kind=NodeKind.ENTERPRISE).count()


def enterprise_grids(node: Node, start: date, end: date) -> int:
    """Grids that hold enterprises (the zone's 六大网格 sit under the town, not a village)."""
    return _active_below(node).filter(kind=NodeKind.GRID, parent__kind=NodeKind.TOWN).count()


def node_page(node: Node, start: date, end: date) -> str:
    """The node's page, which lists its villages, grids and enterprises."""
    return reverse("core:node_detail", args=[node.pk])
