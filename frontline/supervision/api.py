"""API for supervision: rubrics, inspections, rectification, the 红黑榜, honours, cadre records.

First path segments: rubrics, inspections, findings, rankings, honours, cadre-records.
"""

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from frontline.core.audit import audit_read
from frontline.core.limits import Choice
from frontline.core.models import Node
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    scope_root,
)
from frontline.supervision import ranking, selectors, services
from frontline.supervision.models import CadreRecord, Finding, Inspection, PeriodKind

router = Router(tags=["督查考评"])


class ItemOut(Schema):
    id: int
    text: str
    points: int


class RubricOut(Schema):
    id: int
    name: str
    target_kind: str
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())


class FindingIn(Schema):
    text: str = Field(max_length=300)
    owner_id: int | None = Field(None, ge=1, le=2**31 - 1)
    deadline: dt.date | None = None


class InspectionIn(Schema):
    group_id: int = Field(ge=1, le=2**31 - 1)
    rubric_id: int = Field(ge=1, le=2**31 - 1)
    target_kind: str = Field(max_length=12)
    target_id: int = Field(ge=1, le=2**31 - 1)
    # Item id → points; each item's own maximum (≤ 100) is the service's check.
    scores: dict[str, Annotated[int, Field(ge=0, le=100)]] = Field(max_length=100)
    findings: list[FindingIn] = Field(default_factory=list, max_length=50)
    note: str = Field("", max_length=300)
    idempotency_key: str = Field(max_length=64)


class FindingOut(Schema):
    id: int
    inspection_id: int
    text: str
    owner_id: int | None
    deadline: dt.date | None
    status: str
    overdue: bool
    reinspections: int
    evidence: str
    has_photo: bool

    @staticmethod
    def resolve_overdue(obj: Finding) -> bool:
        return (
            obj.status == "open"
            and obj.deadline is not None
            and obj.deadline < timezone.localdate()
        )

    @staticmethod
    def resolve_has_photo(obj: Finding) -> bool:
        return bool(obj.photo_type)


class InspectionOut(Schema):
    id: int
    group_id: int
    rubric_id: int
    target_kind: str
    target_id: int
    target_label: str
    node_id: int
    inspected_at: dt.datetime
    scores: dict[str, int]
    total: int
    max_total: int
    note: str
    idempotency_key: str
    findings: list[FindingOut]

    @staticmethod
    def resolve_findings(obj: Inspection) -> list:
        return list(obj.findings.all())

    @staticmethod
    def resolve_inspected_at(obj: Inspection) -> dt.datetime:
        return timezone.localtime(obj.inspected_at)


@router.get("rubrics", response=list[RubricOut], summary="评分表及其评分项、分值")
def rubrics_list(request: HttpRequest, target_kind: Choice | None = None):
    require_permission_or_404(request.user, "supervision.view")
    return list(selectors.rubrics_for(request.user, target_kind))


@router.get("inspections", response=list[InspectionOut], summary="可见的督查检查")
@paginate
def inspections_list(request: HttpRequest):
    require_permission_or_404(request.user, "supervision.view")
    return selectors.inspections_for(request.user).prefetch_related("findings")


@router.post(
    "inspections",
    response={201: InspectionOut, 200: InspectionOut},
    summary="记录一次督查（同一请求编号重发返回原记录；内容不同则 409）",
)
def inspections_create(request: HttpRequest, payload: InspectionIn):
    require_permission_or_404(request.user, "supervision.inspect")
    group = get_visible_or_404(selectors.groups_of_member(request.user), pk=payload.group_id)
    rubric = get_visible_or_404(selectors.rubrics_for(request.user), pk=payload.rubric_id)
    inspection, created = services.inspection_create(
        actor=request.user,
        group=group,
        rubric=rubric,
        target_kind=payload.target_kind,
        target_id=payload.target_id,
        scores=payload.scores,
        findings=[f.dict() for f in payload.findings],
        note=payload.note,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201 if created else 200, inspection)


@router.get("inspections/{int:inspection_id}", response=InspectionOut, summary="一次督查")
def inspections_detail(request: HttpRequest, inspection_id: int):
    return get_visible_or_404(selectors.inspections_for(request.user), pk=inspection_id)


@router.get("findings", response=list[FindingOut], summary="督查问题（overdue=true 只看逾期）")
@paginate
def findings_list(request: HttpRequest, overdue: bool = False):
    require_permission_or_404(request.user, "supervision.view")
    if overdue:
        return selectors.findings_overdue(request.user)
    return selectors.findings_for(request.user)


class RectifyIn(Schema):
    evidence: str = Field(max_length=300)


@router.post(
    "findings/{int:finding_id}/rectify", response=FindingOut, summary="整改销号（须有整改证据）"
)
def findings_rectify(request: HttpRequest, finding_id: int, payload: RectifyIn):
    finding = get_visible_or_404(
        selectors.findings_for(request.user, "supervision.rectify"), pk=finding_id
    )
    return services.finding_rectify(actor=request.user, finding=finding, evidence=payload.evidence)


class RowOut(Schema):
    target_kind: str
    target_id: int
    label: str
    node_id: int
    score: float
    rank: int
    list: str
    parts: dict[str, float]


class RankingOut(Schema):
    id: int
    node_id: int
    period: str
    start: dt.date
    end: dt.date
    published: bool
    published_by: str | None
    published_at: dt.datetime | None
    formula: str
    weights: dict
    rows: list[RowOut]


