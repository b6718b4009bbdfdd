"""Pages for inspections on a phone, and findings with their follow-up (rectify, reinspect,
the overdue ones flagged to the owner's leader)."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.forms import (
    form_action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.lists import list_node
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    path_filter,
    require_permission_or_404,
    user_can,
)
from frontline.supervision import selectors, services
from frontline.supervision.forms import (
    InspectionForm,
    RectifyForm,
    ReinspectForm,
)
from frontline.supervision.models import FindingStatus, TargetKind


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.view")
    inspections = selectors.inspections_for(request.user)
    can_inspect = selectors.groups_of_member(request.user).exists()
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "page": capped_page(inspections, request.GET.get("page")),
            "rubrics": selectors.rubrics_for(request.user) if can_inspect else [],
            "overdue": selectors.findings_overdue(request.user).count(),
            "mine": selectors.findings_owned(request.user).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.inspect")
    rubric = get_visible_or_404(
        selectors.rubrics_for(request.user), pk=request.GET.get("rubric_id")
    )
    groups = selectors.groups_of_member(request.user)
    if not groups.exists():
        raise Http404("未找到")
    targets = selectors.targets_for(request.user, list(groups), rubric.target_kind)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        rubric=rubric,
        groups=groups,
        targets=targets,
        owners=selectors.owners_for(request.user),
        initial={"idempotency_key": idempotency_key_new()},
    )
    if rubric.target_kind == TargetKind.ISOLATION:
        # Isolated households are not listed here (their addresses stay in control).
        form.fields["target"] = forms.IntegerField(
            label="隔离户编号", min_value=1, max_value=2**31 - 1
        )
    result = form_submit(
        request,
        form,
        lambda _data: services.inspection_create(
            actor=request.user,
            rubric=rubric,
            target_kind=rubric.target_kind,
            **form.service_args(),
        ),
    )
    if result is not None:
        inspection, _created = result
        messages.success(
            request,
            f"已记录：{inspection.target_label} {inspection.total}/{inspection.max_total} 分",
        )
        return redirect("supervision:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "supervision/inspection_form.html",
        {"form": form, "rubric": rubric},
        status=form_status(request),
    )


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_visible_or_404(selectors.inspections_for(request.user), pk=pk)
    items = [
        (item, inspection.scores.get(str(item.pk), 0)) for item in inspection.rubric.items.all()
    ]
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "items": items,
            "findings": inspection.findings.select_related("owner"),
            "today": timezone.localdate(),
        },
    )


FINDING_FILTERS = {"open": "待整改", "overdue": "已逾期", "mine": "待我整改", "rectified": "已整改"}


@login_required
@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.view")
    show = request.GET.get("show") or "open"
    if show == "overdue":
        findings = selectors.findings_overdue(request.user)
    elif show == "mine":
        findings = selectors.findings_owned(request.user)
    elif show == "rectified":
        findings = selectors.findings_for(request.user).filter(status=FindingStatus.RECTIFIED)
    else:
        show = "open"
        findings = selectors.findings_for(request.user).filter(status=FindingStatus.OPEN)
    # ?node= (the 逾期未整改问题 figure's link): the findings of that place and below.
    node = list_node(request.user, request.GET.get("node"), "supervision.view")
    if node is not None:
        findings = findings.filter(path_filter([node.path], "node__path"))
    return _finding_page(request, findings, show)


@login_required
@require_GET
def finding_flagged_list(request: HttpRequest) -> HttpResponse:
    """Overdue findings flagged to the user as the owner's leader, with the rule stated."""
    require_permission_or_404(request.user, "supervision.oversee")
    return _finding_page(
        request, selectors.findings_flagged(request.user), "flagged", selectors.LEADER_RULE
    )


def _finding_page(request: HttpRequest, findings, show: str, rule: str = "") -> HttpResponse:
    filters = [
        (key, label, f"{reverse('supervision:findings')}?show={key}")
        for key, label in FINDING_FILTERS.items()
    ]
    if user_can(request.user, "supervision.oversee"):
        filters.insert(2, ("flagged", "逾期督促", reverse("supervision:findings_flagged")))
    return render(
        request,
        "supervision/finding_list.html",
        {
            "page": capped_page(findings.order_by("deadline", "id"), request.GET.get("page")),
            "show": show,
            "filters": filters,
            "rule": rule,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A finding; its owner's village rectifies it here (POST), with evidence."""
    permission = "supervision.rectify" if request.method == "POST" else "supervision.view"
    finding = get_visible_or_404(selectors.findings_for(request.user, permission), pk=pk)
    form = RectifyForm(request.POST or None, request.FILES or None)
    done = form_submit(
        request,
        form,
        lambda data: services.finding_rectify(
            actor=request.user, finding=finding, evidence=data["evidence"], photo=data["photo"]
        ),
    )
    if done is not None:
        messages.success(request, "已整改销号")
        return redirect("supervision:finding_detail", pk=finding.pk)
    return render(
        request,
        "supervision/finding_detail.html",
        {
            "finding": finding,
            "form": form,
            "reinspect_form": ReinspectForm(
                initial={"deadline": timezone.localdate() + timedelta(days=3)}
            ),
            "can_rectify": finding.status == FindingStatus.OPEN
            and user_can(request.user, "supervision.rectify", finding.node),
            "can_reinspect": finding.status == FindingStatus.OPEN
            and user_can(request.user, "supervision.inspect", finding.node),
            "today": timezone.localdate(),
        },
        status=form_status(request),
    )


@login_required
@require_POST
def finding_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_visible_or_404(selectors.findings_for(request.user, "supervision.inspect"), pk=pk)
    form_action_submit(
        request,
        ReinspectForm(request.POST),
        lambda data: services.finding_reinspect(
            actor=request.user, finding=finding, deadline=data["deadline"]
        ),
        "已记录复查：仍未整改，期限已更新",
    )
    return redirect("supervision:finding_detail", pk=finding.pk)


@login_required
@require_GET
def finding_photo(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    finding = get_visible_or_404(selectors.findings_for(request.user), pk=pk)
    data, kind = (
        (finding.photo, finding.photo_type)
        if which == "finding"
        else (finding.evidence_photo, finding.evidence_photo_type)
    )
    if not data or which not in ("finding", "evidence"):
        raise Http404("未找到")
    response = HttpResponse(bytes(data), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response
