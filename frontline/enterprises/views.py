"""Pages for enterprise resumption: the list, an enterprise with its 123456 application,
employees and health cards, the gate scan, tickets, policy support and appointments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_read, audit_record
from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.paging import capped_page
from frontline.core.personal_data import PersonalDataError, id_number_parse, keyed_hash
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.core.spreadsheets import xlsx_response
from frontline.enterprises import selectors, services
from frontline.enterprises.forms import (
    AnswerForm,
    DecideForm,
    EmployeeForm,
    EnterpriseEditForm,
    EnterpriseForm,
    GateForm,
    HeadcountForm,
    ItemForm,
    PolicyApplyForm,
    PolicyForm,
    ResolveForm,
    SlotForm,
    TicketForm,
)
from frontline.enterprises.models import AppState, Enterprise, Heading
from frontline.people import public as people


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
    return render(
        request,
        "enterprises/list.html",
        {
            "page": capped_page(qs, request.GET.get("page")),
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
        node=node,
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


# ---------------------------------------------------------------- the 123456 application


@login_required
@require_GET
def application(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    node = enterprise.node
    app = selectors.application_of(enterprise)
    items = selectors.checklist_for(enterprise)
    rounds = selectors.answers_by_round(app) if app else {}
    current = {a.item_id: a for a in rounds.get(app.round, [])} if app else {}
    groups = [
        (label, [(item, current.get(item.pk)) for item in items if item.heading == value])
        for value, label in Heading.choices
    ]
    return render(
        request,
        "enterprises/application.html",
        {
            "enterprise": enterprise,
            "app": app,
            "groups": groups,
            "history": [(r, answers) for r, answers in rounds.items() if app and r != app.round],
            "editable": app is not None and app.state in (AppState.DRAFT, AppState.RETURNED),
            "can_file": user_can(request.user, "enterprises.file", node),
            "can_review": user_can(request.user, "enterprises.review", node),
            "can_approve": user_can(request.user, "enterprises.approve", node),
            "States": AppState,
        },
    )


@login_required
@require_POST
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    action_submit(
        request,
        lambda: services.application_start(actor=request.user, enterprise=enterprise),
        lambda app: f"已开始复工申请（{app.get_mode_display()}）",
    )
    return redirect("enterprises:application", pk=enterprise.pk)


def _application_of(request: HttpRequest, pk: int, permission: str):
    return get_visible_or_404(selectors.applications_for(request.user, permission), pk=pk)


@login_required
@require_POST
def answer_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.file")
    items = {i.pk: i for i in selectors.checklist_for(app.enterprise)}
    if item_id not in items:
        raise Http404("未找到")
    form_action_submit(
        request,
        AnswerForm(request.POST, request.FILES),
        lambda data: services.answer_save(
            actor=request.user, application=app, item=items[item_id], **data
        ),
        "已保存",
    )
    return redirect(f"{_app_url(app)}#item-{item_id}")


EVIDENCE_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to those who may see the application only (404 otherwise). A PDF
    is downloaded, not opened in the page: a PDF viewer runs the file's scripts."""
    answer = get_visible_or_404(selectors.evidence_files_for(request.user), pk=pk)
    extension = answer.evidence_file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        answer.evidence_file.open("rb"),
        content_type=EVIDENCE_TYPES.get(extension, "application/octet-stream"),
        as_attachment=extension == "pdf",
        filename=f"佐证-{answer.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _app_url(app) -> str:
    from django.urls import reverse

    return reverse("enterprises:application", kwargs={"pk": app.enterprise_id})


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.file")
    action_submit(
        request,
        lambda: services.application_submit(actor=request.user, application=app),
        "已提交，等待网格审核",
        "未能提交：",
    )
    return redirect(_app_url(app))


def _per_item(request: HttpRequest, prefix: str) -> dict[int, str]:
    found = {}
    for key, value in request.POST.items():
        if key.startswith(prefix) and (item_id := _int(key.removeprefix(prefix))) is not None:
            found[item_id] = value[:200]
    return found


@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.review")
    notes = _per_item(request, "note_")
    verdicts = {
        item_id: (verdict, notes.get(item_id, ""))
        for item_id, verdict in _per_item(request, "verdict_").items()
    }
    action_submit(
        request,
        lambda: services.application_review(actor=request.user, application=app, verdicts=verdicts),
        lambda a: (
            "审核通过，已报镇审批" if a.state == AppState.REVIEWED else "有不符合项，已退回企业"
        ),
        "未能审核：",
    )
    return redirect(_app_url(app))


