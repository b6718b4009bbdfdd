"""The enterprise registry: list with filters, one enterprise, its record edited."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Schema
from ninja.pagination import paginate

from frontline.core.limits import Id
from frontline.core.scoping import get_visible_or_404, nodes_visible, require_permission_or_404
from frontline.enterprises import selectors, services
from frontline.enterprises.api.common import _enterprise, router
from frontline.enterprises.models import MAX_HEADCOUNT, Application, Enterprise


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
