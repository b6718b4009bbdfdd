"""Fever alerts: the list and handling one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from frontline.control import selectors, services
from frontline.control.forms import AlertHandleForm
from frontline.core.audit import audit_read
from frontline.core.forms import form_status, form_submit
from frontline.core.lists import list_node
from frontline.core.scoping import get_visible_or_404, require_permission_or_404, user_can


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    show_open = request.GET.get("status", "open") == "open"
    audit_read(actor=request.user, action="control.alert.list", permission="control.view")
    node = list_node(request.user, request.GET.get("node"), "control.view")
    alerts = selectors.under(selectors.alerts_for(request.user, is_open=show_open), node)
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    return render(
        request, "control/alert_list.html", {"page": page, "show_open": show_open, "node": node}
    )


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