@login_required
@require_POST
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_to_return(request.user, pk)
    reasons = {k: v for k, v in _per_item(request, "reason_").items() if v.strip()}
    action_submit(
        request,
        lambda: services.application_return(actor=request.user, application=app, reasons=reasons),
        "已退回企业修改",
        "未能退回：",
    )
    return redirect(_app_url(app))


@login_required
@require_POST
def application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.approve")
    action_submit(
        request,
        lambda: services.application_approve(actor=request.user, application=app),
        "已批准复工",
        "未能批准：",
    )
    return redirect(_app_url(app))


@login_required
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest) -> HttpResponse:
    """The town's checklist: items under the six fixed headings."""
    require_permission_or_404(request.user, "enterprises.manage")
    form = ItemForm(request.POST or None, nodes=nodes_visible(request.user, "enterprises.manage"))
    if form_submit(
        request, form, lambda data: services.checklist_item_create(actor=request.user, **data)
    ):
        messages.success(request, "已新增检查项")
        return redirect("enterprises:items")
    rows = selectors.items_managed_by(request.user)
    groups = [(label, [i for i in rows if i.heading == value]) for value, label in Heading.choices]
    return render(
        request,
        "enterprises/items.html",
        {"form": form, "groups": groups},
        status=form_status(request),
    )


@login_required
@require_POST
def item_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(selectors.items_managed_by(request.user), pk=pk)
    action_submit(
        request,
        lambda: services.checklist_item_update(
            actor=request.user,
            item=item,
            text=item.text,
            evidence_required=item.evidence_required,
            is_active=not item.is_active,
        ),
        lambda i: "已启用" if i.is_active else "已停用",
    )
    return redirect("enterprises:items")


# ---------------------------------------------------------------- employees and cards


