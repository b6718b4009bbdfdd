"""API for key persons, isolations, temperature readings, today's round and alerts."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from frontline.control import selectors, services
from frontline.control.masking import own_round_for
from frontline.control.models import (
    PLANNED_DAYS_MAX,
    Alert,
    FoundVia,
    Isolation,
    KeyPerson,
    Reading,
    Slot,
)
from frontline.core.audit import audit_read
from frontline.core.limits import Choice, Id, IdempotencyKey, Temperature, Text
from frontline.core.scoping import get_by_pk_in_scope_or_404, get_visible_or_404

router = Router(tags=["重点人员与居家隔离"])


class KeyPersonIn(Schema):
    resident_id: Id
    category_id: Id
    found_via: FoundVia = FoundVia.SCREENING
    origin: Text(100) = ""
    arrival_date: date | None = None


class KeyPersonOut(Schema):
    id: int
    name: str
    node_id: int
    category: str
    found_via: str
    origin: str
    arrival_date: date | None
    status: str
    leader: str | None
    team: str
    has_plan: bool
    gaps: list[str]

    @staticmethod
    def resolve_name(obj: KeyPerson, context) -> str:
        return own_round_for(context["request"]).person_name(obj)

    @staticmethod
    def resolve_category(obj: KeyPerson) -> str:
        return obj.category.name

    @staticmethod
    def resolve_leader(obj: KeyPerson) -> str | None:
        return str(obj.leader) if obj.leader_id else None

    @staticmethod
    def resolve_has_plan(obj: KeyPerson) -> bool:
        return bool(obj.plan.strip())


class IsolationIn(Schema):
    key_person_id: Id
    address: Text(200)
    start_date: date
    planned_days: Annotated[int, Field(ge=1, le=PLANNED_DAYS_MAX)] | None = None


class SixOut(Schema):
    role: str
    role_label: str
    name: str | None


class IsolationOut(Schema):
    id: int
    key_person_id: int
    name: str
    address: str
    start_date: date
    planned_days: int
    end_date: date
    status: str
    six: list[SixOut]

    @staticmethod
    def resolve_name(obj: Isolation, context) -> str:
        return own_round_for(context["request"]).isolation_name(obj)

    @staticmethod
    def resolve_address(obj: Isolation, context) -> str:
        return own_round_for(context["request"]).isolation_address(obj)

    @staticmethod
    def resolve_six(obj: Isolation) -> list[dict]:
        return [
            {"role": role, "role_label": label, "name": r.person_name if r else None}
            for role, label, r in selectors.six_of(obj)
        ]


class ReadingIn(Schema):
    isolation_id: Id
    value: Temperature
    slot: Slot
    taken_at: datetime | None = None
    symptoms: Text(200) = ""
    idempotency_key: IdempotencyKey | None = None


class ReadingOut(Schema):
    id: int
    isolation_id: int
    value: Decimal
    slot: str
    local_date: date
    taken_at: datetime
    symptoms: str
    is_fever: bool
    alert_id: int | None

    @staticmethod
    def resolve_alert_id(obj: Reading) -> int | None:
        if not obj.is_fever:
            return None  # no query on the common path: only a fever has an alert
        return selectors.alert_id_of(obj)


class RoundItemOut(Schema):
    isolation_id: int
    name: str
    address: str
    am: str
    pm: str
    am_value: Decimal | None
    pm_value: Decimal | None
    in_full: bool


class RoundOut(Schema):
    date: date
    items: list[RoundItemOut]


class AlertOut(Schema):
    id: int
    isolation_id: int
    name: str
    node_id: int
    value: Decimal
    opened_at: datetime
    is_open: bool
    action: str
    note: str

    @staticmethod
    def resolve_name(obj: Alert, context) -> str:
        return own_round_for(context["request"]).isolation_name(obj.isolation)

    @staticmethod
    def resolve_value(obj: Alert) -> Decimal:
        return obj.reading.value


@router.get("key-persons", response=list[KeyPersonOut], summary="重点人员列表（管控中）")
@paginate
def control_key_person_list(request: HttpRequest, status: Choice = "active"):
    audit_read(actor=request.user, action="control.key_person.list", permission="control.view")
    return selectors.key_person_list(request.user, status=status if status != "all" else "")


@router.post("key-persons", response={201: KeyPersonOut}, summary="登记重点人员")
def control_key_person_create(request: HttpRequest, payload: KeyPersonIn):
    resident = get_visible_or_404(
        selectors.residents_in_scope(request.user, "control.edit"), pk=payload.resident_id
    )
    category = selectors.category_active(payload.category_id)
    if category is None:
        raise ValidationError({"category_id": "类别不存在或已停用"})
    person = services.key_person_register(
        actor=request.user,
        resident=resident,
        category=category,
        found_via=payload.found_via,
        origin=payload.origin,
        arrival_date=payload.arrival_date,
    )
    return Status(201, person)


@router.get("key-persons/{int:key_person_id}", response=KeyPersonOut, summary="一名重点人员")
def control_key_person_detail(request: HttpRequest, key_person_id: int):
    person = get_visible_or_404(selectors.key_persons_for(request.user), pk=key_person_id)
    audit_read(actor=request.user, action="control.key_person.view", obj=person)
    return person


@router.post("isolations", response={201: IsolationOut}, summary="开始居家隔离")
def control_isolation_create(request: HttpRequest, payload: IsolationIn):
    person = get_visible_or_404(
        selectors.key_persons_for(request.user, "control.edit"), pk=payload.key_person_id
    )
    isolation = services.isolation_start(
        actor=request.user,
        key_person=person,
        address=payload.address,
        start_date=payload.start_date,
        planned_days=payload.planned_days,
    )
    return Status(201, isolation)


@router.get("isolations/{int:isolation_id}", response=IsolationOut, summary="一次居家隔离")
def control_isolation_detail(request: HttpRequest, isolation_id: int):
    isolation = get_visible_or_404(selectors.isolations_for(request.user), pk=isolation_id)
    audit_read(actor=request.user, action="control.isolation.view", obj=isolation)
    return isolation


@router.post("readings", response={200: ReadingOut, 201: ReadingOut}, summary="记录一次上门体温")
def control_reading_create(request: HttpRequest, payload: ReadingIn):
    # The hot path of every round: a primary-key fetch, the scope checked in Python.
    isolation = get_by_pk_in_scope_or_404(
        Isolation, request.user, "control.reading", payload.isolation_id
    )
    reading, created = services.reading_record(
        actor=request.user,
        isolation=isolation,
        value=payload.value,
        slot=payload.slot,
        taken_at=payload.taken_at,
        symptoms=payload.symptoms,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201 if created else 200, reading)


@router.get("rounds/today", response=RoundOut, summary="今天的上门测温任务")
def control_rounds_today(request: HttpRequest):
    audit_read(actor=request.user, action="control.round.view", permission="control.view")
    own = own_round_for(request)
    items = selectors.round_items(request.user, own=own)
    return {
        "date": timezone.localdate(),
        "items": [
            {
                "isolation_id": item.isolation.pk,
                # In full on the worker's own round; masked on another's.
                "name": own.isolation_name(item.isolation),
                "address": own.isolation_address(item.isolation),
                "in_full": item.in_full,
                "am": item.am.status,
                "pm": item.pm.status,
                "am_value": item.am.value,
                "pm_value": item.pm.value,
            }
            for item in items
        ],
    }


@router.get("alerts", response=list[AlertOut], summary="发热预警（status=open 待处置）")
@paginate
def control_alert_list(request: HttpRequest, status: Choice = "open"):
    is_open = {"open": True, "handled": False}.get(status)
    audit_read(actor=request.user, action="control.alert.list", permission="control.view")
    return selectors.alerts_for(request.user, is_open=is_open)
