"""API for what the case pages do (for the mini-program): 四个一, the ID added later, the
六包一 six, handling an alert, releasing or ending an isolation, a 五送 service, accepting
a hand-over, and the lists their pickers offer. Each endpoint fetches its object within
the user's scope (404 outside) and calls the same service as the page."""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Schema, Status
from pydantic import Field

from frontline.control import selectors, services
from frontline.control.api import AlertOut, IsolationOut, KeyPersonOut, router
from frontline.control.models import (
    QUANTITY_MAX,
    SIX_RESIDENT_ROLES,
    AlertAction,
    IsolationStatus,
    ServiceDelivery,
    SixRole,
)
from frontline.core.limits import Id, Temperature, Text
from frontline.core.personal_data import name_mask
from frontline.core.scoping import get_visible_or_404, user_can

# The app's one router (api.py's reads), with these writes added: the manifest mounts it
# from here.
__all__ = ["router"]


class ControlIn(Schema):
    leader_id: Id | None = None
    team: Text(100) = ""
    plan: Text(2000) = ""


class IdNumberIn(Schema):
    id_number: Text(30)


class SixIn(Schema):
    role: SixRole
    # Neither: the role is left empty (空缺).
    user_id: Id | None = None
    resident_id: Id | None = None


class PersonChoice(Schema):
    kind: str  # "user" or "resident"
    id: int
    name: str


class SixCandidatesOut(Schema):
    role: str
    role_label: str
    choices: list[PersonChoice]


class AlertHandleIn(Schema):
    action: AlertAction
    note: Text(300)
    # Only for a retest, as typed ("36.8", "36.8℃").
    retest_value: Temperature | None = None


class IsolationEndIn(Schema):
    status: IsolationStatus
    reason: Text(300)


class ServiceIn(Schema):
    resident_id: Id
    kind_id: Id
    description: Text(200) = ""
    quantity: Annotated[int, Field(ge=0, le=QUANTITY_MAX)] = 0
    delivered_on: date | None = None


class ServiceOut(Schema):
    id: int
    resident_name: str
    node_id: int
    kind: str
    description: str
    quantity: int
    delivered_on: date

    @staticmethod
    def resolve_resident_name(obj: ServiceDelivery) -> str:
        return name_mask(obj.resident.name)

    @staticmethod
    def resolve_kind(obj: ServiceDelivery) -> str:
        return obj.kind.name


class ReferralAcceptIn(Schema):
    category_id: Id
    # A resident of the roster; or, for a person met without papers, a name and a phone
    # or plate (the ID number added later with POST key-persons/{id}/id-number).
    resident_id: Id | None = None
    name: Text(50) = ""
    phone: Text(20) = ""
    plate: Text(10) = ""


class ChoiceOut(Schema):
    id: int
    name: str


def _editable_person(request: HttpRequest, key_person_id: int):
    return get_visible_or_404(
        selectors.key_persons_for(request.user, "control.edit"), pk=key_person_id
    )


def _editable_isolation(request: HttpRequest, isolation_id: int):
    return get_visible_or_404(
        selectors.isolations_for(request.user, "control.edit"), pk=isolation_id
    )


@router.post(
    "key-persons/{int:key_person_id}/control",
    response=KeyPersonOut,
    summary="落实四个一（责任领导、工作专班、管控方案）",
)
def control_key_person_set_control(request: HttpRequest, key_person_id: int, payload: ControlIn):
    person = _editable_person(request, key_person_id)
    leader = None
    if payload.leader_id is not None:
        leader = selectors.candidate_leaders(person.node).filter(pk=payload.leader_id).first()
        if leader is None:
            raise ValidationError({"leader_id": "此人不能担任该人员的责任领导"})
    return services.key_person_set_control(
        actor=request.user, key_person=person, leader=leader, team=payload.team, plan=payload.plan
    )


@router.post(
    "key-persons/{int:key_person_id}/id-number",
    response=KeyPersonOut,
    summary="补录身份证号（已登记者并入其居民记录）",
)
def control_key_person_identify(request: HttpRequest, key_person_id: int, payload: IdNumberIn):
    person = _editable_person(request, key_person_id)
    return services.key_person_identify(
        actor=request.user, key_person=person, id_number=payload.id_number
    )


def _six_choices(isolation) -> dict[str, list[dict]]:
    members = selectors.party_members_of(isolation.node)
    choices = {}
    for role in SixRole:
        users = [
            {"kind": "user", "id": u.pk, "name": u.full_name or u.username}
            for u in selectors.candidate_six(isolation.node, role)
        ]
        if role in SIX_RESIDENT_ROLES:
            users += [{"kind": "resident", "id": r.pk, "name": r.name} for r in members]
        choices[role.value] = users
    return choices