@login_required
@require_http_methods(["GET", "POST"])
def employees(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    can_file = user_can(request.user, "enterprises.file", enterprise.node)
    form = EmployeeForm(request.POST or None)
    if request.method == "POST":
        if not can_file:
            raise Http404("未找到")
        if form_submit(request, form, lambda data: _employee_add(request, enterprise, data)):
            messages.success(request, "已登记员工，健康码已生成")
            return redirect("enterprises:employees", pk=enterprise.pk)
    audit_read(actor=request.user, action="enterprises.employee.list", obj=enterprise.node)
    page = capped_page(
        selectors.employees_for(request.user).filter(enterprise=enterprise),
        request.GET.get("page"),
        per_page=50,
    )
    colours = services.health_colours(list(page.object_list))
    return render(
        request,
        "enterprises/employees.html",
        {
            "enterprise": enterprise,
            "page": page,
            "rows": [(e, *colours[e.pk]) for e in page.object_list],
            "rule": services.HEALTH_RULE,
            "form": form,
            "can_file": can_file,
        },
        status=form_status(request),
    )


def _employee_add(request: HttpRequest, enterprise: Enterprise, data: dict):
    """The contact knows the employee's ID number; the resident is found by its keyed
    hash, so the enterprise never browses the village's registry."""
    try:
        id_hash = keyed_hash(id_number_parse(data.pop("id_number")).value)
    except PersonalDataError as error:
        raise ValidationError({"id_number": str(error)}) from None
    resident = people.residents_by_id_hash([id_hash]).get(id_hash)
    if resident is None:
        raise ValidationError({"id_number": "居民库中没有此身份证号，请联系所在村先登记"})
    return services.employee_add(
        actor=request.user, enterprise=enterprise, resident=resident, **data
    )


def _employee(request: HttpRequest, pk: int, permission: str = "enterprises.view"):
    return get_visible_or_404(selectors.employees_for(request.user, permission), pk=pk)


@login_required
@require_GET
def card(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee(request, pk)
    # The card shows a health status: every look is logged (SECURITY 7).
    audit_read(actor=request.user, action="enterprises.card.view", obj=employee.enterprise.node)
    colour, reason = services.health_colours([employee])[employee.pk]
    return render(
        request,
        "enterprises/card.html",
        {
            "employee": employee,
            "svg": services.card_svg(employee),
            "colour": colour,
            "colour_label": services.COLOUR_LABELS[colour],
            "reason": reason,
            "rule": services.HEALTH_RULE,
            "can_file": user_can(request.user, "enterprises.file", employee.enterprise.node),
        },
    )


@login_required
@require_POST
def card_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee(request, pk, "enterprises.file")
    revoke = request.POST.get("revoke") == "1"
    action_submit(
        request,
        lambda: services.card_reissue(actor=request.user, employee=employee, revoke=revoke),
        "旧健康码已作废" if revoke else "已重新制发，旧卡作废",
    )
    return redirect("enterprises:card", pk=employee.pk)


@login_required
@require_http_methods(["GET", "POST"])
def gate(request: HttpRequest) -> HttpResponse:
    """The gate screen: scan the card with the camera where the browser can (gate.js,
    BarcodeDetector), else type its short code; see the colour."""
    require_permission_or_404(request.user, "enterprises.gate")
    form = GateForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            _, result, _ = services.gate_scan(
                actor=request.user,
                token=form.cleaned_data["token"],
                code=form.cleaned_data["code"],
                temperature=form.cleaned_data["temperature"],
                idempotency_key=request.POST.get("idempotency_key", "")[:64]
                or idempotency_key_new(),
            )
        except ValidationError as error:
            form.add_error("code", error.messages)
        except IntegrityError:
            form.add_error(None, "这次扫码已登记")
    if result is not None:
        form = GateForm()
    return render(
        request,
        "enterprises/gate.html",
        {
            "form": form,
            "result": result,
            "key": idempotency_key_new(),
            "rule": services.HEALTH_RULE,
        },
        status=422 if request.method == "POST" and result is None else 200,
    )


# ---------------------------------------------------------------- tickets, policies, appointments


@login_required
@require_GET
def tickets(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "enterprises.view")
    qs = selectors.tickets_for(request.user)
    node_id = _int(request.GET.get("node"))
    if node_id is not None:
        node = get_visible_or_404(nodes_visible(request.user, "enterprises.view"), pk=node_id)
        qs = qs.filter(enterprise__node__path__startswith=node.path)
    start = parse_date(request.GET.get("resolved_start") or "")
    end = parse_date(request.GET.get("resolved_end") or "")
    if start and end:
        from frontline.enterprises.figures import _day_bounds

        low, high = _day_bounds(start, end)
        qs = qs.filter(resolved_at__gte=low, resolved_at__lt=high)
    elif request.GET.get("open"):
        qs = qs.filter(resolved_at__isnull=True)
    return render(
        request,
        "enterprises/tickets.html",
        {
            "page": capped_page(qs, request.GET.get("page")),
            "resolve_form": ResolveForm(),
            "can_tickets": user_can(request.user, "enterprises.tickets"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def ticket_create(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    form_action_submit(
        request,
        TicketForm(request.POST),
        lambda data: services.ticket_create(actor=request.user, enterprise=enterprise, **data),
        "已反映，镇村干部会尽快联系",
    )
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
@require_POST
def ticket_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = get_visible_or_404(selectors.tickets_for(request.user, "enterprises.tickets"), pk=pk)
    form_action_submit(
        request,
        ResolveForm(request.POST),
        lambda data: services.ticket_resolve(actor=request.user, ticket=ticket, **data),
        "已办结",
    )
    return redirect("enterprises:tickets")


@login_required
@require_http_methods(["GET", "POST"])
def policy_applications(request: HttpRequest) -> HttpResponse:
    """Support measures with their totals and the applications; the town publishes a
    measure here (POST)."""
    require_permission_or_404(request.user, "enterprises.view")
    can_manage = user_can(request.user, "enterprises.manage")
    policy_form = PolicyForm(
        request.POST or None, nodes=nodes_visible(request.user, "enterprises.manage")
    )
    if request.method == "POST":
        require_permission_or_404(request.user, "enterprises.manage")
        policy = form_submit(
            request, policy_form, lambda data: services.policy_create(actor=request.user, **data)
        )
        if policy is not None:
            messages.success(request, f"已发布扶持举措“{policy.name}”")
            return redirect("enterprises:policy_applications")
    qs = selectors.policy_applications_for(request.user)
    node_id = _int(request.GET.get("node"))
    if node_id is not None:
        node = get_visible_or_404(nodes_visible(request.user, "enterprises.view"), pk=node_id)
        qs = qs.filter(enterprise__node__path__startswith=node.path)
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status[:10])
    start = parse_date(request.GET.get("start") or "")
    end = parse_date(request.GET.get("end") or "")
    if start and end:
        qs = qs.filter(decided_on__range=(start, end))
    return render(
        request,
        "enterprises/policies.html",
        {
            "page": capped_page(qs, request.GET.get("page")),
            "policies": selectors.policies_for(request.user),
            "can_approve": user_can(request.user, "enterprises.approve"),
            "decide_form": DecideForm(),
            "policy_form": policy_form if can_manage else None,
        },
        status=form_status(request),
    )


@login_required
@require_POST
def policy_apply(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    form_action_submit(
        request,
        PolicyApplyForm(request.POST, policies=selectors.policies_for(request.user, enterprise)),
        lambda data: services.policy_apply(actor=request.user, enterprise=enterprise, **data),
        "已提交扶持申请",
    )
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
@require_POST
def policy_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_visible_or_404(
        selectors.policy_applications_for(request.user, "enterprises.approve"), pk=pk
    )
    form_action_submit(
        request,
        DecideForm(request.POST),
        lambda data: services.policy_decide(actor=request.user, application=application, **data),
        "已审批",
    )
    return redirect("enterprises:policy_applications")


@login_required
@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest) -> HttpResponse:
    """预约办: the service hall's future slots with their places left; the town opens
    slots (POST), an enterprise books, cancels or moves its booking."""
    require_permission_or_404(request.user, "enterprises.view")
    can_manage = user_can(request.user, "enterprises.manage")
    form = SlotForm(request.POST or None, nodes=nodes_visible(request.user, "enterprises.manage"))
    if request.method == "POST":
        require_permission_or_404(request.user, "enterprises.manage")
        if form_submit(
            request, form, lambda data: services.slot_create(actor=request.user, **data)
        ):
            messages.success(request, "已新增预约时段")
            return redirect("enterprises:slots")
    enterprise = selectors.enterprise_filing_for(request.user, _int(request.GET.get("enterprise")))
    slot_list = list(selectors.slots_for(request.user, enterprise)[:100])
    bookings = (
        list(
            selectors.appointments_for(request.user, "enterprises.file").filter(
                enterprise=enterprise, cancelled_at__isnull=True, slot__starts_at__gt=timezone.now()
            )
        )
        if enterprise
        else []
    )
    booked_slots = {a.slot_id for a in bookings}
    return render(
        request,
        "enterprises/slots.html",
        {
            "slots": [
                (slot, slot.pk in booked_slots, max(slot.capacity - slot.booked, 0))
                for slot in slot_list
            ],
            "enterprise": enterprise,
            "bookings": bookings,
            "free_slots": [
                s for s in slot_list if s.booked < s.capacity and s.pk not in booked_slots
            ],
            "form": form if can_manage else None,
        },
        status=form_status(request),
    )


def _back_to_slots(enterprise_id: int) -> HttpResponse:
    from django.urls import reverse

    return redirect(f"{reverse('enterprises:slots')}?enterprise={enterprise_id}")


@login_required
@require_POST
def appointment_book(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    slot = get_visible_or_404(
        selectors.slots_for(request.user, enterprise), pk=_int(request.POST.get("slot_id"))
    )
    action_submit(
        request,
        lambda: services.appointment_book(actor=request.user, enterprise=enterprise, slot=slot),
        "已预约，请按时到服务大厅办理",
        "未能预约：",
    )
    if request.POST.get("back") == "slots":
        return _back_to_slots(enterprise.pk)
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
@require_POST
def appointment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_visible_or_404(
        selectors.appointments_for(request.user, "enterprises.file"), pk=pk
    )
    action_submit(
        request,
        lambda: services.appointment_cancel(actor=request.user, appointment=appointment),
        "已取消预约",
    )
    if request.POST.get("back") == "slots":
        return _back_to_slots(appointment.enterprise_id)
    return redirect("enterprises:detail", pk=appointment.enterprise_id)


@login_required
@require_POST
def appointment_rebook(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a live booking to another slot serving the same enterprise."""
    appointment = get_visible_or_404(
        selectors.appointments_for(request.user, "enterprises.file"), pk=pk
    )
    slot = get_visible_or_404(
        selectors.slots_for(request.user, appointment.enterprise),
        pk=_int(request.POST.get("slot_id")),
    )
    action_submit(
        request,
        lambda: services.appointment_rebook(actor=request.user, appointment=appointment, slot=slot),
        lambda a: f"已改约到 {timezone.localtime(a.slot.starts_at):%m月%d日 %H:%M}",
        "未能改约：",
    )
    return _back_to_slots(appointment.enterprise_id)