def _ranking_out(published) -> dict:
    return {
        "id": published.pk,
        "node_id": published.node_id,
        "period": published.period_kind,
        "start": published.start,
        "end": published.end,
        "published": True,
        "published_by": str(published.published_by),
        "published_at": timezone.localtime(published.published_at),
        "formula": published.formula,
        "weights": published.weights,
        "rows": published.rows,
    }


@router.get(
    "rankings",
    response=RankingOut,
    summary="一期红黑榜：已发布的原样返回，否则按现在的数据和权重计算（id 用于发布）",
)
def rankings_get(request: HttpRequest, period: Choice = "week", date: dt.date | None = None):
    require_permission_or_404(request.user, "supervision.view")
    kind = period if period in PeriodKind.values else PeriodKind.WEEK
    span = ranking.period_of(kind, date or timezone.localdate())
    node = scope_root(request.user, "supervision.view")
    handle = services.ranking_handle(node=node, period_kind=span.kind, day=span.start)
    if handle.is_published:
        return _ranking_out(handle)
    table = ranking.compute(node, span)
    return {
        "id": handle.pk,
        "node_id": node.pk,
        "period": span.kind,
        "start": span.start,
        "end": span.end,
        "published": False,
        "published_by": None,
        "published_at": None,
        "formula": table.formula,
        "weights": table.weights,
        "rows": table.rows_json(),
    }


@router.post(
    "rankings/{int:ranking_id}/publish",
    response={201: RankingOut},
    summary="发布一期红黑榜（id 来自 GET /rankings；期满后才能发布，发布后冻结，不能再改）",
)
def rankings_publish(request: HttpRequest, ranking_id: int):
    handle = get_visible_or_404(selectors.ranking_handles_for(request.user), pk=ranking_id)
    published = services.ranking_publish(
        actor=request.user,
        node=handle.node,
        period_kind=handle.period_kind,
        start=handle.start,
    )
    return Status(201, _ranking_out(published))


class HonourIn(Schema):
    ranking_id: int = Field(ge=1, le=2**31 - 1)
    honour: str = Field(max_length=30, description="称号：示范村、标杆卡口…")
    target_kind: str = Field(max_length=12)
    target_id: int = Field(ge=1, le=2**31 - 1)


class HonourOut(Schema):
    id: int
    honour: str
    ranking_id: int
    target_kind: str
    target_id: int
    target_label: str
    node_id: int
    granted_at: dt.datetime

    @staticmethod
    def resolve_honour(obj) -> str:
        return obj.kind.name


@router.get("honours", response=list[HonourOut], summary="荣誉（按辖区）")
@paginate
def honours_list(request: HttpRequest):
    require_permission_or_404(request.user, "supervision.view")
    return selectors.honours_for(request.user)


@router.post("honours", response={201: HonourOut}, summary="从已发布红黑榜的红榜授予荣誉")
def honours_grant(request: HttpRequest, payload: HonourIn):
    published = get_visible_or_404(
        selectors.rankings_for(request.user).filter(
            node__in=nodes_visible(request.user, "supervision.manage")
        ),
        pk=payload.ranking_id,
    )
    kind = get_visible_or_404(selectors.honour_kinds(), name=payload.honour)
    honour = services.honour_grant(
        actor=request.user,
        kind=kind,
        ranking=published,
        target_kind=payload.target_kind,
        target_id=payload.target_id,
    )
    return Status(201, honour)


class CadreRecordIn(Schema):
    node_id: int = Field(ge=1, le=2**31 - 1)
    kind: str = Field(max_length=12)
    cadre_name: str = Field(max_length=50)
    position: str = Field("", max_length=50)
    day: dt.date
    reason: str = Field(max_length=500)
    evidence: str = Field("", max_length=500)
    inspection_id: int | None = Field(None, ge=1, le=2**31 - 1)


class CadreRecordOut(Schema):
    id: int
    node_id: int
    kind: str
    kind_label: str
    cadre_name: str
    position: str
    day: dt.date
    reason: str
    evidence: str
    inspection_id: int | None

    @staticmethod
    def resolve_kind_label(obj: CadreRecord) -> str:
        return obj.get_kind_display()


@router.get("cadre-records", response=list[CadreRecordOut], summary="干部记实（审计）")
@paginate
def cadre_records_list(request: HttpRequest, kind: Choice | None = None):
    require_permission_or_404(request.user, "supervision.cadre_records")
    audit_read(
        actor=request.user,
        action="supervision.cadre_record.list",
        permission="supervision.cadre_records",
    )
    records = selectors.cadre_records_for(request.user)
    return records.filter(kind=kind) if kind else records


@router.post("cadre-records", response={201: CadreRecordOut}, summary="登记干部记实")
def cadre_records_create(request: HttpRequest, payload: CadreRecordIn):
    node: Node = get_visible_or_404(
        nodes_visible(request.user, "supervision.cadre_records"), pk=payload.node_id
    )
    inspection = None
    if payload.inspection_id:
        inspection = get_visible_or_404(
            selectors.inspections_for(request.user, "supervision.cadre_records"),
            pk=payload.inspection_id,
        )
    data = payload.dict(exclude={"node_id", "inspection_id"})
    record = services.cadre_record_create(
        actor=request.user, node=node, inspection=inspection, **data
    )
    return Status(201, record)
