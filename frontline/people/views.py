"""Pages of the people registry: list and search, detail, create, edit, unmask, households,
export and tags. Roster import pages are in import_views.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.control import public as control
from frontline.core.audit import audit_read, audit_record
from frontline.core.forms import form_status, form_submit
from frontline.core.scoping import get_visible_or_404, require_permission_or_404, user_can
from frontline.core.xlsx_export import xlsx_response
from frontline.people import selectors, services
from frontline.people.forms import ResidentForm, SearchForm, TagForm, UnmaskForm
from frontline.people.models import Resident
from frontline.people.presenters import EXPORT_HEADERS, resident_export_row, resident_masked
from frontline.people.selectors import Query, QueryKind, query_parse

PER_PAGE = 30


def _search(request: HttpRequest, data) -> tuple[SearchForm, Query, dict]:
    form = SearchForm(data, places=selectors.resident_places(request.user))
    if not form.is_valid():
        return form, Query(QueryKind.EMPTY), {}
    filters = {"node": form.cleaned_data["node"], "tag": form.cleaned_data["tag"]}
    return form, query_parse(form.cleaned_data["q"]), filters


@login_required
@require_http_methods(["GET", "POST"])
def resident_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "people.view")
    data = request.POST if request.method == "POST" else request.GET
    form, query, filters = _search(request, data)
    refused = request.method == "POST" and not form.is_valid()
    if request.method == "POST" and not refused and not query.is_personal:
        # A name or a phone tail may live in the URL, so paging and "back" work.
        params = {k: v for k, v in data.items() if k in ("q", "node", "tag") and v}
        return redirect(f"{reverse('people:list')}?{urlencode(params)}")
    if request.method == "GET" and query.is_personal:
        # An ID or phone in a URL lands in logs and browser history: refuse to use it.
        messages.warning(request, "身份证号、手机号请在查找框中输入，不要放在网址里。")
        return redirect("people:list")
    residents = selectors.resident_search(request.user, query=query, **filters)
    page, found = selectors.resident_page(residents, request.GET.get("page"), PER_PAGE)
    today = timezone.localdate()
    return render(
        request,
        "people/resident_list.html",
        {
            "form": form,
            "page": page,
            "rows": [resident_masked(r, today) for r in found],
            "query_kind": query.kind.value,
            "searched": query.kind != QueryKind.EMPTY or any(filters.values()),
            "can_edit": user_can(request.user, "people.edit"),
            "can_import": user_can(request.user, "people.import"),
            "can_export": user_can(request.user, "people.export"),
        },
        # A refused search (a place outside scope) is answered here: a redirect would
        # carry what was typed, an ID number perhaps, into the URL.
        status=422 if refused else 200,
    )


@login_required
@require_POST
def resident_export(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "people.export")
    _form, query, filters = _search(request, request.POST)
    residents = selectors.resident_search(
        request.user, query=query, permission="people.export", **filters
    ).prefetch_related("tags")
    audit_record(
        actor=request.user,
        action="people.roster.export",
        node=filters.get("node"),
        object_type="people.resident",
        fields=["name", "id_number", "phone", "address", "tags"],
        reason=f"筛选：{query.kind.value}",
    )
    today = timezone.localdate()
    rows = (resident_export_row(r, today) for r in residents.iterator(chunk_size=2000))
    return xlsx_response(f"花名册-{today:%Y%m%d}.xlsx", EXPORT_HEADERS, rows, sheet="花名册")


def _resident(request: HttpRequest, pk: int, permission: str = "people.view") -> Resident:
    return get_visible_or_404(
        selectors.residents_for(request.user, permission).select_related(
            "node__parent", "household"
        ),
        pk=pk,
    )


def _detail_context(request: HttpRequest, resident: Resident, **extra) -> dict:
    # Being under key-person control is a health status: shown only to who may open the
    # case, and then a recorded read.
    key_person = None
    if user_can(request.user, "control.view", resident.node):
        key_person = control.key_person_active_of(resident)
    if key_person is not None:
        audit_read(actor=request.user, action="people.resident.key_person_view", obj=resident)
    return {
        "resident": resident,
        "shown": resident_masked(resident),
        "tags": list(resident.tags.all()),
        "can_edit": user_can(request.user, "people.edit", resident.node),
        "can_unmask": user_can(request.user, "people.view_full_id", resident.node),
        "unmask_form": UnmaskForm(),
        "can_register_key_person": user_can(request.user, "control.edit", resident.node),
        "key_person": key_person,
        **extra,
    }


@login_required
@require_GET
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request, pk)
    return render(request, "people/resident_detail.html", _detail_context(request, resident))


@login_required
@require_POST
def resident_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request, pk, "people.view_full_id")
    form = UnmaskForm(request.POST)
    unmasked = form_submit(
        request,
        form,
        lambda data: services.resident_unmask(
            actor=request.user, resident=resident, reason=data["reason"]
        ),
    )
    context = _detail_context(request, resident, unmask_form=form, unmasked=unmasked)
    # The page itself is the answer to this POST: 200 with the numbers, 422 when refused.
    status = 200 if unmasked else form_status(request)
    return render(request, "people/resident_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def resident_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "people.edit")
    places = selectors.resident_places(request.user, "people.edit")
    initial = {"node": places.first()} if places.count() == 1 else {}
    form = ResidentForm(request.POST or None, places=places, initial=initial)
    created = form_submit(
        request, form, lambda data: services.resident_create(actor=request.user, **data)
    )
    if created is not None:
        resident, warnings = created
        messages.success(request, f"已登记 {resident.name}")
        for warning in warnings:
            messages.warning(request, warning)
        return redirect("people:detail", pk=resident.pk)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "title": "登记居民"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = _resident(request, pk, "people.edit")
    places = selectors.resident_places(request.user, "people.edit")
    initial = {
        "name": resident.name,
        "id_number": resident.id_number_masked,
        "phone": resident.phone_masked,
        "node": resident.node,
        "household_number": resident.household.number if resident.household_id else "",
        "relation": resident.relation,
        "address": resident.address,
        "tags": list(resident.tags.all()),
        "notes": resident.notes,
    }
    form = ResidentForm(request.POST or None, places=places, initial=initial, editing=True)
    updated = form_submit(
        request,
        form,
        lambda data: services.resident_update(actor=request.user, resident=resident, **data),
    )
    if updated is not None:
        _, warnings = updated
        messages.success(request, "已保存")
        for warning in warnings:
            messages.warning(request, warning)
        return redirect("people:detail", pk=resident.pk)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "title": f"修改：{resident.name}", "resident": resident},
        status=form_status(request),
    )


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_visible_or_404(selectors.households_for(request.user), pk=pk)
    today = timezone.localdate()
    members = [
        resident_masked(r, today) for r in selectors.household_members(household, request.user)
    ]
    return render(
        request, "people/household_detail.html", {"household": household, "members": members}
    )


@login_required
@require_http_methods(["GET", "POST"])
def tag_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "people.tags")
    form = TagForm(request.POST or None)
    tag = form_submit(
        request, form, lambda data: services.tag_create(actor=request.user, name=data["name"])
    )
    if tag is not None:
        messages.success(request, f"已添加标签“{tag.name}”")
        return redirect("people:tags")
    return render(
        request,
        "people/tag_list.html",
        {"form": form, "tags": selectors.tags_all()},
        status=form_status(request),
    )
