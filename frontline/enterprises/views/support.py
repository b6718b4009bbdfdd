"""Pages for difficulty tickets, policies and 预约办 slots."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
)
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.enterprises import selectors, services
from frontline.enterprises.forms import (
    DecideForm,
    PolicyApplyForm,
    PolicyForm,
    ResolveForm,
    SlotForm,
    TicketForm,
)
from frontline.enterprises.views.registry import _enterprise, _int


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
