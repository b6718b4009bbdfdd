"""Pages for supervision: inspections on a phone, findings and their follow-up, the 红黑榜
with its publication and honours, cadre records (audited reads) and holiday duty."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_read
from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.models import NodeKind
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    scope_root,
    user_can,
)
from frontline.supervision import figures, ranking, selectors, services
from frontline.supervision.forms import (
    CadreRecordForm,
    DutyForm,
    GroupForm,
    HonourForm,
    InspectionForm,
    RectifyForm,
    ReinspectForm,
    RubricForm,
    WeightsForm,
)
from frontline.supervision.models import CadreRecordKind, FindingStatus, PeriodKind, TargetKind


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


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.view")
    groups = selectors.groups_for(request.user).select_related("node")
    return render(
        request,
        "supervision/group_list.html",
        {
            "groups": [
                (group, user_can(request.user, "supervision.manage", group.node))
                for group in groups
            ],
            "can_manage": user_can(request.user, "supervision.manage"),
        },
    )


def _setup_nodes(user):
    """Where a group or a rubric may be set up: the district, towns and villages managed."""
    return nodes_visible(user, "supervision.manage").filter(
        kind__in=[NodeKind.DISTRICT, NodeKind.TOWN, NodeKind.VILLAGE], is_active=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.manage")
    form = GroupForm(
        request.POST or None,
        nodes=_setup_nodes(request.user),
        places=selectors.group_places_for(request.user),
        inspectors=selectors.inspectors_for(request.user),
    )
    group = form_submit(
        request,
        form,
        lambda data: services.group_create(
            actor=request.user,
            node=data["node"],
            name=data["name"],
            members=list(data["members"]),
            scope=list(data["scope"]),
        ),
    )
    if group is not None:
        messages.success(request, f"已建立“{group.name}”")
        return redirect("supervision:groups")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": "新建督察组", "back": "supervision:groups"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible_or_404(selectors.groups_for(request.user, "supervision.manage"), pk=pk)
    form = GroupForm(
        request.POST or None,
        initial={
            "name": group.name,
            "members": list(group.members.all()),
            "scope": list(group.scope.all()),
        },
        nodes=None,
        places=selectors.group_places_for(request.user).filter(path__startswith=group.node.path),
        inspectors=selectors.inspectors_for(request.user),
        fixed_node=True,
    )
    saved = form_submit(
        request,
        form,
        lambda data: services.group_update(
            actor=request.user,
            group=group,
            name=data["name"],
            members=list(data["members"]),
            scope=list(data["scope"]),
        ),
    )
    if saved is not None:
        messages.success(request, f"已保存“{saved.name}”")
        return redirect("supervision:groups")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": f"修改督察组 · {group.node.name}", "back": "supervision:groups"},
        status=form_status(request),
    )


@login_required
@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    """Rubrics in force (the common ones and the user's places'), and those the user manages."""
    require_permission_or_404(request.user, "supervision.view")
    managed = (
        selectors.rubrics_managed(request.user)
        if user_can(request.user, "supervision.manage")
        else []
    )
    managed_ids = {rubric.pk for rubric in managed}
    shown = {rubric.pk: rubric for rubric in selectors.rubrics_for(request.user)}
    for rubric in managed:
        shown.setdefault(rubric.pk, rubric)
    rubrics = sorted(shown.values(), key=lambda r: (r.target_kind, r.name))
    return render(
        request,
        "supervision/rubric_list.html",
        {
            "rubrics": [(rubric, rubric.pk in managed_ids) for rubric in rubrics],
            "can_manage": user_can(request.user, "supervision.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.manage")
    form = RubricForm(request.POST or None, nodes=_setup_nodes(request.user))
    rubric = form_submit(
        request,
        form,
        lambda data: services.rubric_create(
            actor=request.user,
            node=data["node"],
            target_kind=data["target_kind"],
            name=data["name"],
            items=services.rubric_items_parse(data["items"]),
        ),
    )
    if rubric is not None:
        messages.success(request, f"已建立评分表“{rubric.name}”，满分 {rubric.max_total} 分")
        return redirect("supervision:rubrics")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": "新建评分表", "back": "supervision:rubrics"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_visible_or_404(selectors.rubrics_managed(request.user), pk=pk)
    lines = "\n".join(f"{item.text} {item.points}" for item in rubric.items.all())
    form = RubricForm(
        request.POST or None,
        initial={"name": rubric.name, "items": lines, "is_active": rubric.is_active},
        editing=True,
    )
    saved = form_submit(
        request,
        form,
        lambda data: services.rubric_update(
            actor=request.user,
            rubric=rubric,
            name=data["name"],
            items=services.rubric_items_parse(data["items"]),
            is_active=data["is_active"],
        ),
    )
    if saved is not None:
        messages.success(request, f"已保存评分表“{saved.name}”")
        return redirect("supervision:rubrics")
    title = f"修改评分表 · {rubric.get_target_kind_display()} · {rubric.node.name}"
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": title, "back": "supervision:rubrics"},
        status=form_status(request),
    )


@login_required
@require_GET
def ranking_board(request: HttpRequest) -> HttpResponse:
    """This period's list computed now (or as published), with formula and weights."""
    require_permission_or_404(request.user, "supervision.view")
    kind = request.GET.get("period") if request.GET.get("period") in PeriodKind.values else "week"
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    period = ranking.period_of(kind, day)
    node = scope_root(request.user, "supervision.view")
    published = (
        selectors.rankings_for(request.user)
        .filter(node=node, period_kind=period.kind, start=period.start)
        .first()
    )
    table = ranking.compute(node, period)
    step = timedelta(days=7) if kind == "week" else timedelta(days=31)
    return render(
        request,
        "supervision/ranking_board.html",
        {
            "node": node,
            "period": period,
            "rows": _display(table.rows_json()),
            "published": published,
            "formula": ranking.FORMULA,
            "tie_rule": ranking.TIE_RULE,
            "weights": _weights(table.weights),
            "can_weigh": user_can(request.user, "supervision.manage", node),
            "can_publish": user_can(request.user, "supervision.manage", node)
            and period.end < timezone.localdate()
            and published is None,
            "previous": period.start - step,
            "following": period.end + timedelta(days=1),
            "history": selectors.rankings_for(request.user)[:12],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking_weights(request: HttpRequest) -> HttpResponse:
    """The weights of the user's lists (their town's): shown, and changed from now on."""
    require_permission_or_404(request.user, "supervision.manage")
    node = scope_root(request.user, "supervision.manage")
    form = WeightsForm(request.POST or None, current=ranking.weights_for(node))
    saved = form_submit(
        request,
        form,
        lambda _data: services.ranking_weights_set(
            actor=request.user, node=node, weights=form.weights()
        ),
    )
    if saved is not None:
        messages.success(request, "权重已保存：此后计算和发布的红黑榜按新权重；已发布的不变")
        return redirect("supervision:rankings")
    return render(
        request,
        "supervision/ranking_weights.html",
        {"form": form, "node": node, "formula": ranking.FORMULA},
        status=form_status(request),
    )


def _weights(weights: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        (TargetKind(kind).label, [(ranking.PARTS[part], weight) for part, weight in parts.items()])
        for kind, parts in weights.items()
    ]


def _display(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Rows grouped by kind, each with its parts as (label, value)."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        shown = dict(row, part_list=[(ranking.PARTS[k], v) for k, v in row["parts"].items()])
        grouped.setdefault(TargetKind(row["target_kind"]).label, []).append(shown)
    return list(grouped.items())


@login_required
@require_POST
def ranking_publish(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.manage")
    node = scope_root(request.user, "supervision.manage")
    kind = request.POST.get("period") if request.POST.get("period") in PeriodKind.values else "week"
    start = parse_date(request.POST.get("start") or "")
    if start is None:
        messages.error(request, "请选择周期")
        return redirect("supervision:rankings")
    published = action_submit(
        request,
        lambda: services.ranking_publish(
            actor=request.user, node=node, period_kind=kind, start=start
        ),
        "红黑榜已发布，此后不能修改",
        "未能发布：",
    )
    if published is not None:
        return redirect("supervision:ranking_detail", pk=published.pk)
    return redirect(f"{reverse('supervision:rankings')}?period={kind}&date={start}")


@login_required
@require_http_methods(["GET", "POST"])
def ranking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published list as it was frozen; honours are granted from its red list here."""
    permission = "supervision.manage" if request.method == "POST" else "supervision.view"
    published = get_visible_or_404(
        selectors.rankings_for(request.user).filter(
            node__in=nodes_visible(request.user, permission)
        ),
        pk=pk,
    )
    form = HonourForm(request.POST or None)
    if request.method == "POST":
        form_action_submit(
            request,
            form,
            lambda data: services.honour_grant(
                actor=request.user,
                kind=data["kind"],
                ranking=published,
                target_kind=form.split_target()[0],
                target_id=form.split_target()[1],
            ),
            lambda honour: f"已授予{honour.target_label}“{honour.kind.name}”",
            "未能授予：",
        )
        return redirect("supervision:ranking_detail", pk=published.pk)
    honours = selectors.honours_for(request.user).filter(ranking=published)
    return render(
        request,
        "supervision/ranking_detail.html",
        {
            "ranking": published,
            "rows": _display(published.rows),
            "honours": honours,
            "form": form,
            "red": [r for r in published.rows if r["list"] == "red"],
            "can_grant": user_can(request.user, "supervision.manage", published.node),
            "weights": _weights(published.weights),
        },
    )


@login_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    """Honours per village (a checkpoint's under its village), as counted by the figures."""
    require_permission_or_404(request.user, "supervision.view")
    until = parse_date(request.GET.get("until") or "")
    honours = selectors.honours_for(request.user)
    if until:
        honours = honours.filter(granted_at__date__lte=until)
    by_node: dict[str, list] = {}
    for honour in honours.order_by("node__path", "kind_id", "target_label"):
        by_node.setdefault(honour.node.name, []).append(honour)
    return render(
        request,
        "supervision/honour_list.html",
        {"by_node": by_node.items(), "count": honours.count()},
    )


@login_required
@require_GET
def cadre_record_list(request: HttpRequest) -> HttpResponse:
    """Cadre records: inspection and organisation roles only; the read itself is audited."""
    require_permission_or_404(request.user, "supervision.cadre_records")
    records = selectors.cadre_records_for(request.user)
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
    node = scope_root(request.user, "supervision.view")
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
