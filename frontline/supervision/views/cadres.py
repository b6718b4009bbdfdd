"""Pages for cadre records (audited reads) and holiday duty."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core.audit import audit_read
from frontline.core.forms import (
    form_status,
    form_submit,
)
from frontline.core.lists import list_node
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    nodes_visible,
    path_filter,
    require_permission_or_404,
    scope_root,
    user_can,
)
from frontline.supervision import figures, selectors, services
from frontline.supervision.forms import (
    CadreRecordForm,
    DutyForm,
)
from frontline.supervision.models import CadreRecordKind


@login_required
@require_GET
def cadre_record_list(request: HttpRequest) -> HttpResponse:
    """Cadre records: inspection and organisation roles only; the read itself is audited."""
    require_permission_or_404(request.user, "supervision.cadre_records")
    records = selectors.cadre_records_for(request.user)
    node = list_node(request.user, request.GET.get("node"), "supervision.cadre_records")
    if node is not None:
        records = records.filter(path_filter([node.path], "node__path"))
    kind = request.GET.get("kind") or ""
    if kind in CadreRecordKind.values:
        records = records.filter(kind=kind)
    since, until = (
        parse_date(request.GET.get("since") or ""),
        parse_date(request.GET.get("until") or ""),
    )
    if since:
        records = records.filter(day__gte=since)
    if until:
        records = records.filter(day__lte=until)
    audit_read(
        actor=request.user,
        action="supervision.cadre_record.list",
        permission="supervision.cadre_records",
    )
    return render(
        request,
        "supervision/cadre_record_list.html",
        {
            "page": capped_page(records, request.GET.get("page")),
            "kinds": CadreRecordKind.choices,
            "kind": kind,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadre_record_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.cadre_records")
    form = CadreRecordForm(
        request.POST or None, nodes=nodes_visible(request.user, "supervision.cadre_records")
    )
    record = form_submit(
        request, form, lambda data: services.cadre_record_create(actor=request.user, **data)
    )
    if record is not None:
        messages.success(request, f"已登记：{record.cadre_name} {record.get_kind_display()}")
        return redirect("supervision:cadre_records")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": "登记干部记实", "back": "supervision:cadre_records"},
        status=form_status(request),
    )


@login_required
@require_GET
def duty_list(request: HttpRequest) -> HttpResponse:
    """Cadres on duty over a span: from checkpoint check-ins, and typed days."""
    require_permission_or_404(request.user, "supervision.view")
    today = timezone.localdate()
    since = parse_date(request.GET.get("since") or "") or today - timedelta(days=6)
    until = parse_date(request.GET.get("until") or "") or today
    if (until - since).days > 366:
        since = until - timedelta(days=366)
    node = list_node(request.user, request.GET.get("node"), "supervision.view") or scope_root(
        request.user, "supervision.view"
    )
    people: dict[str, dict] = {}
    for row in figures.duty_people(node, since, until):
        person = people.setdefault(
            row["name"], {"name": row["name"], "days": set(), "places": set(), "sources": set()}
        )
        person["days"].add(row["day"])
        person["places"].add(row["place"])
        person["sources"].add(row["source"])
    return render(
        request,
        "supervision/duty_list.html",
        {
            "people": sorted(people.values(), key=lambda p: (-len(p["days"]), p["name"])),
            "since": since,
            "until": until,
            "can_type": user_can(request.user, "supervision.duty"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.duty")
    form = DutyForm(request.POST or None, nodes=nodes_visible(request.user, "supervision.duty"))
    duty = form_submit(
        request, form, lambda data: services.holiday_duty_create(actor=request.user, **data)
    )
    if duty is not None:
        messages.success(request, f"已登记 {duty.cadre_name} {duty.day} 值守")
        return redirect("supervision:duty")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": "补录干部坚守（没有卡口签到的）", "back": "supervision:duty"},
        status=form_status(request),
    )
