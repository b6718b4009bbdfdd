"""Pages for checkpoints: the list, a post with its roster, the barrier screen, town figures."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.checkpoints import selectors, services
from frontline.checkpoints.forms import (
    CheckpointEditForm,
    CheckpointForm,
    MemberForm,
    PasserForm,
    ShiftForm,
    ShiftTemplateForm,
)
from frontline.checkpoints.models import Checkpoint, Outcome
from frontline.core.audit import audit_read, audit_record
from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.lists import list_node, list_span
from frontline.core.models import User
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.core.temperature import fever_threshold
from frontline.core.xlsx_export import xlsx_response
from frontline.party import public as party

RECENT_ENTRIES = 8


def _day_param(request: HttpRequest) -> date:
    return parse_date(request.GET.get("date") or "") or timezone.localdate()


def _checkpoint(request: HttpRequest, pk: int, permission: str = "checkpoints.view") -> Checkpoint:
    return get_visible_or_404(selectors.checkpoints_for(request.user, permission), pk=pk)


@login_required
@require_GET
def checkpoint_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "checkpoints.view")
    today = timezone.localdate()
    checkpoints = list(
        selectors.with_manned(selectors.checkpoints_for(request.user)).order_by(
            "-is_open", "node__path", "name"
        )
    )
    stats = selectors.day_stats([c.pk for c in checkpoints], today)
    return render(
        request,
        "checkpoints/checkpoint_list.html",
        {
            "rows": [(c, stats[c.pk]) for c in checkpoints],
            "unmanned": sum(1 for c in checkpoints if c.is_open and not c.manned),
            "can_manage": user_can(request.user, "checkpoints.manage"),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "checkpoints.manage")
    form = CheckpointForm(
        request.POST or None, nodes=nodes_visible(request.user, "checkpoints.manage")
    )
    checkpoint = form_submit(
        request, form, lambda data: services.checkpoint_create(actor=request.user, **data)
    )
    if checkpoint is not None:
        messages.success(request, f"已新建卡口“{checkpoint.name}”")
        return redirect("checkpoints:detail", pk=checkpoint.pk)
    return render(
        request,
        "checkpoints/form.html",
        {"form": form, "title": "新建卡口", "back": ("checkpoints:list", None)},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk, "checkpoints.manage")
    initial = {
        "name": checkpoint.name,
        "kind": checkpoint.kind,
        "location": checkpoint.location,
        "party_branch": checkpoint.party_branch,
        "is_open": "1" if checkpoint.is_open else "0",
    }
    form = CheckpointEditForm(request.POST or None, initial=initial)
    if form_submit(
        request,
        form,
        lambda data: services.checkpoint_update(actor=request.user, checkpoint=checkpoint, **data),
    ):
        messages.success(request, "已保存")
        return redirect("checkpoints:detail", pk=checkpoint.pk)
    return render(
        request,
        "checkpoints/form.html",
        {"form": form, "title": f"修改：{checkpoint.name}", "checkpoint": checkpoint},
        status=form_status(request),
    )


@login_required
@require_GET
def checkpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk)
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(7)]
    week = [(day, selectors.day_stats([checkpoint.pk], day)[checkpoint.pk]) for day in days]
    can_manage = user_can(request.user, "checkpoints.manage", checkpoint.node)
    return render(
        request,
        "checkpoints/checkpoint_detail.html",
        {
            "checkpoint": checkpoint,
            "my_duty": selectors.my_duty(checkpoint, request.user),
            "can_duty": user_can(request.user, "checkpoints.duty", checkpoint.node),
            "can_manage": can_manage,
            "on_duty": selectors.on_duty_at(checkpoint),
            "rosters": [
                (day, selectors.shifts_of_day(checkpoint, day))
                for day in (today - timedelta(days=1), today, today + timedelta(days=1))
            ],
            "week": week,
            "today": today,
            "now": timezone.now(),
            "member_users": selectors.duty_users(checkpoint) if can_manage else None,
            # The party organisation whose flag flies here (旗帜飘扬在一线), when recorded.
            "flag": party.checkpoint_flag(request.user, checkpoint.pk),
        },
    )


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk, "checkpoints.duty")
    action_submit(
        request,
        lambda: services.duty_check_in(actor=request.user, checkpoint=checkpoint),
        lambda member: (
            f"已在{checkpoint.name}签到，本班到 {timezone.localtime(member.shift.ends_at):%H:%M}"
        ),
    )
    return redirect("checkpoints:log", pk=checkpoint.pk)


@login_required
@require_POST
def check_out(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk, "checkpoints.duty")
    action_submit(
        request,
        lambda: services.duty_check_out(actor=request.user, checkpoint=checkpoint),
        f"已在{checkpoint.name}签退，辛苦了",
    )
    return redirect("checkpoints:detail", pk=checkpoint.pk)


def _passer_form(checkpoint: Checkpoint, user: User) -> PasserForm:
    defaults = selectors.passer_defaults(checkpoint, user, timezone.localdate())
    return PasserForm(
        initial={
            "kind": defaults.kind,
            "people": 1,
            "direction": defaults.direction,
            "origin": defaults.origin,
            "destination": defaults.destination,
            "idempotency_key": idempotency_key_new(),
        }
    )


def _log_context(request: HttpRequest, checkpoint: Checkpoint, form: PasserForm, logged=None):
    today = timezone.localdate()
    return {
        "checkpoint": checkpoint,
        "form": form,
        "logged": logged,
        "my_duty": selectors.my_duty(checkpoint, request.user),
        # The logger's own entries only: others' temperatures are read on the day list.
        "recent": selectors.passers_of_day(checkpoint, today).filter(logged_by=request.user)[
            :RECENT_ENTRIES
        ],
        "stats": selectors.day_stats([checkpoint.pk], today)[checkpoint.pk],
        "fever_threshold": fever_threshold(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def passer_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The barrier screen; with htmx a POST answers the panel with the next entry ready."""
    checkpoint = _checkpoint(request, pk, "checkpoints.duty")
    if request.method == "GET":
        # The screen lists the user's recent passers, temperatures and origins: a read.
        # A POST's answer shows them again right after the write, which its own row records.
        audit_read(actor=request.user, action="checkpoints.passer.list", obj=checkpoint)
        form = _passer_form(checkpoint, request.user)
        return render(request, "checkpoints/log.html", _log_context(request, checkpoint, form))
    form = PasserForm(request.POST)
    logged = form_submit(
        request,
        form,
        lambda data: services.passer_log(actor=request.user, checkpoint=checkpoint, **data),
    )
    passer = logged[0] if logged is not None else None
    partial = bool(request.headers.get("HX-Request"))
    template = "checkpoints/_log_panel.html" if partial else "checkpoints/log.html"
    if passer is None:
        context = _log_context(request, checkpoint, form)
        return render(request, template, context, status=form_status(request))
    if not partial:
        messages.success(request, f"已登记：{passer.get_outcome_display()}")
        return redirect("checkpoints:log", pk=checkpoint.pk)
    next_form = _passer_form(checkpoint, request.user)
    return render(request, template, _log_context(request, checkpoint, next_form, passer))


