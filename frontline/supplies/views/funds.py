"""Pages for funds: receipts, disbursements, the statement."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from frontline.core.audit import audit_record
from frontline.core.forms import action_submit
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    require_permission_or_404,
)
from frontline.core.xlsx_export import xlsx_response
from frontline.supplies import selectors, services
from frontline.supplies.forms import (
    DisbursementForm,
    FundReceiptForm,
)
from frontline.supplies.views.common import _node_filter, _span, _subtree, tabs


@login_required
@require_GET
def funds(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.fund")
    return render(
        request,
        "supplies/funds.html",
        {"funds": selectors.funds_with_totals(request.user), **tabs(request)},
    )


def _fund(request: HttpRequest, pk: int):
    return get_visible_or_404(selectors.funds_for(request.user), pk=pk)


@login_required
@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = get_visible_or_404(selectors.funds_with_totals(request.user), pk=pk)
    return render(
        request,
        "supplies/fund_detail.html",
        {
            "fund": fund,
            "balance": fund.balance,
            "receipts": fund.receipts.all()[:50],
            "disbursements": selectors.disbursements_for(request.user).filter(fund=fund)[:100],
            "receipt_form": FundReceiptForm(initial={"received_on": timezone.localdate()}),
            "disbursement_form": DisbursementForm(
                residents=selectors.fund_beneficiaries(request.user, fund)
            ),
        },
    )


@login_required
@require_GET
def fund_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The fund's statement: receipts and approved disbursements in date order, audited."""
    fund = _fund(request, pk)
    audit_record(
        actor=request.user,
        action="supplies.fund.export",
        obj=fund,
        fields=["receipts", "disbursements"],
    )
    rows = [
        (r.received_on, "收入", r.donor_name, r.amount, Decimal(0)) for r in fund.receipts.all()
    ] + [
        (d.paid_on, "支出", d.resident.name, Decimal(0), d.amount)
        for d in selectors.disbursements_for(request.user).filter(
            fund=fund, approved_at__isnull=False
        )
    ]
    rows.sort(key=lambda row: (row[0], row[1] != "收入"))
    balance = Decimal(0)
    lines = []
    for day, kind, who, amount_in, amount_out in rows:
        balance += amount_in - amount_out
        lines.append(
            [day.isoformat(), kind, who, f"{amount_in:.2f}", f"{amount_out:.2f}", f"{balance:.2f}"]
        )
    return xlsx_response(
        f"{fund.name}收支表.xlsx",
        ["日期", "收支", "捐款人/受助人", "收入（元）", "支出（元）", "余额（元）"],
        lines,
        sheet="收支",
    )


@login_required
@require_POST
def fund_receive(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    form = FundReceiptForm(request.POST)
    if form.is_valid():
        action_submit(
            request,
            lambda: services.fund_receipt_record(
                actor=request.user, fund=fund, **form.cleaned_data
            ),
            "已登记收入",
        )
    else:
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
    return redirect("supplies:fund", pk=pk)


@login_required
@require_POST
def fund_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    form = DisbursementForm(
        request.POST, residents=selectors.fund_beneficiaries(request.user, fund)
    )
    if form.is_valid():
        data = form.cleaned_data
        action_submit(
            request,
            lambda: services.disbursement_propose(
                actor=request.user,
                fund=fund,
                resident_id=data["resident"].pk,
                amount=data["amount"],
                reason=data["reason"],
            ),
            "已提出支出，待另一人批准",
        )
    else:
        messages.error(request, "；".join(m for errs in form.errors.values() for m in errs))
    return redirect("supplies:fund", pk=pk)


@login_required
@require_POST
def disbursement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    disbursement = get_visible_or_404(selectors.disbursements_for(request.user), pk=pk)
    action_submit(
        request,
        lambda: services.disbursement_approve(actor=request.user, disbursement=disbursement),
        "已批准发放",
        refused="未批准：",
    )
    return redirect("supplies:fund", pk=disbursement.fund_id)


@login_required
@require_GET
def fund_receipts(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.fund")
    node = _node_filter(request, "supplies.fund")
    start, end = _span(request)
    rows = selectors.fund_receipts_for(request.user).filter(received_on__range=(start, end))
    rows = _subtree(rows, node, "fund__node")
    return render(
        request,
        "supplies/fund_receipts.html",
        {
            "page": capped_page(rows, request.GET.get("page")),
            "total": rows.aggregate(s=Sum("amount"))["s"],
        },
    )


@login_required
@require_GET
def beneficiaries(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.fund")
    node = _node_filter(request, "supplies.fund")
    start, end = _span(request)
    rows = selectors.beneficiaries_for(request.user, start, end)
    rows = _subtree(rows, node, "fund__node")
    return render(
        request, "supplies/beneficiaries.html", {"page": capped_page(rows, request.GET.get("page"))}
    )
