"""API for community work, under /api/v1/community/: publicity, family events, care visits,
family help and exemplars (POST to record, GET to list)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from frontline.community import selectors, services
from frontline.core.audit import audit_read
from frontline.core.limits import Temperature
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.core.temperature import temperature_parse
from frontline.people import public as people

router = Router(tags=["党群宣传关爱"])

ID = {"ge": 1, "le": 2**31 - 1}


class PublicityIn(Schema):
    node_id: int = Field(**ID)
    day: dt.date
    leaflets: int = Field(ge=0, le=100000)
    posters: int = Field(0, ge=0, le=10000)
    loudspeaker_routes: int = Field(0, ge=0, le=100)
    note: str = Field("", max_length=200)


class PublicityOut(Schema):
    id: int
    node_id: int
    day: dt.date
    leaflets: int
    posters: int
    loudspeaker_routes: int
    note: str


class FamilyEventIn(Schema):
    resident_id: int = Field(**ID)
    kind: str = Field(max_length=20)
    planned_on: dt.date
    new_date: dt.date | None = None
    note: str = Field("", max_length=200)


class FamilyEventOut(Schema):
    id: int
    node_id: int
    resident_id: int
    household_id: int | None
    kind: str
    kind_label: str
    planned_on: dt.date
    new_date: dt.date | None
    note: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_household_id(obj) -> int | None:
        return obj.resident.household_id


class CareVisitIn(Schema):
    resident_id: int = Field(**ID)
    day: dt.date
    visitor_name: str = Field(max_length=50)
    # A number or what was typed ("36.5℃", "３６．５"); core's parser reads it.
    temperature: Temperature | None = None
    disinfected: bool = False
    needs: str = Field("", max_length=300)


class CareVisitOut(Schema):
    id: int
    node_id: int
    resident_id: int
    day: dt.date
    visitor_name: str
    temperature: float | None
    disinfected: bool
    needs: str


class FamilyHelpIn(Schema):
    node_id: int = Field(**ID)
    worker_name: str = Field(max_length=50)
    difficulty: str = Field(max_length=300)
    helper_name: str = Field(max_length=50)
    day: dt.date


class FamilyHelpOut(Schema):
    id: int
    node_id: int
    worker_name: str
    difficulty: str
    helper_name: str
    day: dt.date


class ExemplarIn(Schema):
    node_id: int = Field(**ID)
    name: str = Field(max_length=50)
    is_team: bool = False
    title: str = Field(max_length=100)
    story: str = Field(max_length=3000)
    day: dt.date


class ExemplarOut(Schema):
    id: int
    node_id: int
    name: str
    is_team: bool
    title: str
    story: str
    day: dt.date


def _node(request: HttpRequest, node_id: int):
    return get_visible_or_404(nodes_visible(request.user, "community.record"), pk=node_id)


def _resident(request: HttpRequest, resident_id: int):
    return get_visible_or_404(
        people.residents_for(request.user, "community.record").select_related("node"),
        pk=resident_id,
    )


@router.post(
    "publicity", response={201: PublicityOut}, summary="登记宣传（宣传单、海报、喇叭线路）"
)
def community_publicity_create(request: HttpRequest, payload: PublicityIn):
    data = payload.dict(exclude={"node_id"})
    saved = services.publicity_record(
        actor=request.user, node=_node(request, payload.node_id), **data
    )
    return Status(201, saved)


@router.get("publicity", response=list[PublicityOut], summary="宣传登记")
@paginate
def community_publicity_list(request: HttpRequest):
    require_permission_or_404(request.user, "community.view")
    return selectors.publicity_for(request.user)


@router.post("family-events", response={201: FamilyEventOut}, summary="登记红事延办、白事简办/延办")
def community_family_events_create(request: HttpRequest, payload: FamilyEventIn):
    data = payload.dict(exclude={"resident_id"})
    saved = services.family_event_record(
        actor=request.user, resident=_resident(request, payload.resident_id), **data
    )
    return Status(201, saved)


@router.get("family-events", response=list[FamilyEventOut], summary="两个一律登记")
@paginate
def community_family_events_list(request: HttpRequest):
    require_permission_or_404(request.user, "community.view")
    return selectors.family_events_for(request.user)


@router.post("care-visits", response={201: CareVisitOut}, summary="记录关爱走访（体温同一解析）")
def community_care_visits_create(request: HttpRequest, payload: CareVisitIn):
    data = payload.dict(exclude={"resident_id", "temperature"})
    temperature = None
    if payload.temperature not in (None, ""):
        from django.core.exceptions import ValidationError

        try:
            temperature = temperature_parse(payload.temperature)
        except ValidationError as error:
            raise ValidationError({"temperature": error.messages}) from None
    saved = services.care_visit_record(
        actor=request.user,
        resident=_resident(request, payload.resident_id),
        temperature=temperature,
        **data,
    )
    return Status(201, saved)


@router.get(
    "care-visits", response=list[CareVisitOut], summary="关爱走访（含体温，审计；志愿者只看自己的）"
)
@paginate
def community_care_visits_list(request: HttpRequest):
    require_permission_or_404(request.user, selectors.CARE)
    audit_read(actor=request.user, action="community.care_visit.list", permission=selectors.CARE)
    return selectors.care_visits_for(request.user)


@router.post("family-help", response={201: FamilyHelpOut}, summary="登记一线人员家庭帮扶")
def community_family_help_create(request: HttpRequest, payload: FamilyHelpIn):
    data = payload.dict(exclude={"node_id"})
    saved = services.family_help_record(
        actor=request.user, node=_node(request, payload.node_id), **data
    )
    return Status(201, saved)


@router.post("exemplars", response={201: ExemplarOut}, summary="登记先进典型")
def community_exemplars_create(request: HttpRequest, payload: ExemplarIn):
    data = payload.dict(exclude={"node_id"})
    saved = services.exemplar_record(
        actor=request.user, node=_node(request, payload.node_id), **data
    )
    return Status(201, saved)


@router.get("exemplars", response=list[ExemplarOut], summary="先进典型")
@paginate
def community_exemplars_list(request: HttpRequest):
    require_permission_or_404(request.user, "community.view")
    return selectors.exemplars_for(request.user)
