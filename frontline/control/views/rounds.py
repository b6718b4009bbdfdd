"""The twice-daily temperature round and the slots it missed."""

from datetime import datetime, time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from frontline.control import selectors, services
from frontline.control.forms import ReadingForm
from frontline.control.masking import own_round_for
from frontline.control.missed import missed_under
from frontline.core.audit import audit_read
from frontline.core.forms import (
    form_refusal,
    form_submit,
)
from frontline.core.lists import list_node, list_span
from frontline.core.paging import capped_page
from frontline.core.scoping import get_visible_or_404, require_permission_or_404


@login_required
@require_GET
def rounds(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.reading")
    audit_read(actor=request.user, action="control.round.view", permission="control.view")
    return render(
        request,
        "control/rounds.html",
        {
            "items": selectors.round_items(request.user, own=own_round_for(request)),
            "today": timezone.localdate(),
            "open_alerts": selectors.alerts_for(request.user).count(),
        },
    )


def _today_at(moment: time | None) -> datetime | None:
    """A time typed on the round card, as a moment of today (None: now)."""
    if moment is None:
        return None
    return timezone.make_aware(datetime.combine(timezone.localdate(), moment))


@login_required
@require_POST
def round_reading(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = get_visible_or_404(selectors.isolations_for(request.user, "control.reading"), pk=pk)
    form = ReadingForm(request.POST)
    recorded = form_submit(
        request,
        form,
        lambda data: services.reading_record(
            actor=request.user,
            isolation=isolation,
            value=data["value"],
            slot=data["slot"],
            symptoms=data["symptoms"],
            taken_at=_today_at(data["taken_time"]),
            idempotency_key=data["idempotency_key"] or None,
        ),
    )
    error = "" if recorded is not None else form_refusal(form)
    items = selectors.round_items(request.user, own=own_round_for(request))
    item = next((i for i in items if i.isolation.pk == isolation.pk), None)
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
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Slots whose window passed with no reading: the last three days, or the span and node
    of the 漏测 figure's link (?node=&from=&to=), counted as the figure counts them."""
    require_permission_or_404(request.user, "control.view")
    node = list_node(request.user, request.GET.get("node"), "control.view")
    start, end = list_span(request, days_back=2)
    audit_read(actor=request.user, action="control.overdue.list", permission="control.view")
    missed = missed_under(request.user, node, start, end)
    return render(
        request,
        "control/overdue.html",
        {
            "page": Paginator(missed, 50).get_page(request.GET.get("page")),
            "node": node,
            "span": (start, end),
            "am_window": settings.ROUND_AM_WINDOW,
            "pm_window": settings.ROUND_PM_WINDOW,
        },
    )


@login_required
@require_GET
def reading_list(request: HttpRequest) -> HttpResponse:
    """Door-step readings under a node over a span (体温测量人次; 发热 with ?fever=1): the
    rows of the figures, newest first. Temperatures are health data: the read is logged."""
    require_permission_or_404(request.user, "control.view")
    node = list_node(request.user, request.GET.get("node"), "control.view")
    start, end = list_span(request)
    fevers_only = request.GET.get("fever") == "1"
    audit_read(actor=request.user, action="control.reading.list", permission="control.view")
    qs = selectors.under(selectors.readings_for(request.user), node)
    rows = selectors.readings_in_span(qs, start, end, fevers_only)
    return render(
        request,
        "control/reading_list.html",
        {
            "page": capped_page(rows, request.GET.get("page"), per_page=50),
            "node": node,
            "span": (start, end),
            "fevers_only": fevers_only,
        },
    )
