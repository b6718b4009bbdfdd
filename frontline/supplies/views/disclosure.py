"""The 公示 page and its signed link."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core.audit import audit_record
from frontline.core.scoping import (
    nodes_visible,
    require_permission_or_404,
)
from frontline.core.xlsx_export import xlsx_response
from frontline.supplies import disclosure
from frontline.supplies.forms import (
    DisclosureForm,
)


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
    # Every export is logged (SECURITY 7), this one too: nobody signed in, so the row
    # names the link's list (its node and period) rather than a user.
    audit_record(
        actor=None,
        action="supplies.disclosure.export",
        node=disclosed.node,
        object_type="supplies.disclosure",
        reason=f"{disclosed.start}至{disclosed.end}公示表（公开链接）",
        fields=["receipt_no", "donor", "cash", "goods", "purpose"],
    )
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