@router.get(
    "isolations/{int:isolation_id}/six/candidates",
    response=list[SixCandidatesOut],
    summary="六包一每个角色可选的人员（本村担任该角色者）",
)
def control_six_candidates(request: HttpRequest, isolation_id: int):
    isolation = _editable_isolation(request, isolation_id)
    choices = _six_choices(isolation)
    return [
        {"role": role.value, "role_label": role.label, "choices": choices[role.value]}
        for role in SixRole
    ]


@router.post(
    "isolations/{int:isolation_id}/six",
    response=IsolationOut,
    summary="设定六包一中的一人（user_id 或 resident_id；都不填为空缺）",
)
def control_six_set(request: HttpRequest, isolation_id: int, payload: SixIn):
    isolation = _editable_isolation(request, isolation_id)
    user = resident = None
    if payload.user_id is not None:
        user = selectors.candidate_six(isolation.node, payload.role).filter(pk=payload.user_id)
        user = user.first()
        if user is None:
            raise ValidationError({"user_id": f"此人不能担任{payload.role.label}"})
    elif payload.resident_id is not None:
        if payload.role not in SIX_RESIDENT_ROLES:
            raise ValidationError({"resident_id": f"{payload.role.label}须为有账号的工作人员"})
        members = {r.pk: r for r in selectors.party_members_of(isolation.node)}
        resident = members.get(payload.resident_id)
        if resident is None:
            raise ValidationError({"resident_id": "须为本村的党员"})
    services.responsible_set(
        actor=request.user, isolation=isolation, role=payload.role, user=user, resident=resident
    )
    return isolation


@router.post(
    "alerts/{int:alert_id}/handle",
    response=AlertOut,
    summary="处置发热预警（复测、转发热门诊、其他）",
)
def control_alert_handle(request: HttpRequest, alert_id: int, payload: AlertHandleIn):
    alert = get_visible_or_404(selectors.alerts_for(request.user, is_open=None), pk=alert_id)
    if not user_can(request.user, "control.alert", alert.node):
        raise Http404("未找到")
    retest = payload.retest_value
    return services.alert_handle(
        actor=request.user,
        alert=alert,
        action=payload.action,
        note=payload.note,
        # Parsed by the service as typed ("36.8", "36.8℃", "３６．８").
        retest_value=None if retest in (None, "") else str(retest),
    )


@router.post(
    "isolations/{int:isolation_id}/release",
    response=IsolationOut,
    summary="期满解除居家隔离",
)
def control_isolation_release(request: HttpRequest, isolation_id: int):
    isolation = _editable_isolation(request, isolation_id)
    return services.isolation_release(actor=request.user, isolation=isolation)


@router.post(
    "isolations/{int:isolation_id}/end",
    response=IsolationOut,
    summary="提前结束或转运（status: ended_early | transferred）",
)
def control_isolation_end(request: HttpRequest, isolation_id: int, payload: IsolationEndIn):
    isolation = _editable_isolation(request, isolation_id)
    return services.isolation_end(
        actor=request.user, isolation=isolation, status=payload.status, reason=payload.reason
    )


@router.post("services", response={201: ServiceOut}, summary="记录一次五送服务")
def control_service_create(request: HttpRequest, payload: ServiceIn):
    resident = get_visible_or_404(
        selectors.residents_in_scope(request.user, "control.service"), pk=payload.resident_id
    )
    kind = selectors.service_kinds_active().filter(pk=payload.kind_id).first()
    if kind is None:
        raise ValidationError({"kind_id": "服务类别不存在或已停用"})
    delivery = services.service_record(
        actor=request.user,
        resident=resident,
        kind=kind,
        description=payload.description,
        quantity=payload.quantity,
        delivered_on=payload.delivered_on or timezone.localdate(),
    )
    return Status(201, delivery)


@router.post(
    "referrals/{int:referral_id}/accept",
    response={201: KeyPersonOut},
    summary="接收移交为重点人员（花名册中的居民，或无证件者的姓名和手机号/车牌）",
)
def control_referral_accept(request: HttpRequest, referral_id: int, payload: ReferralAcceptIn):
    referral = get_visible_or_404(selectors.referrals_for(request.user), pk=referral_id)
    if not user_can(request.user, "control.edit", referral.node):
        raise Http404("未找到")
    category = selectors.category_active(payload.category_id)
    if category is None:
        raise ValidationError({"category_id": "类别不存在或已停用"})
    resident = None
    if payload.resident_id is not None:
        resident = get_visible_or_404(
            selectors.residents_in_scope(request.user, "control.edit"), pk=payload.resident_id
        )
    person = services.key_person_from_referral(
        actor=request.user,
        referral=referral,
        category=category,
        resident=resident,
        name=payload.name,
        phone=payload.phone,
        plate=payload.plate,
    )
    return Status(201, person)


@router.get("key-person-categories", response=list[ChoiceOut], summary="重点人员类别（启用的）")
def control_category_list(request: HttpRequest):
    return selectors.categories_active()


@router.get("service-kinds", response=list[ChoiceOut], summary="五送服务类别（启用的）")
def control_service_kind_list(request: HttpRequest):
    return selectors.service_kinds_active()
