"""API for party organisations: organisations, members, calls, pledges and their assignment."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from frontline.core.limits import Choice, Id, IdempotencyKey, Text
from frontline.core.scoping import get_visible_or_404, nodes_visible
from frontline.party import selectors, services
from frontline.party.models import Call, Membership, OrgKind, PartyOrg, Pledge
from frontline.people import public as people

router = Router(tags=["党组织"])


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    node_id: int
    node_name: str
    parent_id: int | None
    site: str
    start_date: dt.date
    end_date: dt.date | None
    ended: bool

    @staticmethod
    def resolve_kind_label(obj: PartyOrg) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_node_name(obj: PartyOrg) -> str:
        return obj.node.name

    @staticmethod
    def resolve_ended(obj: PartyOrg) -> bool:
        return obj.is_ended


class OrgIn(Schema):
    node_id: Id
    name: Text(100)
    kind: OrgKind
    parent_id: Id | None = None
    site: Text(100) = ""
    start_date: dt.date
    end_date: dt.date | None = None


class MemberIn(Schema):
    resident_id: Id
    org_id: Id
    status: Choice
    start_date: dt.date | None = None


class TransferIn(Schema):
    org_id: Id
    on: dt.date | None = None
    reason: Text(100) = ""


class MemberOut(Schema):
    id: int
    org_id: int
    org_name: str
    status: str
    status_label: str
    start_date: dt.date
    end_date: dt.date | None
    person: dict

    @staticmethod
    def resolve_org_name(obj: Membership) -> str:
        return obj.org.name

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_person(obj: Membership) -> dict:
        # The same masked presentation as every other app (SECURITY 3).
        return people.resident_masked(obj.resident)


class CallIn(Schema):
    org_id: Id
    title: Text(100)
    text: Text(4000)
    needs: Text(200) = ""
    days: int | None = Field(None, ge=1, le=366)
    issued_on: dt.date | None = None


class CallOut(Schema):
    id: int
    org_id: int
    title: str
    text: str
    needs: str
    days: int | None
    issued_on: dt.date
    pledged: int
    assigned: int
    reserve: int

    @staticmethod
    def resolve_pledged(obj: Call) -> int:
        return obj.counts.pledged

    @staticmethod
    def resolve_assigned(obj: Call) -> int:
        return obj.counts.assigned

    @staticmethod
    def resolve_reserve(obj: Call) -> int:
        return obj.counts.reserve


class PledgeIn(Schema):
    # Omitted: the member the caller's login is linked to (a member writing their own).
    member_id: Id | None = None
    availability: Text(200) = ""
    skills: Text(200) = ""
    text: Text(2000) = ""
    by_secretary: bool = False
    idempotency_key: IdempotencyKey


class PledgeOut(Schema):
    id: int
    call_id: int
    member_id: int
    name: str
    availability: str
    skills: str
    by_secretary: bool
    status: str
    status_label: str
    assignment_kind: str
    post_id: int | None
    assignment_note: str

    @staticmethod
    def resolve_member_id(obj: Pledge) -> int:
        return obj.membership_id

    @staticmethod
    def resolve_name(obj: Pledge) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_status_label(obj: Pledge) -> str:
        return obj.get_status_display()


class AssignIn(Schema):
    kind: Choice
    post_id: Id | None = None
    note: Text(200) = ""


def _with_counts(call: Call) -> Call:
    call.counts = selectors.call_counts([call])[call.pk]
    return call


@router.get("orgs", response=list[OrgOut], summary="可见的党组织（set=standing|temporary|calling）")
@paginate
def party_orgs(
    request: HttpRequest,
    set: Choice = "all",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    today = timezone.localdate()
    which = set if set in selectors.ORG_SETS else "all"
    qs = selectors.org_rows(
        selectors.orgs_for(request.user), which, date_from or today, date_to or today
    )
    return qs.order_by("node__path", "kind", "name")


@router.post("orgs", response={201: OrgOut}, summary="新建党组织（临时党支部写明设立地点和日期）")
def party_org_create(request: HttpRequest, payload: OrgIn):
    node = get_visible_or_404(nodes_visible(request.user, "party.manage"), pk=payload.node_id)
    parent = None
    if payload.parent_id is not None:
        parent = get_visible_or_404(
            selectors.orgs_for(request.user, "party.manage"), pk=payload.parent_id
        )
    data = payload.dict(exclude={"node_id", "parent_id"})
    org = services.org_create(actor=request.user, node=node, parent=parent, **data)
    return Status(201, org)


@router.post("members", response={201: MemberOut}, summary="登记党员或入党积极分子（来自居民名册）")
def party_member_add(request: HttpRequest, payload: MemberIn):
    org = get_visible_or_404(selectors.orgs_for(request.user, "party.manage"), pk=payload.org_id)
    resident = get_visible_or_404(
        people.residents_for(request.user, "party.manage").select_related("node__parent"),
        pk=payload.resident_id,
    )
    membership = services.member_add(
        actor=request.user,
        org=org,
        resident=resident,
        status=payload.status,
        start_date=payload.start_date,
    )
    return Status(201, membership)


@router.post(
    "members/{int:member_id}/transfer",
    response=MemberOut,
    summary="转接组织关系：原组织关系当天转出并保留，新组织关系同日转入",
)
def party_member_transfer(request: HttpRequest, member_id: int, payload: TransferIn):
    membership = get_visible_or_404(
        selectors.memberships_for(request.user, "party.manage"), pk=member_id
    )
    org = get_visible_or_404(selectors.orgs_for(request.user, "party.manage"), pk=payload.org_id)
    return services.member_transfer(
        actor=request.user, membership=membership, org=org, on=payload.on, reason=payload.reason
    )


@router.post("calls", response={201: CallOut}, summary="党组织发出倡议")
def party_call_create(request: HttpRequest, payload: CallIn):
    org = get_visible_or_404(selectors.orgs_for(request.user, "party.manage"), pk=payload.org_id)
    call = services.call_create(actor=request.user, org=org, **payload.dict(exclude={"org_id"}))
    return Status(201, _with_counts(call))


@router.get("calls/{int:call_id}", response=CallOut, summary="一份倡议和请战、安排、备用人数")
def party_call_detail(request: HttpRequest, call_id: int):
    return _with_counts(get_visible_or_404(selectors.calls_for(request.user), pk=call_id))


@router.post(
    "calls/{int:call_id}/pledges",
    response={200: PledgeOut, 201: PledgeOut},
    summary=(
        "提交请战书（不写 member_id 即本人绑定的党员；"
        "同一用户同一 idempotency_key 只记一次，内容不同则 409）"
    ),
)
def party_pledge_submit(request: HttpRequest, call_id: int, payload: PledgeIn):
    call = get_visible_or_404(selectors.calls_for(request.user, "party.pledge"), pk=call_id)
    membership = None
    if payload.member_id is not None:
        membership = get_visible_or_404(
            selectors.memberships_for(request.user, "party.pledge"), pk=payload.member_id
        )
    pledge, created = services.pledge_submit(
        actor=request.user,
        call=call,
        membership=membership,
        **payload.dict(exclude={"member_id"}),
    )
    return Status(201 if created else 200, pledge)


@router.post(
    "pledges/{int:pledge_id}/assign",
    response=PledgeOut,
    summary="安排请战党员（pioneer_post|zone|team|shift|other），或 reserve 感谢并备用",
)
def party_pledge_assign(request: HttpRequest, pledge_id: int, payload: AssignIn):
    pledge = get_visible_or_404(selectors.pledges_for(request.user, "party.manage"), pk=pledge_id)
    post = None
    if payload.post_id is not None:
        post = get_visible_or_404(
            selectors.posts_for(request.user, "party.manage"), pk=payload.post_id
        )
    return services.pledge_assign(
        actor=request.user, pledge=pledge, kind=payload.kind, post=post, note=payload.note
    )
