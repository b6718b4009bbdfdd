"""Pages for supplies: stock, ledger and moves; donations and receipts; requests and
allocation; funds; the 公示 link and the public page it opens (no login)."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_record
from frontline.core.forms import action_submit, form_status, form_submit, idempotency_key_new
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.core.spreadsheets import xlsx_response
from frontline.people import public as people
from frontline.supplies import disclosure, selectors, services, stocktake
from frontline.supplies.forms import (
    AllocationRunForm,
    DisbursementForm,
    DisclosureForm,
    DonationForm,
    FundReceiptForm,
    MoveForm,
    RequestForm,
    ThresholdForm,
)
from frontline.supplies.models import DonorKind, MoveKind, RequesterKind, Source


def _span(request: HttpRequest, default_days: int = 3650) -> tuple[date, date]:
    end = parse_date(request.GET.get("to") or "") or timezone.localdate()
    start = parse_date(request.GET.get("from") or "") or end - timedelta(days=default_days)
    return start, end


def _node_filter(request: HttpRequest, permission: str):
    """The node a list is narrowed to (?node=), which must be within the user's scope."""
    raw = request.GET.get("node")
    if not raw:
        return None
    return get_visible_or_404(nodes_visible(request.user, permission), pk=raw)


def _subtree(queryset, node, field: str):
    return (
        queryset if node is None else queryset.filter(**{f"{field}__path__startswith": node.path})
    )


def tabs(request: HttpRequest) -> dict:
    user = request.user
    return {
        "can_keep": user_can(user, "supplies.keep"),
        "can_fund": user_can(user, "supplies.fund"),
        "can_disclose": user_can(user, "supplies.disclose"),
        "can_view": user_can(user, "supplies.view"),
    }


# ---------------------------------------------------------------- stock and ledger


@login_required
@require_GET
def stock(request: HttpRequest) -> HttpResponse:
    """Stock on hand by store; ?warehouse= one store, ?low=1 only what is below its line."""
    require_permission_or_404(request.user, "supplies.view")
    rows = selectors.stock_for(request.user)
    warehouse = None
    if request.GET.get("warehouse"):
        warehouse = get_visible_or_404(
            selectors.warehouses_for(request.user), pk=request.GET["warehouse"]
        )
        rows = rows.filter(warehouse=warehouse)
    only_low = bool(request.GET.get("low"))
    if only_low:
        rows = rows.filter(selectors.LOW)
    rows = list(rows)
    groups: dict = {}
    for row in rows:
        groups.setdefault(row.warehouse, []).append(row)
    return render(
        request,
        "supplies/stock.html",
        {
            "groups": list(groups.items()),
            "low": sum(1 for row in rows if row.low),
            "only_low": only_low,
            "warehouse": warehouse,
            "warehouses": selectors.warehouses_for(request.user),
            **tabs(request),
        },
    )


def _ledger_rows(request: HttpRequest):
    """The ledger as filtered by the query string (node, from, to, kind, source, code)."""
    node = _node_filter(request, "supplies.view")
    start, end = _span(request)
    moves = _subtree(selectors.moves_for(request.user), node, "warehouse__node").filter(
        day__range=(start, end)
    )
    kind, source, code = (request.GET.get(k, "") for k in ("kind", "source", "code"))
    if kind in MoveKind.values:
        moves = moves.filter(kind=kind)
    if source in Source.values:
        moves = moves.filter(source=source)
    if code:
        moves = moves.filter(item__code=code)
    return moves, node, kind, source, code


@login_required
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.view")
    moves, node, kind, source, code = _ledger_rows(request)
    total = moves.aggregate(s=Sum("quantity"))["s"] if code else None
    return render(
        request,
        "supplies/ledger.html",
        {
            "page": capped_page(moves, request.GET.get("page")),
            "total": total,
            "filtered": bool(kind or source or code or node),
            **tabs(request),
        },
    )


def _qty_text(value) -> str:
    return f"{value.normalize():f}"


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """The ledger of the filter as a sheet (per period: from, to), audited."""
    require_permission_or_404(request.user, "supplies.view")
    moves, node, *_ = _ledger_rows(request)
    audit_record(
        actor=request.user,
        action="supplies.move.export",
        node=node,
        object_type="supplies.move",
        fields=["day", "kind", "item", "quantity", "warehouse"],
    )
    return xlsx_response(
        "物资台账.xlsx",
        [
            "日期",
            "类型",
            "物资",
            "数量",
            "单位",
            "基本单位数量",
            "仓库",
            "来源",
            "调入仓库",
            "领用单位",
            "说明",
        ],
        (
            [
                m.day.isoformat(),
                m.get_kind_display(),
                m.item.name,
                # Numbers, not text: a negative adjustment is a number, not a formula.
                m.entered_quantity.normalize(),
                m.unit,
                m.quantity.normalize(),
                m.warehouse.name,
                m.get_source_display() if m.source else "",
                m.to_warehouse.name if m.to_warehouse else "",
                m.recipient_node.name if m.recipient_node else "",
                m.reason,
            ]
            for m in moves.order_by("day", "id").iterator(chunk_size=2000)
        ),
        sheet="台账",
    )


