"""Reads for teams, already scoped. The figures count the rows the list pages show
(`team_rows`, `volunteer_rows`, `hours_total`)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from frontline.core.models import Node, RoleAssignment, User
from frontline.core.scoping import in_scope, path_filter, scope_paths
from frontline.teams.models import Activity, Team, TeamKind, TeamMember, Vehicle


def kinds_all() -> QuerySet[TeamKind]:
    return TeamKind.objects.all()


def teams_for(user: User, permission: str = "teams.view") -> QuerySet[Team]:
    return in_scope(Team.objects.select_related("node", "kind"), user, permission)


def under(qs: QuerySet, node: Node | None, field: str) -> QuerySet:
    return qs if node is None else qs.filter(path_filter([node.path], field))


def team_rows(qs: QuerySet[Team], kind_code: str | None) -> QuerySet[Team]:
    """Teams of a kind (all kinds when none): each team once, wherever it is listed."""
    qs = qs.annotate(
        member_count=Count("members", distinct=True),
        vehicle_count=Count("vehicles", distinct=True),
    )
    return qs.filter(kind__code=kind_code) if kind_code else qs


def team_members(team: Team) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(team=team).select_related("user", "resident__node__parent")
    )


def team_activities(team: Team, limit: int = 50) -> list[Activity]:
    return list(
        Activity.objects.filter(team=team)
        .prefetch_related("participants__user", "participants__resident")
        .order_by("-day", "-pk")[:limit]
    )


def members_for(user: User, permission: str = "teams.view") -> QuerySet[TeamMember]:
    return in_scope(TeamMember.objects.all(), user, permission, "team__node")


@dataclass
class VolunteerRow:
    resident_id: int | None
    user_id: int | None
    name: str
    teams: int
    activities: int
    hours: Decimal


def _credited(
    members: QuerySet[TeamMember], start: date, end: date, person: dict | None = None
) -> QuerySet:
    """(participant, activity) rows of the span in the teams of these memberships (only a
    team's members take part in its activities), or of one person among them. The span's
    activities are found first, by their (team, day) index, and their participants by
    activity: years of history cost nothing, and no participant row is matched against a
    list of memberships (SQLite probed every membership for every activity)."""
    in_span = Activity.objects.filter(
        team_id__in=members.values("team_id"), day__range=(start, end)
    ).values("pk")
    rows = Activity.participants.through.objects.filter(activity_id__in=in_span)
    if person:
        rows = rows.filter(**{f"teammember__{name}": value for name, value in person.items()})
    return rows


def volunteer_rows(members: QuerySet[TeamMember], start: date, end: date) -> list[VolunteerRow]:
    """Every person of these team memberships once (a volunteer in three teams is one
    volunteer), with teams, activities and hours of the span added up across them."""
    people = (
        members.values(
            "resident_id", "user_id", "resident__name", "user__full_name", "user__username"
        )
        .annotate(teams=Count("team", distinct=True))
        .order_by()
    )
    # Per membership first (the participants' own index, no join to the memberships), then
    # per person: a person takes part in an activity once, so counting rows counts outings.
    person_of = {
        m["pk"]: (m["resident_id"], m["user_id"])
        for m in members.values("pk", "resident_id", "user_id").order_by()
    }
    credited: dict[tuple, list] = {}
    for r in (
        _credited(members, start, end)
        .values("teammember_id")
        .annotate(n=Count("pk"), h=Sum("activity__hours"))
        .order_by()
    ):
        key = person_of.get(r["teammember_id"])
        if key is None:  # a participant outside the memberships asked about
            continue
        entry = credited.setdefault(key, [0, Decimal(0)])
        entry[0] += r["n"]
        entry[1] += r["h"] or 0
    rows = []
    for r in people:
        count, hours = credited.get((r["resident_id"], r["user_id"]), (0, None))
        rows.append(
            VolunteerRow(
                r["resident_id"],
                r["user_id"],
                r["resident__name"] or r["user__full_name"] or r["user__username"],
                r["teams"],
                count,
                hours or Decimal(0),
            )
        )
    # Most hours first, those without any last; then by name, as the list reads.
    rows.sort(key=lambda row: (-row.hours, row.hours == 0, row.name))
    return rows


def hours_total(
    members: QuerySet[TeamMember], start: date, end: date, person: dict | None = None
) -> Decimal:
    """Volunteer hours of the span in these memberships' teams (or of one person, given as
    resident_id= or user_id=): each participant of each activity, its hours."""
    total = _credited(members, start, end, person).aggregate(total=Sum("activity__hours"))["total"]
    return total or Decimal(0)


def person_memberships(members: QuerySet[TeamMember], **person) -> list[TeamMember]:
    """One person's memberships (resident_id= or user_id=) among visible teams."""
    return list(members.filter(**person).select_related("team__kind", "team__node"))


def person_activities(memberships: list[TeamMember], limit: int = 200) -> list[Activity]:
    return list(
        Activity.objects.filter(participants__in=memberships)
        .select_related("team")
        .distinct()
        .order_by("-day", "-pk")[:limit]
    )


def users_for(user: User, permission: str) -> QuerySet[User]:
    """Active users with a role inside the user's scope: who may be put in a team."""
    assignments = RoleAssignment.objects.filter(
        path_filter(scope_paths(user, permission), "node__path"), node__is_active=True
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "full_name", "username"
    )


@dataclass
class KindSummary:
    kind: TeamKind
    teams: int = 0
    members: int = 0
    vehicles: int = 0
    activities: int = 0
    hours: Decimal = Decimal(0)


def kind_summary(teams: QuerySet[Team], start: date, end: date) -> list[KindSummary]:
    """Per kind of team: teams, members, vehicles, and activities and hours of the span —
    the counts the battle report states ("组建 72 支党员小喇叭宣传队")."""
    rows = {kind.pk: KindSummary(kind) for kind in TeamKind.objects.all()}
    for row in teams.values("kind_id").annotate(n=Count("pk")).order_by():
        rows[row["kind_id"]].teams = row["n"]
    members = TeamMember.objects.filter(team__in=teams).values("team__kind_id")
    for row in members.annotate(n=Count("pk")).order_by():
        rows[row["team__kind_id"]].members = row["n"]
    vehicles = Vehicle.objects.filter(team__in=teams).values("team__kind_id")
    for row in vehicles.annotate(n=Count("pk")).order_by():
        rows[row["team__kind_id"]].vehicles = row["n"]
    span = Activity.objects.filter(team__in=teams, day__range=(start, end))
    for row in span.values("team__kind_id").annotate(n=Count("pk")).order_by():
        rows[row["team__kind_id"]].activities = row["n"]
    credited = Activity.participants.through.objects.filter(
        activity__team__in=teams, activity__day__range=(start, end)
    ).values("activity__team__kind_id")
    for row in credited.annotate(h=Sum("activity__hours")).order_by():
        rows[row["activity__team__kind_id"]].hours = row["h"] or Decimal(0)
    return [row for row in rows.values() if row.teams]
