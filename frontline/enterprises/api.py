"""API for enterprise resumption: the registry, the 123456 application, employees and the
gate scan, appointments, policies and difficulty tickets."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from frontline.core.audit import audit_read
from frontline.core.limits import Id, Temperature
from frontline.core.personal_data import name_mask
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.core.temperature import temperature_parse
from frontline.enterprises import selectors, services
from frontline.enterprises.models import (
    MAX_HEADCOUNT,
    Application,
    Employee,
    Enterprise,
    Ticket,
)
from frontline.people import public as people

router = Router(tags=["复工复产"])

# An amount of money as typed, in 元 with at most two decimals; the model bounds its size
# (0–100,000,000) and says so in Chinese.
Money = Annotated[str, Field(max_length=13, pattern=r"^\d{1,9}(\.\d{1,2})?$")]


class EnterpriseOut(Schema):
    id: int
    node_id: int
    name: str
    grid: str
    uscc: str
    sector: str
    key_sector: bool
    planned_headcount: int
    onsite_headcount: int
    party_branch: str
    status: str
    status_label: str
    filing_mode: str
    approved_on: dt.date | None

    @staticmethod
    def resolve_name(obj: Enterprise) -> str:
        return obj.node.name

    @staticmethod
    def resolve_grid(obj: Enterprise) -> str:
        return obj.node.parent.name if obj.node.parent_id else ""

    @staticmethod
    def resolve_sector(obj: Enterprise) -> str:
        return obj.sector.name

    @staticmethod
    def resolve_key_sector(obj: Enterprise) -> bool:
        return obj.sector.is_key

    @staticmethod
    def _application(obj: Enterprise) -> Application | None:
        return getattr(obj, "application", None)

    @staticmethod
    def resolve_status(obj: Enterprise) -> str:
        app = EnterpriseOut._application(obj)
        return app.state if app else selectors.NOT_FILED

    @staticmethod
    def resolve_status_label(obj: Enterprise) -> str:
        app = EnterpriseOut._application(obj)
        return app.get_state_display() if app else "未申请"

    @staticmethod
    def resolve_filing_mode(obj: Enterprise) -> str:
        app = EnterpriseOut._application(obj)
        return app.mode if app else ""

    @staticmethod
    def resolve_approved_on(obj: Enterprise) -> dt.date | None:
        app = EnterpriseOut._application(obj)
        return app.approved_on if app else None


class EnterprisePatch(Schema):
    uscc: str | None = Field(None, max_length=30)
    sector_id: Id | None = None
    planned_headcount: int | None = Field(None, ge=0, le=MAX_HEADCOUNT)
    onsite_headcount: int | None = Field(None, ge=0, le=MAX_HEADCOUNT)
    party_branch: str | None = Field(None, max_length=100)


def _enterprise(request: HttpRequest, enterprise_id: int, permission="enterprises.view"):
    return get_visible_or_404(selectors.enterprises_for(request.user, permission), pk=enterprise_id)


class EnterpriseFilters(Schema):
    grid: Id | None = Field(None, description="网格（或任一辖区）节点 id")
    sector: Id | None = Field(None, description="行业 id")
    status: str = Field("", max_length=10, description="none（未申请）或申请状态")
    q: str = Field("", max_length=50, description="企业名称中的字")


@router.get(
    "enterprises", response=list[EnterpriseOut], summary="企业档案（按网格、行业、复工状态筛选）"
)
@paginate
def enterprises_list(request: HttpRequest, filters: Query[EnterpriseFilters]):
    require_permission_or_404(request.user, "enterprises.view")
    node = None
    if filters.grid is not None:
        node = get_visible_or_404(nodes_visible(request.user, "enterprises.view"), pk=filters.grid)
    return selectors.enterprises_filtered(
        request.user, node=node, sector=filters.sector, status=filters.status, q=filters.q
    )


@router.get("enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="一家企业")
def enterprises_detail(request: HttpRequest, enterprise_id: int):
    return _enterprise(request, enterprise_id)


@router.patch("enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="修改企业档案")
def enterprises_update(request: HttpRequest, enterprise_id: int, payload: EnterprisePatch):
    enterprise = _enterprise(request, enterprise_id, "enterprises.file")
    changes = payload.dict(exclude_unset=True)
    if "sector_id" in changes:
        changes["sector"] = get_visible_or_404(selectors.sectors(), pk=changes.pop("sector_id"))
    return services.enterprise_update(actor=request.user, enterprise=enterprise, **changes)


# ---------------------------------------------------------------- application


class AnswerOut(Schema):
    item_id: int
    heading: str
    text: str
    evidence_required: bool
    round: int
    meets: bool
    evidence: str
    # Where the photo or PDF is served (scoped), when the item has one.
    evidence_file_url: str | None
    grid_verdict: str
    grid_note: str
    return_reason: str

    @staticmethod
    def resolve_heading(obj) -> str:
        return obj.item.get_heading_display()

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.item.text

    @staticmethod
    def resolve_evidence_required(obj) -> bool:
        return obj.item.evidence_required

    @staticmethod
    def resolve_evidence_file_url(obj) -> str | None:
        if not obj.evidence_file:
            return None
        return reverse("enterprises:evidence", args=[obj.pk])


class ApplicationOut(Schema):
    id: int
    enterprise_id: int
    state: str
    state_label: str
    mode: str
    mode_label: str
    round: int
    approved_on: dt.date | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_state_label(obj: Application) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_mode_label(obj: Application) -> str:
        return obj.get_mode_display()

    @staticmethod
    def resolve_answers(obj: Application) -> list:
        return [a for answers in selectors.answers_by_round(obj).values() for a in answers]


def _application(request: HttpRequest, application_id: int, permission: str) -> Application:
    return get_visible_or_404(
        selectors.applications_for(request.user, permission), pk=application_id
    )


@router.post(
    "enterprises/{int:enterprise_id}/applications",
    response={200: ApplicationOut, 201: ApplicationOut},
    summary="开始复工申请（企业本人为网上办，干部代填为帮代办）",
)
def enterprises_application_start(request: HttpRequest, enterprise_id: int):
    enterprise = _enterprise(request, enterprise_id, "enterprises.file")
    existed = selectors.application_of(enterprise) is not None
    application = services.application_start(actor=request.user, enterprise=enterprise)
    return Status(200 if existed else 201, application)


class AnswerIn(Schema):
    meets: bool
    evidence: str = Field("", max_length=500)


@router.put(
    "applications/{int:application_id}/items/{int:item_id}",
    response=AnswerOut,
    summary="自评一个检查项（附佐证说明）",
)
def applications_answer(request: HttpRequest, application_id: int, item_id: int, payload: AnswerIn):
    application = _application(request, application_id, "enterprises.file")
    items = {i.pk: i for i in selectors.checklist_for(application.enterprise)}
    if item_id not in items:
        raise HttpError(404, "未找到")
    return services.answer_save(
        actor=request.user, application=application, item=items[item_id], **payload.dict()
    )


@router.post("applications/{int:application_id}/submit", response=ApplicationOut, summary="提交")
def applications_submit(request: HttpRequest, application_id: int):
    application = _application(request, application_id, "enterprises.file")
    return services.application_submit(actor=request.user, application=application)


class VerdictIn(Schema):
    item_id: Id
    verdict: str = Field(max_length=6, pattern="^(ok|not_ok)$")
    note: str = Field("", max_length=200)


class ReviewIn(Schema):
    items: list[VerdictIn] = Field(max_length=200)


@router.post(
    "applications/{int:application_id}/review",
    response=ApplicationOut,
    summary="网格逐项审核（有不符合即退回）",
)
def applications_review(request: HttpRequest, application_id: int, payload: ReviewIn):
    application = _application(request, application_id, "enterprises.review")
    verdicts = {v.item_id: (v.verdict, v.note) for v in payload.items}
    return services.application_review(
        actor=request.user, application=application, verdicts=verdicts
    )


@router.post("applications/{int:application_id}/approve", response=ApplicationOut, summary="批准")
def applications_approve(request: HttpRequest, application_id: int):
    application = _application(request, application_id, "enterprises.approve")
    return services.application_approve(actor=request.user, application=application)


class ReasonIn(Schema):
    item_id: Id
    reason: str = Field(max_length=200)


class ReturnIn(Schema):
    items: list[ReasonIn] = Field(max_length=200)


@router.post(
    "applications/{int:application_id}/return",
    response=ApplicationOut,
    summary="退回（逐项写明理由）",
)
def applications_return(request: HttpRequest, application_id: int, payload: ReturnIn):
    application = selectors.application_to_return(request.user, application_id)
    reasons = {r.item_id: r.reason for r in payload.items}
    return services.application_return(actor=request.user, application=application, reasons=reasons)


# ---------------------------------------------------------------- employees and the gate


class EmployeeIn(Schema):
    resident_id: Id
    origin: str = Field("", max_length=100)
    from_affected_area: bool = False
    return_date: dt.date | None = None
    commute: str = Field("commute", max_length=10, pattern="^(commute|dormitory)$")


class EmployeeOut(Schema):
    id: int
    enterprise_id: int
    name: str
    origin: str
    from_affected_area: bool
    return_date: dt.date | None
    commute: str
    code: str
    colour: str
    reason: str

    @staticmethod
    def resolve_name(obj: Employee) -> str:
        return name_mask(obj.resident.name)

    @staticmethod
    def resolve_colour(obj: Employee) -> str:
        return obj.health[0]

    @staticmethod
    def resolve_reason(obj: Employee) -> str:
        return obj.health[1]


def _with_health(employees: list[Employee]) -> list[Employee]:
    colours = services.health_colours(employees)
    for e in employees:
        e.health = colours[e.pk]
    return employees


@router.post(
    "enterprises/{int:enterprise_id}/employees",
    response={201: EmployeeOut},
    summary="登记员工（关联居民库中的居民），返回健康码短码",
)
def enterprises_employee_add(request: HttpRequest, enterprise_id: int, payload: EmployeeIn):
    enterprise = _enterprise(request, enterprise_id, "enterprises.file")
    data = payload.dict()
    resident = get_visible_or_404(people.residents_for(request.user), pk=data.pop("resident_id"))
    employee = services.employee_add(
        actor=request.user, enterprise=enterprise, resident=resident, **data
    )
    return Status(201, _with_health([employee])[0])


@router.get(
    "enterprises/{int:enterprise_id}/employees",
    response=list[EmployeeOut],
    summary="员工名册与健康码颜色（读取留审计）",
)
@paginate
def enterprises_employees(request: HttpRequest, enterprise_id: int):
    enterprise = _enterprise(request, enterprise_id)
    audit_read(actor=request.user, action="enterprises.employee.list", obj=enterprise.node)
    employees = selectors.employees_for(request.user).filter(enterprise=enterprise)
    return _LazyHealth(employees)


class _LazyHealth:
    """A queryset whose page (only) gets its health colours: the paginator slices it."""

    def __init__(self, qs):
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, index):
        return _with_health(list(self.qs[index]))


class ScanIn(Schema):
    token: str = Field("", max_length=300)
    code: str = Field("", max_length=20)
    temperature: Temperature | None = None
    idempotency_key: str = Field(min_length=1, max_length=64)


class ScanOut(Schema):
    entry_id: int
    colour: str
    colour_label: str
    name: str
    enterprise: str
    reason: str
    admitted: bool
    temperature: Decimal | None


@router.post(
    "gates/scan",
    response={200: ScanOut, 201: ScanOut},
    summary="门岗扫健康码：颜色、脱敏姓名和原因（同一 idempotency_key 只记一次）",
)
def gates_scan(request: HttpRequest, payload: ScanIn):
    require_permission_or_404(request.user, "enterprises.gate")
    raw = payload.temperature
    temperature = None if raw in (None, "") else temperature_parse(raw)
    try:
        _, answer, created = services.gate_scan(
            actor=request.user,
            token=payload.token,
            code=payload.code,
            temperature=temperature,
            idempotency_key=payload.idempotency_key,
        )
    except IntegrityError:
        raise HttpError(409, "同一 idempotency_key 已用于另一次扫码") from None
    return Status(201 if created else 200, answer)


# ---------------------------------------------------------------- appointments


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
