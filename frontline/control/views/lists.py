"""The town's page for the district's lists: kinds of key person and of 五送 service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frontline.control import selectors, services
from frontline.control.forms import ListItemForm
from frontline.core.forms import form_status, form_submit
from frontline.core.scoping import require_permission_or_404


def _save(request: HttpRequest, data: dict):
    lists = {
        "category": (selectors.categories_all(), services.category_save, "category"),
        "kind": (selectors.service_kinds_all(), services.service_kind_save, "kind"),
    }
    items, save, argument = lists[data["which"]]
    item = None
    if data["item_id"]:
        item = items.filter(pk=data["item_id"]).first()
        if item is None:
            raise Http404("未找到")
    fields = {k: data[k] for k in ("name", "sort_order", "is_active")}
    if data["which"] == "kind":
        fields["quantity_label"] = data["quantity_label"]
    return save(actor=request.user, **{argument: item}, **fields)


@login_required
@require_http_methods(["GET", "POST"])
def list_settings(request: HttpRequest) -> HttpResponse:
    """Add, rename, reorder, stop or restart a kind; the records made with it keep it."""
    require_permission_or_404(request.user, "control.configure")
    form = ListItemForm(request.POST or None)
    saved = form_submit(request, form, lambda data: _save(request, data))
    if saved is not None:
        messages.success(request, f"已保存“{saved.name}”")
        return redirect("control:list_settings")
    return render(
        request,
        "control/list_settings.html",
        {
            "form": form,
            "categories": selectors.categories_all(),
            "kinds": selectors.service_kinds_all(),
        },
        status=form_status(request),
    )
