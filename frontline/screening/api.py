"""API for daily screening: the coverage board, records, checklists, assignments, referrals."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from frontline.control import public as control
from frontline.core.audit import audit_read
from frontline.core.limits import Choice, Id, IdempotencyKey, Temperature, Text
from frontline.core.scoping import get_visible_or_404
from frontline.core.temperature import temperature_parse
from frontline.screening import selectors, services
from frontline.screening.models import FINDINGS_MAX, ScreeningRecord
from frontline.screening.services import CHECKS_MAX, PERSONS_MAX

router = Router(tags=["排查"])


class RecordBriefOut(Schema):
    id: int
    screened_by: str
    findings: str
    failed_checks: list[str]

    @staticmethod
    def resolve_screened_by(obj: ScreeningRecord) -> str:
        return str(obj.screened_by)


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    group: str
    screened: bool
    assignees: list[str]
    records: list[RecordBriefOut]


class GroupOut(Schema):
    name: str
    screened: int
    total: int


class CoverageOut(Schema):
    node_id: int
    node_name: str
    date: dt.date
    screened: int
    total: int
    groups: list[GroupOut]
    units: list[UnitOut]


class PersonIn(Schema):
    name: Text(50)
    origin: Text(100) = ""
    temperature: Temperature | None = None
    reason: Text(200) = ""


class RecordIn(Schema):
    unit_id: Id
    date: dt.date | None = None
    # {checklist item id: done}; items left out count as not done.
    checks: Annotated[dict[Id, bool], Field(max_length=CHECKS_MAX)] = {}
    findings: Text(FINDINGS_MAX) = ""
    persons: Annotated[list[PersonIn], Field(max_length=PERSONS_MAX)] = []
    idempotency_key: IdempotencyKey | None = None


class CheckOut(Schema):
    item: int
    label: str
    ok: bool


class RecordOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    date: dt.date
    screened_by: str
    checks: list[CheckOut]
    findings: str
    has_photo: bool
    referral_ids: list[int]

    @staticmethod
    def resolve_unit_id(obj: ScreeningRecord) -> int:
        return obj.node_id

    @staticmethod
    def resolve_unit_name(obj: ScreeningRecord) -> str:
        return obj.node.name

    @staticmethod
    def resolve_date(obj: ScreeningRecord) -> dt.date:
        return obj.day

    @staticmethod
    def resolve_screened_by(obj: ScreeningRecord) -> str:
        return str(obj.screened_by)

    @staticmethod
    def resolve_has_photo(obj: ScreeningRecord) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_referral_ids(obj: ScreeningRecord) -> list[int]:
        found = control.referrals_of_source(control.ReferralSource.SCREENING, obj.pk)
        return sorted(r.pk for r in found)


class ChecklistItemOut(Schema):
    id: int
    label: str


class AssignmentOut(Schema):
    id: int
    node_id: int
    node_name: str
    assignee_id: int
    assignee_name: str

    @staticmethod
    def resolve_node_name(obj) -> str:
        return obj.node.name

    @staticmethod
    def resolve_assignee_name(obj) -> str:
        return str(obj.assignee)


class ReferralOut(Schema):
    id: int
    node_id: int
    name: str
    origin: str
    temperature: Decimal | None
    reason: str
    status: str
    source: str
    screening_record_id: int | None
    passer_id: int | None
    key_person_id: int | None
    created_at: dt.datetime

    # Read from key-person control's hand-over, which names its source by kind and id.
    @staticmethod
    def resolve_source(obj) -> str:
        return obj.source_kind

    @staticmethod
    def resolve_screening_record_id(obj) -> int | None:
        return obj.source_id if obj.source_kind == control.ReferralSource.SCREENING else None

    @staticmethod
    def resolve_passer_id(obj) -> int | None:
        return obj.source_id if obj.source_kind == control.ReferralSource.CHECKPOINT else None

    @staticmethod
    def resolve_created_at(obj) -> dt.datetime:
        return timezone.localtime(obj.created_at)


def _board_root(request: HttpRequest, node: int | None):
    if node is None:
        root = selectors.board_default_root(request.user)
        if root is None:
            raise Http404("未找到")
        return root
    return get_visible_or_404(selectors.board_roots(request.user), pk=node)


@router.get("coverage", response=CoverageOut, summary="某日排查覆盖：每个村和企业是否已排查")
def screening_coverage(request: HttpRequest, date: dt.date | None = None, node: Id | None = None):
    root = _board_root(request, node)
    board = selectors.coverage_day(root, date or timezone.localdate())
    return {
        "node_id": root.pk,
        "node_name": root.name,
        "date": board.day,
        "screened": board.screened,
        "total": board.total,
        "groups": [g.__dict__ for g in board.groups],
        "units": [
            {
                "id": row.unit.pk,
                "name": row.unit.name,
                "kind": row.unit.kind,
                "group": row.group,
                "screened": row.screened,
                "assignees": [str(user) for user in row.assignees],
                "records": row.records,
            }
            for row in board.rows
        ],
    }


@router.get("checklist", response=list[ChecklistItemOut], summary="某个村或企业适用的排查检查项")
def screening_checklist(request: HttpRequest, unit_id: Id):
    unit = get_visible_or_404(selectors.units_for_record(request.user), pk=unit_id)
    return selectors.checklist_for(unit)


@router.post(
    "records",
    response={200: RecordOut, 201: RecordOut},
    summary="提交排查记录（同一 idempotency_key 只记一次）",
)
def screening_record_create(request: HttpRequest, payload: RecordIn):
    # A unit outside the user's scope does not exist for them: 404, as everywhere.
    unit = get_visible_or_404(selectors.units_for_record(request.user), pk=payload.unit_id)
    persons = [
        services.PersonFound(
            name=p.name,
            origin=p.origin,
            reason=p.reason,
            temperature=None if p.temperature in (None, "") else temperature_parse(p.temperature),
        )
        for p in payload.persons
    ]
    record, created = services.record_create(
        actor=request.user,
        unit=unit,
        day=payload.date or timezone.localdate(),
        checks=payload.checks,
        findings=payload.findings,
        persons=persons,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201 if created else 200, record)


@router.get("records/{int:record_id}", response=RecordOut, summary="一条排查记录")
def screening_record_detail(request: HttpRequest, record_id: int):
    record = get_visible_or_404(selectors.records_for(request.user), pk=record_id)
    audit_read(actor=request.user, action="screening.record.view", obj=record)
    return record


@router.get("assignments", response=list[AssignmentOut], summary="排查责任安排")
@paginate
def screening_assignments(request: HttpRequest):
    return selectors.assignments_for(request.user)


@router.get("referrals", response=list[ReferralOut], summary="转重点人员（待接收与已接收）")
@paginate
def screening_referrals(request: HttpRequest, status: Choice = ""):
    # Names and temperatures handed over are health records: every read is logged.
    audit_read(actor=request.user, action="screening.referral.list", permission="referrals.view")
    return control.referrals_for(request.user, status=status)
