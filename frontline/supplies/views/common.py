"""Shared by the views of this app: constants and small helpers."""

from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date

from frontline.core.lists import list_node, under
from frontline.core.scoping import (
    user_can,
)


def _span(request: HttpRequest, default_days: int = 3650) -> tuple[date, date]:
    end = parse_date(request.GET.get("to") or "") or timezone.localdate()
    start = parse_date(request.GET.get("from") or "") or end - timedelta(days=default_days)
    return start, end


def _node_filter(request: HttpRequest, permission: str):
    """The node a list is narrowed to (?node=), which must be within the user's scope."""
    return list_node(request.user, request.GET.get("node"), permission)


def _subtree(queryset, node, field: str):
    return under(queryset, node, f"{field}__path")


def tabs(request: HttpRequest) -> dict:
    user = request.user
    return {
        "can_keep": user_can(user, "supplies.keep"),
        "can_fund": user_can(user, "supplies.fund"),
        "can_disclose": user_can(user, "supplies.disclose"),
        "can_view": user_can(user, "supplies.view"),
    }
