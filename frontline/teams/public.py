"""What other apps may use of teams; nothing else of teams is theirs to import.

- The loudspeaker routes (小喇叭宣传) teams logged, per node and day
  (`loudspeaker_routes_by_node`): publicity counts them instead of having them typed twice.
- The 党员代购车 a user rides in, as a member or its leader (`purchase_vehicles_of`):
  errands lets a volunteer claim a request for the vehicle, and its whole crew carry it.
"""

from datetime import date

from django.db.models import Count, QuerySet

from frontline.core.models import Node, User
from frontline.core.scoping import path_filter
from frontline.teams.models import Activity, ActivityKind, Team

__all__ = ["loudspeaker_routes_by_node", "purchase_vehicles_of"]

PURCHASE_VEHICLE = "purchase_vehicle"


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


def purchase_vehicles_of(user: User) -> QuerySet[Team]:
    """The purchase-vehicle teams (党员代购车) the user is in through their account, as a
    member or as its leader, with their node; by name."""
    if not user.is_authenticated:
        return Team.objects.none()
    return (
        Team.objects.filter(kind__code=PURCHASE_VEHICLE, members__user=user)
        .select_related("node")
        .distinct()
        .order_by("name", "pk")
    )
