"""Employees, their health colours and the gate scan."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from ninja import Field, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from frontline.core.audit import audit_read
from frontline.core.limits import Id, Temperature
from frontline.core.personal_data import name_mask
from frontline.core.scoping import get_visible_or_404, require_permission_or_404
from frontline.core.temperature import temperature_parse
from frontline.enterprises import selectors, services
from frontline.enterprises.api.common import _enterprise, router
from frontline.enterprises.models import Employee
from frontline.people import public as people


class EmployeeIn(Schema):
    # Either the resident (a user whose scope holds the employee's village), or the name
    # and ID number on the employee's card (an enterprise contact's way, as on the page).
    resident_id: Id | None = None
    name: str = Field("", max_length=50)
    id_number: str = Field("", max_length=30)
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
    resident_id, name, id_number = data.pop("resident_id"), data.pop("name"), data.pop("id_number")
    if id_number:
        resident = services.resident_on_card(name, id_number)
    elif resident_id is not None:
        resident = get_visible_or_404(people.residents_for(request.user), pk=resident_id)
    else:
        raise ValidationError({"id_number": "请填写员工的姓名和身份证号"})
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
