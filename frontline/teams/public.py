"""What other apps may use of teams; nothing else of teams is theirs to import.

- The loudspeaker routes (小喇叭宣传) teams logged, per node and day
  (`loudspeaker_routes_by_node`): publicity counts them instead of having them typed twice.
"""

from datetime import date

from django.db.models import Count

from frontline.core.models import Node
from frontline.core.scoping import path_filter
from frontline.teams.models import Activity, ActivityKind

__all__ = ["loudspeaker_routes_by_node"]


def loudspeaker_routes_by_node(node: Node, start: date, end: date) -> dict[tuple[int, date], int]:
    """{(team's node id, day): loudspeaker outings logged} for teams at and below a node over
    start…end; each logged outing is one route driven."""
    rows = (
        Activity.objects.filter(
            path_filter([node.path], "team__node__path"),
            kind=ActivityKind.LOUDSPEAKER,
            day__range=(start, end),
        )
        .values("team__node_id", "day")
        .annotate(n=Count("id"))
    )
    return {(row["team__node_id"], row["day"]): row["n"] for row in rows}