@login_required
@require_GET
def stock_xlsx(request: HttpRequest) -> HttpResponse:
    """Stock on hand of every visible warehouse as a sheet, audited."""
    require_permission_or_404(request.user, "supplies.view")
    audit_record(
        actor=request.user,
        action="supplies.stock.export",
        object_type="supplies.stock",
        fields=["warehouse", "item", "quantity", "low_threshold"],
    )
    return xlsx_response(
        "物资库存.xlsx",
        ["辖区", "仓库", "物资", "库存", "基本单位", "低库存线", "低于库存线"],
        (
            [
                s.warehouse.node.name,
                s.warehouse.name,
                s.item.name,
                _qty_text(s.quantity),
                s.item.base_unit,
                _qty_text(s.low_threshold),
                "是" if s.low else "",
            ]
            for s in selectors.stock_for(request.user)
        ),
        sheet="库存",
    )


@login_required
@require_GET
def stocktake_xlsx(request: HttpRequest) -> HttpResponse:
    """The stock-take sheet to fill in (实盘数量) and import back, audited."""
    require_permission_or_404(request.user, "supplies.keep")
    audit_record(
        actor=request.user,
        action="supplies.stock.export",
        object_type="supplies.stock",
        fields=["warehouse", "item", "quantity"],
    )
    return xlsx_response(
        "盘点表.xlsx", stocktake.HEADERS, stocktake.stocktake_rows(request.user), sheet="盘点"
    )


@login_required
@require_http_methods(["GET", "POST"])
def move_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.keep")
    form = MoveForm(
        request.POST or None,
        initial={
            "idempotency_key": idempotency_key_new(),
            "kind": request.GET.get("kind", "receipt"),
        },
        warehouses=selectors.warehouses_for(request.user, "supplies.keep"),
        items=selectors.items(),
        nodes=nodes_visible(request.user),
    )

    def save(data):
        move, _ = services.move_record(actor=request.user, **data)
        return move

    move = form_submit(request, form, save)
    if move is not None:
        messages.success(
            request,
            f"已记账：{move.get_kind_display()} {move.item.name} "
            f"{move.entered_quantity.normalize():f}{move.unit}",
        )
        return redirect("supplies:stock")
    return render(
        request,
        "supplies/form.html",
        {"form": form, "title": "入库 · 出库 · 调拨 · 盘点", "back": "supplies:stock"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.keep")
    form = ThresholdForm(
        request.POST or None,
        warehouses=selectors.warehouses_for(request.user, "supplies.keep"),
        items=selectors.items(),
    )
    if form_submit(request, form, lambda data: services.threshold_set(actor=request.user, **data)):
        messages.success(request, "已设置低库存线")
        return redirect("supplies:stock")
    return render(
        request,
        "supplies/form.html",
        {"form": form, "title": "设置低库存线", "back": "supplies:stock"},
        status=form_status(request),
    )


# ---------------------------------------------------------------- donations


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


# ---------------------------------------------------------------- requests and allocation


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


# ---------------------------------------------------------------- funds


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


def _fund_residents(request: HttpRequest, fund):
    return (
        people.residents_for(request.user, "supplies.fund")
        .filter(node__path__startswith=fund.node.path)
        .select_related("node")
        .order_by("name", "pk")
    )


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
            "disbursement_form": DisbursementForm(residents=_fund_residents(request, fund)),
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
    form = DisbursementForm(request.POST, residents=_fund_residents(request, fund))
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


# ---------------------------------------------------------------- 公示


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_link(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.disclose")
    today = timezone.localdate()
    form = DisclosureForm(
        request.POST or None,
        initial={"start": today.replace(day=1), "end": today, "days": 7},
        nodes=nodes_visible(request.user, "supplies.disclose"),
    )
    link = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = disclosure.link_token(data["node"], data["start"], data["end"], data["days"])
        link = request.build_absolute_uri(reverse("supplies:public", args=[token]))
        audit_record(
            actor=request.user,
            action="supplies.disclosure.link",
            node=data["node"],
            object_type="supplies.disclosure",
            fields=["node", "start", "end", "days"],
        )
    return render(
        request,
        "supplies/disclosure_link.html",
        {"form": form, "link": link},
        status=422 if request.method == "POST" and not form.is_valid() else 200,
    )


def _disclosed(token: str):
    disclosed = disclosure.link_open(token)
    if disclosed is None:
        raise Http404("链接无效或已过期")
    return disclosed


@require_GET
def public(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the signed link opens this one list and its sheet, nothing else."""
    disclosed = _disclosed(token)
    rows = disclosure.disclosure_rows(disclosed)
    return render(
        request,
        "supplies/public.html",
        {
            "d": disclosed,
            "rows": rows,
            "uses": disclosure.use_rows(disclosed),
            "cash": sum((r["cash"] for r in rows), Decimal(0)),
            "goods": sum((r["goods_value"] for r in rows), Decimal(0)),
            "token": token,
        },
    )


@require_GET
def public_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    disclosed = _disclosed(token)
    rows = disclosure.disclosure_rows(disclosed)
    return xlsx_response(
        f"公示-{disclosed.node.name}-{disclosed.start}-{disclosed.end}.xlsx",
        ["收据编号", "日期", "捐赠人", "类型", "捐款（元）", "物资", "物资折价（元）", "用途"],
        (
            [
                r["receipt_no"],
                r["date"].isoformat(),
                r["donor"],
                r["kind"],
                f"{r['cash']:.2f}",
                r["goods"],
                f"{r['goods_value']:.2f}",
                r["purpose"],
            ]
            for r in rows
        ),
        sheet="捐赠公示",
    )
