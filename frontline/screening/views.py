"""Pages for daily screening: the coverage board (day and week), the visit form, set-up."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.control import public as control
from frontline.core.audit import audit_read, audit_record
from frontline.core.forms import form_status, form_submit, idempotency_key_new
from frontline.core.lists import list_node, list_span
from frontline.core.models import Node
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.core.xlsx_export import xlsx_response
from frontline.screening import selectors, services
from frontline.screening.forms import (
    AssignmentForm,
    ChecklistItemForm,
    PersonFormSet,
    RecordForm,
)

_PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _board_root(request: HttpRequest) -> Node:
    require_permission_or_404(request.user, "screening.view")
    node_id = request.GET.get("node")
    if node_id:
        return get_visible_or_404(selectors.board_roots(request.user), pk=node_id)
    root = selectors.board_default_root(request.user)
    if root is None:
        raise Http404("未找到")
    return root


def _board_context(request: HttpRequest, root: Node) -> dict:
    return {
        "root": root,
        "roots": selectors.board_roots(request.user),
        "can_record": user_can(request.user, "screening.record"),
        "can_manage": user_can(request.user, "screening.manage"),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    root = _board_root(request)
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    coverage = selectors.coverage_day(root, day)
    # ?missing=1 (the 今日未排查单位 figure's link): only the units not screened that day.
    missing_only = request.GET.get("missing") == "1"
    rows = [row for row in coverage.rows if not row.screened] if missing_only else coverage.rows
    return render(
        request,
        "screening/board.html",
        {
            **_board_context(request, root),
            "coverage": coverage,
            "rows": rows,
            "missing_only": missing_only,
            "day": day,
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@login_required
@require_GET
def screened(request: HttpRequest) -> HttpResponse:
    """Units screened under a node, once per day of the span (the 已排查单位 figure)."""
    require_permission_or_404(request.user, "screening.view")
    node = list_node(request.user, request.GET.get("node"), "screening.view")
    start, end = list_span(request)
    qs = selectors.under(selectors.records_for(request.user), node)
    rows = selectors.screened_unit_days(qs, start, end).order_by("-day", "node__path")
    page = capped_page(rows, request.GET.get("page"), per_page=50)
    return render(
        request,
        "screening/screened.html",
        {
            "page": page,
            "rows": selectors.with_units(list(page.object_list)),
            "node": node,
            "span": (start, end),
        },
    )


RECORD_HEADERS = [
    "村/企业",
    "所属",
    "排查日期",
    "排查人",
    "提交时间",
    "检查项",
    "未落实",
    "发现的问题",
]


@login_required
@require_GET
def record_export(request: HttpRequest) -> HttpResponse:
    """The day's screening records under the board's node, as a workbook sent upward."""
    root = _board_root(request)
    if not user_can(request.user, "screening.export", root):
        raise Http404("未找到")
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    audit_record(
        actor=request.user,
        action="screening.record.export",
        node=root,
        object_type="screening.screeningrecord",
        fields=["findings"],
        reason=f"日期：{day}",
    )
    rows = (
        [
            r.node.name,
            r.node.parent.name if r.node.parent_id else "",
            r.day.strftime("%Y-%m-%d"),
            str(r.screened_by),
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            len(r.checks),
            "、".join(r.failed_checks),
            r.findings,
        ]
        for r in selectors.records_of_day(request.user, root, day).iterator(chunk_size=2000)
    )
    filename = f"排查记录-{root.name}-{day:%Y%m%d}.xlsx"
    return xlsx_response(filename, RECORD_HEADERS, rows, sheet="排查记录")


@login_required
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    root = _board_root(request)
    last_day = parse_date(request.GET.get("end") or "") or timezone.localdate()
    coverage = selectors.coverage_week(root, last_day)
    return render(
        request,
        "screening/week.html",
        {
            **_board_context(request, root),
            "coverage": coverage,
            "prev_end": last_day - timedelta(days=7),
            "next_end": last_day + timedelta(days=7),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "screening.record")
    units = selectors.units_for_record(request.user)
    unit_id = request.GET.get("unit") or request.POST.get("unit")
    if not unit_id:
        done = selectors.units_screened_on(units, timezone.localdate())
        mine = selectors.units_assigned(request.user, units)
        query = request.GET.get("q", "").strip()
        choices = units.filter(name__icontains=query) if query else units
        # The units assigned to the user come first, then today's unscreened ones.
        rows = sorted(
            choices[:300], key=lambda unit: (unit.pk not in mine, unit.pk in done, unit.path)
        )
        return render(
            request,
            "screening/record_pick.html",
            {"rows": [(unit, unit.pk in done, unit.pk in mine) for unit in rows], "q": query},
        )
    # A unit outside the user's scope is refused like any object there: it does not exist.
    unit = get_visible_or_404(units, pk=unit_id)
    items = selectors.checklist_for(unit)
    initial = {"idempotency_key": idempotency_key_new()}
    form = RecordForm(request.POST or None, request.FILES or None, items=items, initial=initial)
    persons = PersonFormSet(request.POST or None, prefix="person")

    def save(data: dict):
        found = [p for p in (f.person() for f in persons.forms if f.has_changed()) if p]
        return services.record_create(
            actor=request.user,
            unit=unit,
            day=data["day"],
            checks=form.checks(),
            findings=data["findings"],
            persons=found,
            idempotency_key=data["idempotency_key"],
            photo=data["photo"],
        )

    # The persons found are a formset of their own: the record is saved when both hold.
    saved = form_submit(request, form, save) if persons.is_valid() else None
    if saved is not None:
        record, created = saved
        if created:
            messages.success(request, f"已记录对{unit.name}的排查")
        return redirect("screening:record_detail", pk=record.pk)
    return render(
        request,
        "screening/record_form.html",
        {"form": form, "persons": persons, "unit": unit},
        status=form_status(request),
    )


@login_required
@require_GET
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_or_404(selectors.records_for(request.user), pk=pk)
    # Names, origins and temperatures of persons found are health records (SECURITY 7).
    audit_read(actor=request.user, action="screening.record.view", obj=record)
    referrals = control.referrals_of_source(control.ReferralSource.SCREENING, record.pk)
    return render(
        request, "screening/record_detail.html", {"record": record, "referrals": referrals}
    )


@login_required
@require_GET
def record_photo(request: HttpRequest, pk: int) -> FileResponse:
    record = get_visible_or_404(selectors.records_for(request.user).exclude(photo=""), pk=pk)
    extension = record.photo.name.rsplit(".", 1)[-1]
    # Served through scope, never from a public folder.
    return FileResponse(
        record.photo.open("rb"),
        content_type=_PHOTO_TYPES.get(extension, "application/octet-stream"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "screening.manage")
    form = AssignmentForm(
        request.POST or None,
        nodes=nodes_visible(request.user, "screening.manage"),
        users=selectors.screeners_for(request.user),
    )
    if form_submit(
        request, form, lambda data: services.assignment_create(actor=request.user, **data)
    ):
        messages.success(request, "已安排排查责任人")
        return redirect("screening:assignments")
    page = Paginator(selectors.assignments_for(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/assignments.html",
        {"form": form, "page": page},
        status=form_status(request),
    )


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(selectors.assignments_for(request.user), pk=pk)
    services.assignment_delete(actor=request.user, assignment=assignment)
    messages.success(request, "已取消该排查责任")
    return redirect("screening:assignments")


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "screening.manage")
    nodes = nodes_visible(request.user, "screening.manage")
    form = ChecklistItemForm(request.POST or None, nodes=nodes)
    if request.method == "POST" and request.POST.get("defaults"):
        node = get_visible_or_404(nodes, pk=request.POST.get("node"))
        created = services.checklist_defaults_create(actor=request.user, node=node)
        messages.success(request, f"已添加 {len(created)} 个常用检查项")
        return redirect("screening:checklist")
    if form_submit(
        request, form, lambda data: services.checklist_item_create(actor=request.user, **data)
    ):
        messages.success(request, "已添加检查项")
        return redirect("screening:checklist")
    return render(
        request,
        "screening/checklist.html",
        {
            "form": form,
            "items": selectors.checklist_items_for(request.user),
            "default_root": selectors.board_default_root(request.user),
        },
        status=form_status(request),
    )


@login_required
@require_POST
def checklist_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(selectors.checklist_items_for(request.user), pk=pk)
    services.checklist_item_set_active(actor=request.user, item=item, active=not item.is_active)
    return redirect("screening:checklist")


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "referrals.view")
    status = request.GET.get("status", "pending")
    referrals = control.referrals_for(
        request.user, status=status if status in control.ReferralStatus.values else ""
    )
    page = Paginator(referrals, 30).get_page(request.GET.get("page"))
    audit_read(actor=request.user, action="screening.referral.list", permission="referrals.view")
    return render(request, "screening/referrals.html", {"page": page, "status": status})
