"""Pages of the enterprise registry: the list and its export, one enterprise, its headcount."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_record
from frontline.core.forms import (
    form_action_submit,
    form_status,
    form_submit,
)
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    scope_root,
    user_can,
)
from frontline.core.xlsx_export import xlsx_response
from frontline.enterprises import selectors, services
from frontline.enterprises.forms import (
    EnterpriseEditForm,
    EnterpriseForm,
    HeadcountForm,
    PolicyApplyForm,
    TicketForm,
)
from frontline.enterprises.models import Enterprise


def _enterprise(request: HttpRequest, pk: int, permission: str = "enterprises.view") -> Enterprise:
    return get_visible_or_404(selectors.enterprises_for(request.user, permission), pk=pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filtered(request: HttpRequest):
    """The list's filters from the query string: (queryset, node, status)."""
    node = None
    node_id = _int(request.GET.get("node"))
    if node_id is not None:
        node = get_visible_or_404(nodes_visible(request.user, "enterprises.view"), pk=node_id)
    status = request.GET.get("status", "")
    status = status if status in dict(selectors.STATUS_CHOICES) else ""
    qs = selectors.enterprises_filtered(
        request.user,
        node=node,
        sector=_int(request.GET.get("sector")),
        status=status,
        until=parse_date(request.GET.get("until") or ""),
        q=request.GET.get("q", "")[:50],
    )
    return qs, node, status


@login_required
@require_GET
def enterprise_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "enterprises.view")
    qs, node, status = _filtered(request)
    counts = selectors.status_counts(request.user)
    # Narrowed by status alone (or not at all), the chips have counted the list's rows: a
    # second COUNT over a big town's enterprises would cost as much as the chips did.
    narrowed = node is not None or any(request.GET.get(k) for k in ("sector", "until", "q"))
    known = None if narrowed else counts[status] if status else sum(counts.values())
    return render(
        request,
        "enterprises/list.html",
        {
            "page": capped_page(qs, request.GET.get("page"), count=known),
            "statuses": [(code, label, counts[code]) for code, label in selectors.STATUS_CHOICES],
            "sectors": selectors.sectors(),
            "status": status,
            "node": node,
            "can_manage": user_can(request.user, "enterprises.manage"),
            "query": request.GET.copy(),
        },
    )


EXPORT_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "网格",
    "行业",
    "重点行业",
    "计划复工人数",
    "在岗人数",
    "党支部",
    "复工状态",
    "办理方式",
    "批准复工日期",
]


@login_required
@require_GET
def enterprise_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered, as an .xlsx (audited; every text cell formula-safe)."""
    require_permission_or_404(request.user, "enterprises.view")
    qs, node, _status = _filtered(request)
    audit_record(
        actor=request.user,
        action="enterprises.enterprise.export",
        # Unfiltered, the sheet is the whole scope: logged at its root (the audit page
        # lists by node).
        node=node or scope_root(request.user, "enterprises.view"),
        object_type="enterprises.enterprise",
        fields=["uscc", "sector", "planned_headcount", "onsite_headcount"],
    )

    def row(e: Enterprise) -> list:
        app = getattr(e, "application", None)
        return [
            e.node.name,
            e.uscc,
            e.node.parent.name if e.node.parent_id else "",
            e.sector.name,
            "是" if e.sector.is_key else "",
            e.planned_headcount,
            e.onsite_headcount,
            e.party_branch,
            app.get_state_display() if app else "未申请",
            app.get_mode_display() if app else "",
            app.approved_on.isoformat() if app and app.approved_on else "",
        ]

    rows = (row(e) for e in qs.iterator(chunk_size=2000))
    today = timezone.localdate()
    return xlsx_response(f"企业复工-{today:%Y%m%d}.xlsx", EXPORT_HEADERS, rows, sheet="企业")


def _own(request: HttpRequest) -> Enterprise:
    """The enterprise of an enterprise contact (the first, if they hold several)."""
    enterprise = selectors.enterprises_for(request.user, "enterprises.file").first()
    if enterprise is None:
        raise Http404("未找到")
    return enterprise


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return redirect("enterprises:application", pk=_own(request).pk)


@login_required
@require_GET
def employees_mine(request: HttpRequest) -> HttpResponse:
    return redirect("enterprises:employees", pk=_own(request).pk)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_register(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "enterprises.manage")
    form = EnterpriseForm(
        request.POST or None,
        nodes=selectors.unregistered_nodes(request.user),
        sectors=selectors.sectors(),
    )
    enterprise = form_submit(
        request, form, lambda data: services.enterprise_register(actor=request.user, **data)
    )
    if enterprise is not None:
        messages.success(request, f"“{enterprise}”已建档")
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "title": "企业建档"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    full = user_can(request.user, "enterprises.manage", enterprise.node)
    initial = {
        "uscc": enterprise.uscc,
        "sector": enterprise.sector_id,
        "planned_headcount": enterprise.planned_headcount,
        "onsite_headcount": enterprise.onsite_headcount,
        "party_branch": enterprise.party_branch,
    }
    form = EnterpriseEditForm(
        request.POST or None, initial=initial, full=full, sectors=selectors.sectors()
    )
    if form_submit(
        request,
        form,
        lambda data: services.enterprise_update(actor=request.user, enterprise=enterprise, **data),
    ):
        messages.success(request, "已保存")
        return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "title": f"修改：{enterprise}", "enterprise": enterprise},
        status=form_status(request),
    )


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    node = enterprise.node
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "application": selectors.application_of(enterprise),
            "tickets": selectors.tickets_for(request.user).filter(enterprise=enterprise)[:20],
            "policy_applications": selectors.policy_applications_for(request.user).filter(
                enterprise=enterprise
            )[:20],
            "appointments": selectors.appointments_for(request.user).filter(enterprise=enterprise)[
                :10
            ],
            "slots": selectors.slots_for(request.user, enterprise)[:10],
            "policy_form": PolicyApplyForm(
                policies=selectors.policies_for(request.user, enterprise)
            ),
            "ticket_form": TicketForm(),
            "headcounts": selectors.headcounts_of(enterprise)[:14],
            "headcount_form": HeadcountForm(initial={"day": timezone.localdate()}),
            "can_file": user_can(request.user, "enterprises.file", node),
            "can_manage": user_can(request.user, "enterprises.manage", node),
            "can_tickets": user_can(request.user, "enterprises.tickets", node),
            "can_approve": user_can(request.user, "enterprises.approve", node),
        },
    )


@login_required
@require_POST
def headcount_record(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    form_action_submit(
        request,
        HeadcountForm(request.POST),
        lambda data: services.headcount_record(actor=request.user, enterprise=enterprise, **data),
        lambda row: f"已登记 {row.day:%m月%d日} 在岗 {row.onsite} 人",
    )
    return redirect("enterprises:detail", pk=enterprise.pk)
