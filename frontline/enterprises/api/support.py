"""The green channel's appointments, policy support and difficulty tickets."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from frontline.core.limits import Id
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.enterprises import selectors, services
from frontline.enterprises.api.common import Money, _enterprise, router
from frontline.enterprises.models import Ticket


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    capacity: int
    booked: int

    @staticmethod
    def resolve_starts_at(obj) -> dt.datetime:
        return timezone.localtime(obj.starts_at)


class AppointmentIn(Schema):
    enterprise_id: Id
    slot_id: Id


class AppointmentOut(Schema):
    id: int
    enterprise_id: int
    slot_id: int
    starts_at: dt.datetime
    cancelled: bool

    @staticmethod
    def resolve_starts_at(obj) -> dt.datetime:
        return timezone.localtime(obj.slot.starts_at)

    @staticmethod
    def resolve_cancelled(obj) -> bool:
        return obj.cancelled_at is not None


class AppointmentsOut(Schema):
    slots: list[SlotOut]
    appointments: list[AppointmentOut]


@router.get("appointments", response=AppointmentsOut, summary="可预约时段和本人辖区的预约")
def appointments_list(request: HttpRequest):
    require_permission_or_404(request.user, "enterprises.view")
    return {
        "slots": list(selectors.slots_for(request.user)[:100]),
        "appointments": list(selectors.appointments_for(request.user)[:100]),
    }


class SlotIn(Schema):
    node_id: Id
    starts_at: dt.datetime
    capacity: int = Field(ge=1, le=200)


@router.post("appointments/slots", response={201: SlotOut}, summary="新增服务大厅预约时段")
def appointments_slot_create(request: HttpRequest, payload: SlotIn):
    node = get_visible_or_404(nodes_visible(request.user, "enterprises.manage"), pk=payload.node_id)
    slot = services.slot_create(
        actor=request.user, node=node, starts_at=payload.starts_at, capacity=payload.capacity
    )
    slot.booked = 0
    return Status(201, slot)


@router.post("appointments", response={201: AppointmentOut}, summary="预约办：预约服务大厅时段")
def appointments_book(request: HttpRequest, payload: AppointmentIn):
    enterprise = _enterprise(request, payload.enterprise_id, "enterprises.file")
    slot = get_visible_or_404(selectors.slots_for(request.user, enterprise), pk=payload.slot_id)
    return Status(
        201, services.appointment_book(actor=request.user, enterprise=enterprise, slot=slot)
    )


@router.post(
    "appointments/{int:appointment_id}/cancel", response=AppointmentOut, summary="取消预约"
)
def appointments_cancel(request: HttpRequest, appointment_id: int):
    appointment = get_visible_or_404(
        selectors.appointments_for(request.user, "enterprises.file"), pk=appointment_id
    )
    return services.appointment_cancel(actor=request.user, appointment=appointment)


# ---------------------------------------------------------------- policies


class PolicyOut(Schema):
    id: int
    name: str
    document: str
    cap: Decimal
    is_open: bool
    applied: int
    granted_total: Decimal


class PolicyIn(Schema):
    node_id: Id
    name: str = Field(max_length=100)
    document: str = Field("", max_length=100)
    cap: Money


@router.get("policies", response=list[PolicyOut], summary="扶持政策（含申请数和批准金额合计）")
def policies_list(request: HttpRequest):
    require_permission_or_404(request.user, "enterprises.view")
    return [
        {**p.__dict__, "granted_total": p.granted_total or Decimal("0")}
        for p in selectors.policies_for(request.user)[:100]
    ]


@router.post("policies", response={201: PolicyOut}, summary="新增扶持政策（举措和单户上限）")
def policies_create(request: HttpRequest, payload: PolicyIn):
    node = get_visible_or_404(nodes_visible(request.user, "enterprises.manage"), pk=payload.node_id)
    policy = services.policy_create(
        actor=request.user,
        node=node,
        name=payload.name,
        cap=Decimal(payload.cap),
        document=payload.document,
    )
    return Status(201, {**policy.__dict__, "applied": 0, "granted_total": Decimal("0")})


class PolicyApplicationIn(Schema):
    policy_id: Id
    enterprise_id: Id
    amount: Money
    note: str = Field("", max_length=200)


class PolicyApplicationOut(Schema):
    id: int
    policy_id: int
    enterprise_id: int
    amount: Decimal
    granted: Decimal | None
    status: str
    decided_on: dt.date | None


@router.post(
    "policy-applications", response={201: PolicyApplicationOut}, summary="申请扶持（不超过上限）"
)
def policy_applications_create(request: HttpRequest, payload: PolicyApplicationIn):
    enterprise = _enterprise(request, payload.enterprise_id, "enterprises.file")
    policy = get_visible_or_404(
        selectors.policies_for(request.user, enterprise), pk=payload.policy_id
    )
    return Status(
        201,
        services.policy_apply(
            actor=request.user,
            policy=policy,
            enterprise=enterprise,
            amount=Decimal(payload.amount),
            note=payload.note,
        ),
    )


class DecisionIn(Schema):
    grant: bool
    amount: Money | None = None


@router.post(
    "policy-applications/{int:policy_application_id}/decide",
    response=PolicyApplicationOut,
    summary="审批扶持申请",
)
def policy_applications_decide(
    request: HttpRequest, policy_application_id: int, payload: DecisionIn
):
    application = get_visible_or_404(
        selectors.policy_applications_for(request.user, "enterprises.approve"),
        pk=policy_application_id,
    )
    amount = None if payload.amount is None else Decimal(payload.amount)
    return services.policy_decide(
        actor=request.user, application=application, grant=payload.grant, amount=amount
    )


# ---------------------------------------------------------------- tickets


class TicketIn(Schema):
    enterprise_id: Id
    kind: str = Field(max_length=10, pattern="^(labour|funds|supplies|other)$")
    description: str = Field(max_length=500)
    due_date: dt.date | None = None


class TicketOut(Schema):
    id: int
    enterprise_id: int
    kind: str
    kind_label: str
    description: str
    owner: str
    due_date: dt.date
    overdue: bool
    resolved: bool
    resolution: str
    policy_application_id: int | None

    @staticmethod
    def resolve_kind_label(obj: Ticket) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_owner(obj: Ticket) -> str:
        return str(obj.owner) if obj.owner_id else ""

    @staticmethod
    def resolve_overdue(obj: Ticket) -> bool:
        return obj.resolved_at is None and obj.due_date < timezone.localdate()

    @staticmethod
    def resolve_resolved(obj: Ticket) -> bool:
        return obj.resolved_at is not None


@router.get("tickets", response=list[TicketOut], summary="企业困难（open=true 只看未办结）")
@paginate
def tickets_list(request: HttpRequest, open: bool = False):
    require_permission_or_404(request.user, "enterprises.view")
    qs = selectors.tickets_for(request.user)
    return qs.filter(resolved_at__isnull=True) if open else qs


@router.post("tickets", response={201: TicketOut}, summary="反映企业困难")
def tickets_create(request: HttpRequest, payload: TicketIn):
    enterprise = _enterprise(request, payload.enterprise_id, "enterprises.file")
    data = payload.dict()
    data.pop("enterprise_id")
    return Status(201, services.ticket_create(actor=request.user, enterprise=enterprise, **data))


class AssignIn(Schema):
    owner_id: Id


@router.post("tickets/{int:ticket_id}/assign", response=TicketOut, summary="指定责任干部")
def tickets_assign(request: HttpRequest, ticket_id: int, payload: AssignIn):
    ticket = get_visible_or_404(
        selectors.tickets_for(request.user, "enterprises.tickets"), pk=ticket_id
    )
    owner = get_visible_or_404(selectors.ticket_owners(ticket), pk=payload.owner_id)
    return services.ticket_assign(actor=request.user, ticket=ticket, owner=owner)


class ResolveIn(Schema):
    resolution: str = Field(max_length=500)
    policy_application_id: Id | None = None


@router.post("tickets/{int:ticket_id}/resolve", response=TicketOut, summary="办结企业困难")
def tickets_resolve(request: HttpRequest, ticket_id: int, payload: ResolveIn):
    ticket = get_visible_or_404(
        selectors.tickets_for(request.user, "enterprises.tickets"), pk=ticket_id
    )
    linked = None
    if payload.policy_application_id is not None:
        linked = get_visible_or_404(
            selectors.policy_applications_for(request.user), pk=payload.policy_application_id
        )
    return services.ticket_resolve(
        actor=request.user, ticket=ticket, resolution=payload.resolution, policy_application=linked
    )
