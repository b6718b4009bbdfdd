"""API for teams: the list and a new team, members, and activity logs from phones."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from frontline.checkpoints import public as checkpoints
from frontline.core.limits import Choice, Id, IdempotencyKey, Text
from frontline.core.scoping import get_visible_or_404, nodes_visible, user_can
from frontline.people import public as people
from frontline.teams import selectors, services
from frontline.teams.models import Activity, ActivityKind, Team, TeamMember

router = Router(tags=["队伍"])


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    node_id: int
    node_name: str
    members: int
    vehicles: int

    @staticmethod
    def resolve_kind(obj: Team) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_kind_label(obj: Team) -> str:
        return obj.kind.name

    @staticmethod
    def resolve_node_name(obj: Team) -> str:
        return obj.node.name

    @staticmethod
    def resolve_members(obj: Team) -> int:
        return getattr(obj, "member_count", None) or obj.members.count()

    @staticmethod
    def resolve_vehicles(obj: Team) -> int:
        return getattr(obj, "vehicle_count", None) or obj.vehicles.count()


class TeamIn(Schema):
    node_id: Id
    kind: Choice
    name: Text(100)


class MemberIn(Schema):
    resident_id: Id | None = None
    user_id: Id | None = None
    is_leader: bool = False


class MemberOut(Schema):
    id: int
    team_id: int
    name: str
    resident_id: int | None
    user_id: int | None
    is_leader: bool

    @staticmethod
    def resolve_name(obj: TeamMember) -> str:
        return obj.display_name


class ActivityIn(Schema):
    kind: ActivityKind
    day: dt.date | None = None
    # A number of hours (tenths kept); the model keeps one decimal place.
    hours: float | None = Field(None, gt=0, le=24)
    member_ids: list[Id] = Field(min_length=1, max_length=200)
    area: Text(200) = ""
    gatherings_dispersed: int = Field(0, ge=0, le=1000)
    persuaded_home: int = Field(0, ge=0, le=10000)
    villages_covered: Text(200) = ""
    minutes: int = Field(0, ge=0, le=1440)
    households: int = Field(0, ge=0, le=10000)
    note: Text(200) = ""
    # Checkpoint duty: the shift served (its day, hours and checkpoint are taken from it).
    shift_id: Id | None = None
    idempotency_key: IdempotencyKey


class ActivityOut(Schema):
    id: int
    team_id: int
    kind: str
    day: dt.date
    hours: Decimal
    shift_id: int | None
    member_ids: list[int]
    idempotency_key: str

    @staticmethod
    def resolve_member_ids(obj: Activity) -> list[int]:
        return sorted(m.pk for m in obj.participants.all())


@router.get("", response=list[TeamOut], summary="可见的队伍（kind=队伍类型代码）")
@paginate
def teams_list(request: HttpRequest, kind: Choice | None = None):
    rows = selectors.team_rows(selectors.teams_for(request.user), kind)
    return rows.order_by("node__path", "kind__sort_order", "name")


@router.post("", response={201: TeamOut}, summary="组建队伍")
def teams_create(request: HttpRequest, payload: TeamIn):
    node = get_visible_or_404(nodes_visible(request.user, "teams.manage"), pk=payload.node_id)
    kind = get_visible_or_404(selectors.kinds_all(), code=payload.kind)
    team = services.team_create(actor=request.user, node=node, kind=kind, name=payload.name)
    return Status(201, team)


@router.post("{int:team_id}/members", response={201: MemberOut}, summary="加入队员（居民或账号）")
def teams_member_add(request: HttpRequest, team_id: int, payload: MemberIn):
    team = get_visible_or_404(selectors.teams_for(request.user, "teams.manage"), pk=team_id)
    resident = user = None
    if payload.resident_id is not None:
        resident = get_visible_or_404(
            people.residents_for(request.user, "teams.manage"), pk=payload.resident_id
        )
    if payload.user_id is not None:
        user = get_visible_or_404(
            selectors.users_for(request.user, "teams.manage"), pk=payload.user_id
        )
    member = services.member_add(
        actor=request.user, team=team, resident=resident, user=user, is_leader=payload.is_leader
    )
    return Status(201, member)


@router.post(
    "{int:team_id}/activities",
    response={200: ActivityOut, 201: ActivityOut},
    summary="登记队伍活动（同一用户同一 idempotency_key 只记一次；内容不同则 409）",
)
def teams_activity_log(request: HttpRequest, team_id: int, payload: ActivityIn):
    team = get_visible_or_404(selectors.teams_for(request.user, "teams.log"), pk=team_id)
    wanted = set(payload.member_ids)
    participants = [m for m in team.members.all() if m.pk in wanted]
    if len(participants) != len(wanted):
        # An id of another team (or none at all) is not told apart from a missing one.
        raise HttpError(404, "未找到")
    if payload.shift_id is not None:
        shift = checkpoints.shift_facts(payload.shift_id)
        if shift is None or not user_can(request.user, "teams.log", shift.node):
            raise HttpError(404, "未找到")
    data = payload.dict(exclude={"member_ids"})
    if data["hours"] is not None:
        data["hours"] = Decimal(str(round(data["hours"], 1)))
    activity, created = services.activity_log(
        actor=request.user, team=team, participants=participants, **data
    )
    return Status(201 if created else 200, activity)
