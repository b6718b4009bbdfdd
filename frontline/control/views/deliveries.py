"""五送 services: recording one, and the counts by kind and village."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frontline.control import selectors, services
from frontline.control.forms import ServiceForm
from frontline.control.selectors import residents_for_services, residents_in_scope
from frontline.core.audit import audit_read
from frontline.core.forms import (
    form_status,
    form_submit,
)
from frontline.core.scoping import get_visible_or_404, require_permission_or_404, user_can


@login_required
@require_http_methods(["GET", "POST"])
def service_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    can_record = user_can(request.user, "control.service")
    form = None
    if can_record:
        choices = residents_for_services(request.user)
        form = ServiceForm(request.POST or None, residents=choices)
        if form_submit(request, form, lambda data: _service_record(request, data)):
            messages.success(request, "已记录一次五送服务")
            return redirect("control:service_list")
    elif request.method == "POST":
        raise Http404("未找到")
    # Who is served (food, medicine) tells who is isolated at home: the list is recorded.
    audit_read(actor=request.user, action="control.service.list", permission="control.view")
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


def _service_record(request: HttpRequest, data: dict):
    data = dict(data)
    resident = get_visible_or_404(
        residents_in_scope(request.user, "control.service"), pk=data.pop("resident")
    )
    data["quantity"] = data["quantity"] or 0
    return services.service_record(actor=request.user, resident=resident, **data)
