"""Pages for requests and allocation runs."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.forms import action_submit, form_status, form_submit, idempotency_key_new
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.supplies import selectors, services
from frontline.supplies.forms import (
    AllocationRunForm,
    RequestForm,
)
from frontline.supplies.models import RequesterKind
from frontline.supplies.views.common import tabs


@login_required
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.request")
    can_keep = user_can(request.user, "supplies.keep")
    return render(
        request,
        "supplies/requests.html",
        {
            "requests": selectors.requests_for(request.user)[:100],
            "deliveries": selectors.deliveries_for(request.user).order_by("confirmed_at", "-id")[
                :50
            ],
            "allocations": selectors.allocations_for(request.user)[:20] if can_keep else [],
            "run_form": AllocationRunForm(
                warehouses=selectors.warehouses_for(request.user, "supplies.keep")
            )
            if can_keep
            else None,
            **tabs(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.request")
    nodes = nodes_visible(request.user, "supplies.request")
    first = nodes.order_by("path").first()
    form = RequestForm(
        request.POST or None,
        initial={
            "idempotency_key": idempotency_key_new(),
            "needed_by": timezone.localdate() + timedelta(days=2),
            "kind": RequesterKind.ENTERPRISE
            if first and first.kind == "enterprise"
            else RequesterKind.VILLAGE,
        },
        nodes=nodes,
        items=selectors.items(),
    )

    def save(data):
        lines = [services.Asked(data["item1"], data["quantity1"], data["unit1"])]
        if data["item2"] is not None:
            lines.append(services.Asked(data["item2"], data["quantity2"] or 0, data["unit2"]))
        return services.request_create(
            actor=request.user,
            node=data["node"],
            kind=data["kind"],
            needed_by=data["needed_by"],
            reason=data["reason"],
            lines=lines,
            idempotency_key=data["idempotency_key"],
        )

    if form_submit(request, form, save) is not None:
        messages.success(request, "已提交申请")
        return redirect("supplies:requests")
    return render(
        request,
        "supplies/form.html",
        {"form": form, "title": "申领物资", "back": "supplies:requests"},
        status=form_status(request),
    )


@login_required
@require_POST
def allocation_run(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.keep")
    form = AllocationRunForm(
        request.POST, warehouses=selectors.warehouses_for(request.user, "supplies.keep")
    )
    if not form.is_valid():
        raise Http404("未找到")
    allocation = action_submit(
        request,
        lambda: services.allocation_run(
            actor=request.user, warehouse=form.cleaned_data["warehouse"]
        ),
        "已生成分配建议，请核对后批准",
    )
    if allocation is None:
        return redirect("supplies:requests")
    return redirect("supplies:allocation", pk=allocation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = get_visible_or_404(selectors.allocations_for(request.user), pk=pk)
    lines = list(selectors.allocation_lines(allocation))
    if request.method == "POST":
        quantities = {}
        for line in lines:
            raw = request.POST.get(f"q{line.pk}", "")
            try:
                quantities[line.pk] = Decimal(raw) if raw.strip() else line.proposed
            except ArithmeticError:
                messages.error(request, "批准数量须为数字")
                return redirect("supplies:allocation", pk=pk)
        if action_submit(
            request,
            lambda: services.allocation_approve(
                actor=request.user, allocation=allocation, quantities=quantities
            ),
            "已批准并出库；未满足的申请仍待分配",
        ):
            return redirect("supplies:requests")
        return redirect("supplies:allocation", pk=pk)
    return render(request, "supplies/allocation.html", {"allocation": allocation, "lines": lines})


@login_required
@require_POST
def delivery_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_visible_or_404(selectors.deliveries_for(request.user), pk=pk)
    action_submit(
        request,
        lambda: services.allocation_confirm(actor=request.user, line=line),
        f"已签收 {line.request_line.item.name}",
    )
    return redirect("supplies:requests")
