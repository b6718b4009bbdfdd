"""Pages for donations and their receipts."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core.forms import form_status, form_submit, idempotency_key_new
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
)
from frontline.supplies import selectors, services
from frontline.supplies.forms import (
    DonationForm,
)
from frontline.supplies.models import DonorKind
from frontline.supplies.views.common import _node_filter, _span, _subtree, tabs


@login_required
@require_GET
def donations(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.view")
    node = _node_filter(request, "supplies.view")
    start, end = _span(request)
    rows = _subtree(selectors.donations_for(request.user), node, "node").filter(
        received_on__range=(start, end)
    )
    donor_kind = request.GET.get("donor_kind", "")
    if donor_kind in DonorKind.values:
        rows = rows.filter(donor_kind=donor_kind)
    if request.GET.get("goods"):
        rows = rows.filter(goods_value__gt=0) | rows.filter(lines__isnull=False)
        rows = rows.distinct()
    drive = request.GET.get("drive")
    if drive:
        rows = rows.filter(drive=get_visible_or_404(selectors.drives_for(request.user), pk=drive))
    totals = rows.aggregate(cash=Sum("cash"), goods=Sum("goods_value"))
    drives = [(d, selectors.drive_totals(d)) for d in selectors.drives_for(request.user)]
    return render(
        request,
        "supplies/donations.html",
        {
            "page": capped_page(rows.prefetch_related("lines__item"), request.GET.get("page")),
            "totals": totals,
            "drives": drives,
            "filtered": bool(donor_kind or drive or node or request.GET.get("goods")),
            **tabs(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.keep")
    form = DonationForm(
        request.POST or None,
        initial={"idempotency_key": idempotency_key_new(), "received_on": timezone.localdate()},
        nodes=nodes_visible(request.user, "supplies.keep"),
        drives=selectors.drives_for(request.user, "supplies.keep"),
        items=selectors.items(),
        warehouses=selectors.warehouses_for(request.user, "supplies.keep"),
    )

    def save(data):
        goods = []
        if data["item"] is not None:
            goods.append(
                services.Goods(
                    item=data["item"],
                    quantity=data["quantity"] or 0,
                    unit=data["unit"],
                    value=data["value"] or Decimal(0),
                )
            )
        donation, _ = services.donation_record(
            actor=request.user,
            node=data["node"],
            donor_kind=data["donor_kind"],
            donor_name=data["donor_name"],
            masked=data["masked"],
            drive=data["drive"],
            cash=data["cash"] or Decimal(0),
            goods=goods,
            warehouse=data["warehouse"],
            received_on=data["received_on"],
            purpose=data["purpose"],
            idempotency_key=data["idempotency_key"],
        )
        return donation

    donation = form_submit(request, form, save)
    if donation is not None:
        messages.success(request, f"已登记捐赠，收据编号 {donation.receipt_no}")
        return redirect("supplies:receipt", pk=donation.pk)
    return render(
        request,
        "supplies/form.html",
        {"form": form, "title": "登记捐赠", "back": "supplies:donations"},
        status=form_status(request),
    )


@login_required
@require_GET
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    donation = get_visible_or_404(selectors.donations_for(request.user), pk=pk)
    return render(
        request,
        "supplies/receipt.html",
        {"donation": donation, "lines": donation.lines.select_related("item")},
    )
