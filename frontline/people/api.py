"""API of the people registry: list and search, create, read, change, unmask, roster import."""

from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from frontline.core.api_errors import json_object
from frontline.core.limits import Choice, Id, PageNumber, SearchText, Text
from frontline.core.models import Node
from frontline.core.scoping import get_visible_or_404, require_permission_or_404
from frontline.core.staged_import.pipeline import staged_imports_for
from frontline.people import imports, selectors, services
from frontline.people.imports import RosterImporter
from frontline.people.models import NOTES_MAX, TAGS_MAX
from frontline.people.presenters import resident_masked
from frontline.people.selectors import query_parse

router = Router(tags=["人员"])
PER_PAGE = 50


class ResidentOut(Schema):
    id: int
    name: str
    id_number: str
    phone: str
    gender: str
    age: int | None
    address: str
    node_id: int
    node_name: str
    place: str
    household_id: int | None
    household_number: str
    relation: str
    tags: list[str]


class ResidentPage(Schema):
    count: int
    capped: bool
    page: int
    pages: int
    items: list[ResidentOut]


class SearchIn(Schema):
    q: SearchText = ""
    node: Id | None = None
    tag: Id | None = None
    page: PageNumber = 1


# The same lengths as the resident form's (ID and phone as typed, with spaces or dashes).
Tags = Annotated[list[Id], Field(max_length=TAGS_MAX)]


class ResidentIn(Schema):
    name: Text(50)
    id_number: Text(40)
    node: Id
    phone: Text(30) = ""
    address: Text(200) = ""
    household_number: Text(30) = ""
    relation: Choice = ""
    tags: Tags = []
    notes: Text(NOTES_MAX) = ""


class ResidentPatch(Schema):
    name: Text(50) | None = None
    id_number: Text(40) | None = None
    phone: Text(30) | None = None
    node: Id | None = None
    address: Text(200) | None = None
    household_number: Text(30) | None = None
    relation: Choice | None = None
    tags: Tags | None = None
    notes: Text(NOTES_MAX) | None = None


class UnmaskIn(Schema):
    reason: Text(200) = ""


class UnmaskOut(Schema):
    id_number: str
    phone: str


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    id: int
    status: str
    counts: dict[str, int]
    errors: list[RowErrorOut]
    warnings: list[RowErrorOut]


def _search(request: HttpRequest, q: str, node: int | None, tag: int | None, page: int) -> dict:
    require_permission_or_404(request.user, "people.view")
    places = selectors.resident_places(request.user)
    node_obj = get_visible_or_404(places, pk=node) if node else None
    tag_obj = get_visible_or_404(selectors.tags_all(), pk=tag) if tag else None
    residents = selectors.resident_search(
        request.user, query=query_parse(q), node=node_obj, tag=tag_obj
    )
    current, found = selectors.resident_page(residents, page, PER_PAGE)
    today = timezone.localdate()
    return {
        "count": current.paginator.count,
        "capped": current.paginator.capped,
        "page": current.number,
        "pages": current.paginator.num_pages,
        "items": [resident_masked(r, today) for r in found],
    }


@router.get("", response=ResidentPage, summary="居民列表（证件号、手机号打码）")
def people_list(
    request: HttpRequest,
    q: SearchText = "",
    node: Id | None = None,
    tag: Id | None = None,
    page: PageNumber = 1,
) -> dict:
    if query_parse(q).is_personal:
        # A whole ID or phone in a query string lands in access logs and proxies.
        raise HttpError(400, "按完整身份证号或手机号查找请用 POST /api/v1/people/search")
    return _search(request, q, node, tag, page)


@router.post("search", response=ResidentPage, summary="查找居民（可按完整身份证号、手机号）")
def people_search(request: HttpRequest, payload: SearchIn) -> dict:
    return _search(request, payload.q, payload.node, payload.tag, payload.page)


def _resident(request: HttpRequest, resident_id: int, permission: str = "people.view"):
    return get_visible_or_404(
        selectors.residents_for(request.user, permission).select_related(
            "node__parent", "household"
        ),
        pk=resident_id,
    )


def _node(request: HttpRequest, node_id: int) -> Node:
    return get_visible_or_404(selectors.resident_places(request.user, "people.edit"), pk=node_id)


@router.post("", response={201: ResidentOut}, summary="登记居民")
def people_create(request: HttpRequest, payload: ResidentIn):
    require_permission_or_404(request.user, "people.edit")
    data = payload.dict()
    data["node"] = _node(request, payload.node)
    data["tags"] = list(selectors.tags_all().filter(pk__in=payload.tags))
    resident, _warnings = services.resident_create(actor=request.user, **data)
    return Status(201, resident_masked(resident))


@router.get("{int:resident_id}", response=ResidentOut, summary="一位居民（打码）")
def people_detail(request: HttpRequest, resident_id: int) -> dict:
    return resident_masked(_resident(request, resident_id))


def _body(request: HttpRequest, schema: type[Schema]) -> Schema:
    """The JSON body, read only after the object was found in scope: an id outside it
    answers 404 whatever the body holds."""
    data = json_object(request.body)
    try:
        return schema.model_validate(data)
    except PydanticValidationError as error:
        raise SchemaError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        ) from None


def _schema_of(schema: type[Schema]) -> dict:
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


@router.patch(
    "{int:resident_id}",
    response=ResidentOut,
    summary="修改居民（打码值视为不变）",
    openapi_extra=_schema_of(ResidentPatch),
)
def people_update(request: HttpRequest, resident_id: int):
    resident = _resident(request, resident_id, "people.edit")
    data = _body(request, ResidentPatch).dict(exclude_unset=True)
    if data.get("node") is not None:
        data["node"] = _node(request, data["node"])
    if data.get("tags") is not None:
        data["tags"] = list(selectors.tags_all().filter(pk__in=data["tags"]))
    resident, _warnings = services.resident_update(actor=request.user, resident=resident, **data)
    return resident_masked(resident)


@router.post(
    "{int:resident_id}/unmask",
    response=UnmaskOut,
    summary="说明理由查看完整证件号（留痕）",
    openapi_extra=_schema_of(UnmaskIn),
)
def people_unmask(request: HttpRequest, resident_id: int):
    resident = _resident(request, resident_id, "people.view_full_id")
    payload = _body(request, UnmaskIn)
    return services.resident_unmask(actor=request.user, resident=resident, reason=payload.reason)


def _import_out(roster) -> dict:
    return {
        "id": roster.pk,
        "status": roster.status,
        "counts": {
            "total": roster.total_rows,
            "new": roster.new_count,
            "updated": roster.updated_count,
            "unchanged": roster.unchanged_count,
            "bad": roster.bad_count,
            "warnings": roster.warning_count,
        },
        "errors": roster.errors,
        "warnings": roster.warnings,
    }


@router.post("imports", response={201: ImportOut}, summary="上传花名册，得到逐行检查的预览")
def people_import_create(request: HttpRequest, file: File[UploadedFile]):
    require_permission_or_404(request.user, "people.import")
    roster = imports.roster_preview(actor=request.user, upload=file, filename=file.name or "")
    return Status(201, _import_out(roster))


@router.post("imports/{int:import_id}/commit", response=ImportOut, summary="确认导入（全部或全不）")
def people_import_commit(request: HttpRequest, import_id: int) -> dict:
    roster = get_visible_or_404(staged_imports_for(request.user, RosterImporter), pk=import_id)
    roster = imports.roster_commit(actor=request.user, roster=roster)
    return _import_out(roster)