@login_required
@require_GET
def passer_list(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk)
    day = _day_param(request)
    # Temperatures and travel are health records: every read is logged (SECURITY 7).
    audit_read(actor=request.user, action="checkpoints.passer.list", obj=checkpoint)
    page = Paginator(selectors.passers_of_day(checkpoint, day), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "checkpoints/passer_list.html",
        {
            "checkpoint": checkpoint,
            "day": day,
            "page": page,
            "stats": selectors.day_stats([checkpoint.pk], day)[checkpoint.pk],
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


PASSER_HEADERS = [
    "时间",
    "类型",
    "车牌",
    "人数",
    "方向",
    "来自",
    "去往",
    "体温",
    "发热",
    "处置",
    "登记人",
    "备注",
]


@login_required
@require_GET
def passer_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The day's passers of one checkpoint, as on the day list, for the report upward."""
    checkpoint = _checkpoint(request, pk, "checkpoints.export")
    day = _day_param(request)
    audit_record(
        actor=request.user,
        action="checkpoints.passer.export",
        obj=checkpoint,
        fields=["plate", "origin", "destination", "temperature"],
        reason=f"日期：{day}",
    )
    rows = (
        [
            timezone.localtime(p.logged_at).strftime("%H:%M"),
            p.get_kind_display(),
            p.plate,
            p.people,
            p.get_direction_display(),
            p.origin,
            p.destination,
            p.temperature if p.temperature is not None else "",
            "是" if p.is_fever else "",
            p.get_outcome_display(),
            str(p.logged_by),
            p.note,
        ]
        for p in selectors.passers_of_day(checkpoint, day)
        .order_by("logged_at", "pk")
        .iterator(chunk_size=2000)
    )
    filename = f"通行登记-{checkpoint.name}-{day:%Y%m%d}.xlsx"
    return xlsx_response(filename, PASSER_HEADERS, rows, sheet="通行登记")


@login_required
@require_http_methods(["GET", "POST"])
def shift_create(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk, "checkpoints.manage")
    form = ShiftForm(request.POST or None, templates=selectors.templates_for(checkpoint))
    shift = form_submit(
        request,
        form,
        lambda data: services.shift_create(
            actor=request.user,
            checkpoint=checkpoint,
            day=data["day"],
            start=data["start"],
            end=data["end"],
            template=data["template"],
        ),
    )
    if shift is not None:
        messages.success(request, f"已排班：{timezone.localtime(shift.starts_at):%m月%d日 %H:%M}")
        return redirect("checkpoints:detail", pk=checkpoint.pk)
    return render(
        request,
        "checkpoints/form.html",
        {"form": form, "title": f"排班：{checkpoint.name}", "checkpoint": checkpoint},
        status=form_status(request),
    )


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_visible_or_404(selectors.shifts_managed_by(request.user), pk=pk)
    form_action_submit(
        request,
        MemberForm(request.POST, users=selectors.duty_users(shift.checkpoint)),
        lambda data: services.shift_member_add(actor=request.user, shift=shift, **data),
        "已加入班次",
    )
    return redirect("checkpoints:detail", pk=shift.checkpoint_id)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(selectors.shift_members_managed_by(request.user), pk=pk)
    checkpoint_id = member.shift.checkpoint_id
    action_submit(
        request,
        lambda: services.shift_member_remove(actor=request.user, member=member),
        "已移出班次",
    )
    return redirect("checkpoints:detail", pk=checkpoint_id)


@login_required
@require_GET
def unmanned(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "checkpoints.view")
    node = _node(request)
    return render(
        request,
        "checkpoints/unmanned.html",
        {
            "checkpoints": selectors.checkpoints_unmanned_now(request.user, node=node),
            "node": node,
            "now": timezone.now(),
        },
    )


def _node(request: HttpRequest):
    return list_node(request.user, request.GET.get("node"), "checkpoints.view")


@login_required
@require_GET
def manned(request: HttpRequest) -> HttpResponse:
    """Checkpoints where someone checked in for a shift of the span (the 在岗卡口 figure)."""
    require_permission_or_404(request.user, "checkpoints.view")
    node = _node(request)
    start, end = list_span(request)
    qs = selectors.under(selectors.checkpoints_for(request.user), node)
    rows = selectors.manned_in_span(qs, start, end).order_by("node__path", "name")
    return render(
        request,
        "checkpoints/manned.html",
        {
            "page": capped_page(rows, request.GET.get("page"), per_page=50),
            "node": node,
            "span": (start, end),
        },
    )


@login_required
@require_GET
def passers_all(request: HttpRequest) -> HttpResponse:
    """Passer records at every checkpoint under a node over a span (通行登记, 劝返 with
    `outcome`): the rows the figures count."""
    require_permission_or_404(request.user, "checkpoints.view")
    node = _node(request)
    start, end = list_span(request)
    outcome = request.GET.get("outcome") if request.GET.get("outcome") in Outcome.values else ""
    # Temperatures and travel are health records: every read is logged (SECURITY 7).
    audit_read(actor=request.user, action="checkpoints.passer.list", permission="checkpoints.view")
    qs = selectors.under(selectors.passers_for(request.user), node, "checkpoint__node__path")
    rows = selectors.passers_in_span(qs, start, end, outcome)
    return render(
        request,
        "checkpoints/passers_all.html",
        {
            "page": capped_page(rows, request.GET.get("page"), per_page=50),
            "node": node,
            "span": (start, end),
            "outcome": Outcome(outcome).label if outcome else "",
        },
    )


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "checkpoints.view")
    node = _node(request)
    day = _day_param(request)
    rows, total = selectors.town_summary(request.user, day, node)
    return render(
        request,
        "checkpoints/summary.html",
        {
            "rows": rows,
            "total": total,
            "day": day,
            "node": node,
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "checkpoints.manage")
    form = ShiftTemplateForm(
        request.POST or None, nodes=nodes_visible(request.user, "checkpoints.manage")
    )
    if form_submit(
        request, form, lambda data: services.shift_template_create(actor=request.user, **data)
    ):
        messages.success(request, "已添加班次模板")
        return redirect("checkpoints:templates")
    return render(
        request,
        "checkpoints/templates.html",
        {"form": form, "templates": selectors.templates_managed_by(request.user)},
        status=form_status(request),
    )
