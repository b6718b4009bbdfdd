"""What a list page a figure links to reads from its query string: the node it is narrowed
to and the span of days (`?node=&from=&to=`), and the link that asks for them."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from frontline.core.models import Node, User
from frontline.core.scoping import get_visible_or_404, nodes_visible, path_filter


def under(qs: QuerySet, node: Node | None, field: str = "node__path") -> QuerySet:
    """Rows of a node's subtree (the whole queryset when no node is given): how a list and
    its figure narrow the same rows to the same place."""
    return qs if node is None else qs.filter(path_filter([node.path], field))


def list_url(url_name: str, node: Node, start: date, end: date, **extra) -> str:
    """A figure's link: the list page narrowed to the node and the span."""
    query = {"node": node.pk, "from": start.isoformat(), "to": end.isoformat(), **extra}
    return f"{reverse(url_name)}?{urlencode(query)}"


def node_url(url_name: str, node: Node, **extra) -> str:
    """A link of a figure that is a state now (open alerts, unmanned checkpoints): the list
    page narrowed to the node only."""
    return f"{reverse(url_name)}?{urlencode({'node': node.pk, **extra})}"


def list_node(user: User, raw: str | None, permission: str) -> Node | None:
    """The node a list is narrowed to (`raw`, the view's `request.GET.get("node")`, read in
    the view so that the scoping walk sees it); one outside the user's scope is 404."""
    if not raw:
        return None
    return get_visible_or_404(nodes_visible(user, permission), pk=raw)


def list_span(request: HttpRequest, days_back: int = 0) -> tuple[date, date]:
    """The span of days asked for; by default today and the `days_back` days before it."""
    today = timezone.localdate()
    start = parse_date(request.GET.get("from") or "") or today - timedelta(days=days_back)
    end = parse_date(request.GET.get("to") or "") or today
    return (start, end) if start <= end else (end, start)
