"""Pages for what the keepers set up: the catalogue (items, units and conversions), the
stores with their low-stock counts, the collection drives (党员义捐) with their totals,
and new funds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core.forms import form_status, form_submit
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
)
from frontline.supplies import selectors, services
from frontline.supplies.forms import ItemForm, PlaceForm, units_text
from frontline.supplies.views import tabs


def _form_page(request: HttpRequest, form, title: str, back: str) -> HttpResponse:
    return render(
        request,
        "supplies/form.html",
        {"form": form, "title": title, "back": back},
        status=form_status(request),
    )


def _place_create(
    request: HttpRequest, *, permission: str, make, what: str, back: str, done, initial=None
) -> HttpResponse:
    """A store, a drive or a fund: a name at a node where the user holds `permission`."""
    require_permission_or_404(request.user, permission)
    form = PlaceForm(
        request.POST or None,
        nodes=nodes_visible(request.user, permission),
        name_label=f"{what}名称",
        initial=initial,
    )
    made = form_submit(request, form, lambda data: make(actor=request.user, **data))
    if made is not None:
        messages.success(request, f"已新建{what}：{made.name}")
        return done(made)
    return _form_page(request, form, f"新建{what}", back)


# ---------------------------------------------------------------- catalogue


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """The catalogue: every item with its base unit and conversions; who may edit which."""
    require_permission_or_404(request.user, "supplies.view")
    editable = set(selectors.items_kept_by(request.user).values_list("pk", flat=True))
    return render(
        request,
        "supplies/items.html",
        {"items": selectors.items(), "editable": editable, **tabs(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supplies.keep")
    form = ItemForm(request.POST or None, nodes=nodes_visible(request.user, "supplies.keep"))
    item = form_submit(request, form, lambda data: services.item_create(actor=request.user, **data))
    if item is not None:
        messages.success(request, f"已新建物资：{item.name}")
        return redirect("supplies:items")
    return _form_page(request, form, "新建物资", "supplies:items")


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(selectors.items_kept_by(request.user), pk=pk)
    form = ItemForm(
        request.POST or None,
        initial={
            "name": item.name,
            "base_unit": item.base_unit,
            "units": units_text(item),
            "code": item.code,
            "countable": item.countable,
        },
    )
    changed = form_submit(
        request, form, lambda data: services.item_update(actor=request.user, item=item, **data)
    )
    if changed is not None:
        messages.success(request, f"已保存：{item.name}" if changed else "没有改动")
        return redirect("supplies:items")
    return _form_page(request, form, f"修改物资 · {item.name}", "supplies:items")


# ---------------------------------------------------------------- stores


@login_required
@require_GET
def warehouses(request: HttpRequest) -> HttpResponse:
    """The stores the user sees, each with its items in stock and those below the line."""
    require_permission_or_404(request.user, "supplies.view")
    rows = list(selectors.warehouses_with_counts(request.user))
    return render(
        request,
        "supplies/warehouses.html",
        {"warehouses": rows, "low": sum(w.low for w in rows), **tabs(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def warehouse_create(request: HttpRequest) -> HttpResponse:
    return _place_create(
        request,
        permission="supplies.keep",
        make=services.warehouse_create,
        what="仓库",
        back="supplies:warehouses",
        done=lambda warehouse: redirect("supplies:warehouses"),
    )


# ---------------------------------------------------------------- drives


@login_required
@require_GET
def drives(request: HttpRequest) -> HttpResponse:
    """Collection drives (党员义捐) with their totals — a query, never a typed number."""
    require_permission_or_404(request.user, "supplies.view")
    return render(
        request,
        "supplies/drives.html",
        {"drives": selectors.drives_with_totals(request.user), **tabs(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def drive_create(request: HttpRequest) -> HttpResponse:
    return _place_create(
        request,
        permission="supplies.keep",
        make=services.drive_create,
        what="募捐活动",
        back="supplies:drives",
        done=lambda drive: redirect("supplies:drives"),
        initial={"name": "党员义捐"},
    )


# ---------------------------------------------------------------- funds


@login_required
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    return _place_create(
        request,
        permission="supplies.fund",
        make=services.fund_create,
        what="基金",
        back="supplies:funds",
        done=lambda fund: redirect("supplies:fund", pk=fund.pk),
    )
