"""Pages for employees, their cards and the gate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_read, audit_record
from frontline.core.forms import (
    action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    require_permission_or_404,
    user_can,
)
from frontline.enterprises import selectors, services
from frontline.enterprises.forms import (
    EmployeeForm,
    GateForm,
)
from frontline.enterprises.models import Enterprise
from frontline.enterprises.views.registry import _enterprise


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
    """The contact has the employee's ID card: name and number find the resident
    (services.resident_on_card)."""
    resident = services.resident_on_card(data.pop("name"), data.pop("id_number"))
    return services.employee_add(
        actor=request.user, enterprise=enterprise, resident=resident, **data
    )


def _employee(request: HttpRequest, pk: int, permission: str = "enterprises.view"):
    return get_visible_or_404(selectors.employees_for(request.user, permission), pk=pk)


@login_required
@require_GET
def card(request: HttpRequest, pk: int) -> HttpResponse:
    employee = _employee(request, pk)
    # The card shows a health status: every look is logged (SECURITY 7), naming whose
    # card it was (by id) at the enterprise's node.
    audit_record(
        actor=request.user,
        action="enterprises.card.view",
        obj=employee,
        node=employee.enterprise.node,
    )
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
