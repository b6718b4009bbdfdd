"""Shared by the views of this app: constants and small helpers."""

from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date

from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    user_can,
)


def _span(request: HttpRequest, default_days: int = 3650) -> tuple[date, date]:
    end = parse_date(request.GET.get("to") or "") or timezone.localdate()
    start = parse_date(request.GET.get("from") or "") or end - timedelta(days=default_days)
    return start, end


def _node_filter(request: HttpRequest, permission: str):
    """The node a list is narrowed to (?node=), which must be within the user's scope."""
    raw = request.GET.get("node")
    if not raw:
        return None
    return get_visible_or_404(nodes_visible(request.user, permission), pk=raw)


def _subtree(queryset, node, field: str):
    return (
        queryset if node is None else queryset.filter(**{f"{field}__path__startswith": node.path})
    )


def tabs(request: HttpRequest) -> dict:
    user = request.user
    return {
        "can_keep": user_can(user, "supplies.keep"),
        "can_fund": user_can(user, "supplies.fund"),
        "can_disclose": user_can(user, "supplies.disclose"),
        "can_view": user_can(user, "supplies.view"),
    }
