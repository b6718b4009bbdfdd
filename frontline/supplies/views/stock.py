"""Pages for stock, the ledger and moves, stock-take."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core.audit import audit_record
from frontline.core.forms import form_status, form_submit, idempotency_key_new
from frontline.core.lists import list_node, under
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    scope_root,
)
from frontline.core.xlsx_export import xlsx_response
from frontline.supplies import selectors, services, stocktake
from frontline.supplies.forms import (
    MoveForm,
    ThresholdForm,
)
from frontline.supplies.models import MoveKind, Source
from frontline.supplies.views.common import _node_filter, _span, _subtree, tabs


@login_required
@require_GET
def stock(request: HttpRequest) -> HttpResponse:
    """Stock on hand by store; ?warehouse= one store, ?node= the stores under a place,
    ?low=1 only what is below its line (the dashboard's 低于警戒库存 for that place)."""
    require_permission_or_404(request.user, "supplies.view")
    node = list_node(request.user, request.GET.get("node"), "supplies.view")
    rows = under(selectors.stock_for(request.user), node, "warehouse__node__path")
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
            "node": node,
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
        # Unfiltered, the sheet holds the whole scope: logged at its root, where the
        # audit page (which lists by node) shows it.
        node=node or scope_root(request.user, "supplies.view"),
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
        node=scope_root(request.user, "supplies.view"),
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
        node=scope_root(request.user, "supplies.keep"),
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
