"""Pages for key persons, isolation and 六包一, the temperature round, alerts, overdue
slots, gaps and 五送 services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.control import selectors, services
from frontline.control.forms import (
    AlertHandleForm,
    CloseForm,
    ControlForm,
    IsolationEndForm,
    IsolationStartForm,
    KeyPersonForm,
    NoteForm,
    ReadingForm,
    ReferralAcceptForm,
    ServiceForm,
    SixForm,
)
from frontline.control.models import (
    IsolationStatus,
    KeyPersonCategory,
    KeyPersonStatus,
    ReferralStatus,
)
from frontline.control.selectors import (
    candidate_leaders,
    candidate_six,
    party_members_of,
    referrals_for,
    resident_search,
    residents_for_services,
    residents_in_scope,
)
from frontline.core.audit import audit_read
from frontline.core.forms import form_add_errors, form_status, form_submit
from frontline.core.scoping import get_visible_or_404, require_permission_or_404, user_can


@login_required
@require_GET
def key_person_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    audit_read(actor=request.user, action="control.key_person.list", permission="control.view")
    status = request.GET.get("status", KeyPersonStatus.ACTIVE)
    category = request.GET.get("category") or None
    gaps_only = request.GET.get("gaps") == "1"
    people = selectors.key_person_list(
        request.user,
        status=status if status in KeyPersonStatus.values else "",
        category=int(category) if category and category.isdigit() else None,
        gaps_only=gaps_only,
    )
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "control/key_person_list.html",
        {
            "page": page,
            "status": status,
            "gaps_only": gaps_only,
            "categories": KeyPersonCategory.objects.filter(is_active=True),
            "category": category,
            "counts": selectors.control_counts(request.user),
            "can_edit": user_can(request.user, "control.edit"),
            "can_import": user_can(request.user, "control.import"),
        },
    )


@login_required
@require_GET
def key_person_find_resident(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.edit")
    query = request.GET.get("q", "").strip()
    results = resident_search(request.user, query) if query else []
    return render(request, "control/find_resident.html", {"q": query, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def key_person_register(request: HttpRequest, resident_pk: int) -> HttpResponse:
    resident = get_visible_or_404(residents_in_scope(request.user, "control.edit"), pk=resident_pk)
    form = KeyPersonForm(request.POST or None)
    person = form_submit(
        request,
        form,
        lambda data: services.key_person_register(actor=request.user, resident=resident, **data),
    )
    if person is not None:
        messages.success(request, "已登记为重点人员。请落实四个一并安排隔离。")
        return redirect("control:key_person_detail", pk=person.pk)
    return render(
        request,
        "control/register.html",
        {"form": form, "resident": resident},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a hand-over (a name from a checkpoint or screening) into a key person."""
    require_permission_or_404(request.user, "control.edit")
    referral = get_visible_or_404(referrals_for(request.user), pk=pk)
    if not user_can(request.user, "control.edit", referral.node):
        raise Http404("未找到")
    if referral.status != ReferralStatus.PENDING and referral.key_person_id:
        return redirect("control:key_person_detail", pk=referral.key_person_id)
    form = ReferralAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident = get_visible_or_404(
            residents_in_scope(request.user, "control.edit"), pk=form.cleaned_data["resident"]
        )
        try:
            person = services.key_person_from_referral(
                actor=request.user,
                referral=referral,
                resident=resident,
                category=form.cleaned_data["category"],
            )
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return redirect("control:referral_accept", pk=referral.pk)
        messages.success(request, "已接收为重点人员。请落实四个一并安排隔离。")
        return redirect("control:key_person_detail", pk=person.pk)
    query = request.GET.get("q", referral.name).strip()
    return render(
        request,
        "control/referral_accept.html",
        {
            "referral": referral,
            "form": form,
            "q": query,
            "results": resident_search(request.user, query) if query else [],
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def key_person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(selectors.key_persons_for(request.user), pk=pk)
    audit_read(actor=request.user, action="control.key_person.view", obj=person)
    isolation = person.isolations.filter(status=IsolationStatus.ACTIVE).first()
    past = person.isolations.exclude(status=IsolationStatus.ACTIVE).order_by("-start_date")
    readings = selectors.readings_by_day(isolation) if isolation else []
    return render(
        request,
        "control/key_person_detail.html",
        {
            "person": person,
            "isolation": isolation,
            "past_isolations": past,
            "six": selectors.six_of(isolation) if isolation else [],
            "readings": readings,
            "alerts": selectors.alerts_for(request.user, is_open=None).filter(
                isolation__key_person=person
            )[:10],
            "timeline": person.timeline.select_related("actor")[:100],
            "note_form": NoteForm(),
            "close_form": CloseForm(),
            "can_edit": user_can(request.user, "control.edit", person.node),
        },
    )


def _editable_person(request: HttpRequest, pk: int):
    return get_visible_or_404(selectors.key_persons_for(request.user, "control.edit"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def key_person_control(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    initial = {"leader": person.leader_id, "team": person.team, "plan": person.plan}
    form = ControlForm(
        request.POST or None, initial=initial, leaders=candidate_leaders(person.node)
    )
    if request.method == "POST" and form.is_valid():
        services.key_person_set_control(actor=request.user, key_person=person, **form.cleaned_data)
        messages.success(request, "四个一已更新")
        return redirect("control:key_person_detail", pk=person.pk)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": person,
            "title": "落实四个一",
            "submit": "保存",
        },
        status=form_status(request),
    )


@login_required
@require_POST
def key_person_note(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(selectors.key_persons_for(request.user), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.key_person_note(actor=request.user, key_person=person, **form.cleaned_data)
        messages.success(request, "已记录")
    else:
        messages.error(request, "请填写工作记录")
    return redirect("control:key_person_detail", pk=person.pk)


@login_required
@require_POST
def key_person_close(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写解除管控的原因")
        services.key_person_close(actor=request.user, key_person=person, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已解除管控，记录保留")
    return redirect("control:key_person_detail", pk=person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def isolation_start(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = IsolationStartForm(
        request.POST or None, initial={"address": getattr(person.resident, "address", "")}
    )
    isolation = form_submit(
        request,
        form,
        lambda data: services.isolation_start(actor=request.user, key_person=person, **data),
    )
    if isolation is not None:
        messages.success(request, "已开始居家隔离。请落实六包一责任人。")
        return redirect("control:isolation_six", pk=isolation.pk)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": person,
            "title": "开始居家隔离",
            "submit": "开始隔离",
        },
        status=form_status(request),
    )


def _editable_isolation(request: HttpRequest, pk: int):
    return get_visible_or_404(selectors.isolations_for(request.user, "control.edit"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def isolation_six(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = _editable_isolation(request, pk)
    current = {
        role: (f"u{r.user_id}" if r.user_id else f"r{r.resident_id}") if r else ""
        for role, _, r in selectors.six_of(isolation)
    }
    candidates = candidate_six(isolation.node)
    residents = party_members_of(isolation.node)
    form = SixForm(
        request.POST or None, initial=current, candidates=candidates, residents=residents
    )
    if request.method == "POST" and form.is_valid():
        users = {f"u{u.pk}": u for u in candidates}
        members = {f"r{r.pk}": r for r in residents}
        try:
            for role, picked in form.cleaned_data.items():
                if picked != current.get(role):
                    services.responsible_set(
                        actor=request.user,
                        isolation=isolation,
                        role=role,
                        user=users.get(picked),
                        resident=members.get(picked),
                    )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "六包一责任人已保存")
            return redirect("control:key_person_detail", pk=isolation.key_person_id)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": isolation.key_person,
            "title": "六包一责任人",
            "submit": "保存",
        },
        status=form_status(request),
    )


@login_required
@require_POST
def isolation_release(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = _editable_isolation(request, pk)
    try:
        services.isolation_release(actor=request.user, isolation=isolation)
    except ValidationError as error:
        messages.error(request, "不能解除：" + "；".join(error.messages))
    else:
        messages.success(request, "已解除居家隔离")
    return redirect("control:key_person_detail", pk=isolation.key_person_id)


@login_required
@require_http_methods(["GET", "POST"])
def isolation_end(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = _editable_isolation(request, pk)
    form = IsolationEndForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: services.isolation_end(actor=request.user, isolation=isolation, **data),
    )
    if done is not None:
        messages.success(request, "隔离已结束，记录保留")
        return redirect("control:key_person_detail", pk=isolation.key_person_id)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": isolation.key_person,
            "title": "提前结束或转运",
            "submit": "确认",
        },
        status=form_status(request),
    )


@login_required
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.reading")
    audit_read(actor=request.user, action="control.round.view", permission="control.view")
    return render(
        request,
        "control/rounds.html",
        {
            "items": selectors.round_items(request.user),
            "today": timezone.localdate(),
            "open_alerts": selectors.alerts_for(request.user).count(),
        },
    )


@login_required
@require_POST
def round_reading(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = get_visible_or_404(selectors.isolations_for(request.user, "control.reading"), pk=pk)
    form = ReadingForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.reading_record(
                actor=request.user,
                isolation=isolation,
                value=form.cleaned_data["value"],
                slot=form.cleaned_data["slot"],
                symptoms=form.cleaned_data["symptoms"],
                idempotency_key=form.cleaned_data["idempotency_key"] or None,
            )
        except ValidationError as invalid:
            error = "；".join(invalid.messages)
    else:
        error = "请填写体温"
    item = next(
        (i for i in selectors.round_items(request.user) if i.isolation.pk == isolation.pk), None
    )
    if item is None:
        raise Http404("未找到")
    return render(
        request,
        "control/_round_card.html",
        {"item": item, "error": error, "error_slot": request.POST.get("slot")},
        status=422 if error else 200,
    )


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    show_open = request.GET.get("status", "open") == "open"
    audit_read(actor=request.user, action="control.alert.list", permission="control.view")
    alerts = selectors.alerts_for(request.user, is_open=show_open)
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    return render(request, "control/alert_list.html", {"page": page, "show_open": show_open})


@login_required
@require_http_methods(["GET", "POST"])
def alert_handle(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_visible_or_404(selectors.alerts_for(request.user, is_open=None), pk=pk)
    if not user_can(request.user, "control.alert", alert.node):
        raise Http404("未找到")
    if request.method == "GET":
        audit_read(actor=request.user, action="control.alert.view", obj=alert)
    form = AlertHandleForm(request.POST or None)
    done = form_submit(
        request, form, lambda data: services.alert_handle(actor=request.user, alert=alert, **data)
    )
    if done is not None:
        messages.success(request, "预警已处置")
        return redirect("control:alert_list")
    return render(
        request,
        "control/alert_handle.html",
        {"form": form, "alert": alert},
        status=form_status(request),
    )


@login_required
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    audit_read(actor=request.user, action="control.overdue.list", permission="control.view")
    return render(
        request,
        "control/overdue.html",
        {
            "items": selectors.overdue_items(request.user),
            "am_window": settings.ROUND_AM_WINDOW,
            "pm_window": settings.ROUND_PM_WINDOW,
        },
    )


@login_required
@require_GET
def gap_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    return render(
        request,
        "control/gaps.html",
        {
            "six_gaps": selectors.six_gaps(request.user),
            "control_gaps": selectors.key_person_list(request.user, gaps_only=True)[:200],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    can_record = user_can(request.user, "control.service")
    form = None
    if can_record:
        choices = residents_for_services(request.user)
        form = ServiceForm(request.POST or None, residents=choices)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            resident = get_visible_or_404(
                residents_in_scope(request.user, "control.service"), pk=data.pop("resident")
            )
            data["quantity"] = data["quantity"] or 0
            try:
                services.service_record(actor=request.user, resident=resident, **data)
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, "已记录一次五送服务")
                return redirect("control:service_list")
    elif request.method == "POST":
        raise Http404("未找到")
    page = Paginator(selectors.services_for(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "control/services.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.service_counts(request.user),
            "village_counts": selectors.service_counts_by_village(request.user),
        },
        status=form_status(request),
    )
