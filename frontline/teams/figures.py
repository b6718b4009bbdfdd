"""Teams' figures for the command dashboard: teams of each of the seed's kinds, volunteers and
volunteer hours. Each counts the rows its list page shows for the same node and span."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from frontline.core.lists import list_url
from frontline.core.models import Node
from frontline.teams import selectors
from frontline.teams.models import Team, TeamMember

# Figure key → the seeded kind's code (teams/migrations/0002).
KIND_FIGURES = {
    "purchase_vehicles": ("purchase_vehicle", "党员代购车", "辆"),
    "service_squads": ("service_squad", "服务小分队", "支"),
    "patrol_teams": ("patrol", "志愿巡逻队", "支"),
    "loudspeaker_teams": ("loudspeaker", "小喇叭宣传队", "支"),
    "prevention_teams": ("prevention", "防控志愿队", "支"),
    "volunteer_service_teams": ("volunteer_service", "志愿服务队", "支"),
}


def teams_of_kind(code: str):
    def compute(node: Node, start: date, end: date) -> int:
        qs = selectors.under(Team.objects.all(), node, "node__path")
        return qs.filter(kind__code=code).count()

    compute.__doc__ = f"Teams of kind {code} under the node."
    return compute


def _members(node: Node):
    return selectors.under(TeamMember.objects.all(), node, "team__node__path")


def volunteers(node: Node, start: date, end: date) -> int:
    """People in any team under the node, each once (志愿者)."""
    return len(selectors.volunteer_rows(_members(node), start, end))


def volunteer_hours(node: Node, start: date, end: date) -> int:
    """Hours volunteered in the span by the people of the node's teams, in whole hours
    (figures other than money and tonnes are whole numbers; the list shows the tenths)."""
    total = selectors.hours_total(_members(node), start, end)
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def team_page(code: str):
    return lambda node, start, end: list_url("teams:list", node, start, end, kind=code)


def volunteer_page(node: Node, start: date, end: date) -> str:
    return list_url("teams:volunteers", node, start, end)
