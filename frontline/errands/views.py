"""Pages for errands: the open list, my errands, an errand with its next step, the overdue
list, households with their QR codes and daily 送餐, and the household's own page."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_record
from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.lists import list_node
from frontline.core.personal_data import decrypt_bytes
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    scope_paths,
    user_can,
)
from frontline.errands import figures, selectors, services
from frontline.errands.forms import (
    BoughtForm,
    CancelForm,
    EnrollForm,
    ErrandAskForm,
    PhoneForm,
    SeriesForm,
    SettleForm,
)
from frontline.errands.models import Errand, ErrandHousehold, ErrandKind, Status
from frontline.errands.qr import qr_svg
from frontline.people import public as people

PAGE_SIZE = 30
# The session key of a household that opened its page through its QR code.
HOUSEHOLD_SESSION = "errands_household"


def _errand(request: HttpRequest, pk: int, permission: str = "errands.view") -> Errand:
    return get_visible_or_404(selectors.errands_for(request.user, permission), pk=pk)


def _household(request: HttpRequest, pk: int) -> ErrandHousehold:
    return get_visible_or_404(selectors.households_for(request.user), pk=pk)


def _meals_today(request: HttpRequest) -> None:
    """Today's instance of every daily 送餐 in the user's villages (made once, on view)."""
    services.meals_generate(
        day=timezone.localdate(), paths=scope_paths(request.user, "errands.view")
    )


@login_required
@require_GET
def errand_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "errands.view")
    _meals_today(request)
    can_claim = user_can(request.user, "errands.claim")
    can_manage = user_can(request.user, "errands.manage")
    if can_claim:
        rows = selectors.errands_open(request.user)
    else:
        rows = selectors.errands_all(request.user, Status.SUBMITTED).order_by("deliver_by")
    status = request.GET.get("status", "")
    if can_manage and status in Status.values:
        rows = selectors.errands_all(request.user, status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "errands/errand_list.html",
        {
            "page": page,
            "can_claim": can_claim,
            "can_manage": can_manage,
            "status": status,
            "statuses": Status.choices,
            "overdue": selectors.errands_overdue_count(request.user) if can_manage else 0,
            "now": timezone.now(),
        },
    )


@login_required
@require_GET
def errand_mine(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "errands.claim")
    page = Paginator(selectors.errands_mine(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "errands/errand_mine.html", {"page": page, "now": timezone.now()})


@login_required
@require_GET
def errand_overdue(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "errands.manage")
    node = list_node(request.user, request.GET.get("node"), "errands.manage")
    rows = list(selectors.errands_overdue(request.user, node)[:300])
    villages: dict[str, list[Errand]] = {}
    for errand in rows:
        villages.setdefault(errand.node.name, []).append(errand)
    return render(
        request,
        "errands/errand_overdue.html",
        {"villages": villages.items(), "count": len(rows), "node": node, "now": timezone.now()},
    )


@login_required
@require_GET
def errand_done(request: HttpRequest) -> HttpResponse:
    """The rows the dashboard's 代购/送餐 figure counts: delivered in the span under a node."""
    require_permission_or_404(request.user, "errands.view")
    node_pk = request.GET.get("node")
    visible = nodes_visible(request.user, "errands.view")
    node = get_visible_or_404(visible, pk=node_pk) if node_pk else visible.order_by("path").first()
    today = timezone.localdate()
    end = parse_date(request.GET.get("end") or "") or today
    start = parse_date(request.GET.get("start") or "") or end
    if start > end or (end - start) > timedelta(days=366):
        start = end
    rows = (
        figures.done_in_span(node, start, end)
        .select_related("node", "claimed_by", "claimed_team")
        .prefetch_related("lines")
        .order_by("-delivered_at")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "errands/errand_done.html",
        {"page": page, "node": node, "start": start, "end": end},
    )


def _next_step(request: HttpRequest, errand: Errand) -> dict:
    """What the user may do next on this errand: the one button (and its form) to show."""
    user = request.user
    mine = selectors.is_crew(user, errand)
    manage = user_can(user, "errands.manage", errand.node)
    confirmed = errand.confirmed_by_household or errand.confirmed_by_id
    step = {
        "claim": errand.status == Status.SUBMITTED and user_can(user, "errands.claim", errand.node),
        "buy": mine and errand.status == Status.CLAIMED and errand.kind == ErrandKind.SHOPPING,
        "deliver": mine
        and (
            errand.status == Status.BOUGHT
            or (errand.status == Status.CLAIMED and errand.kind == ErrandKind.MEAL)
        ),
        "confirm": manage and errand.status == Status.DELIVERED and not confirmed,
        "settle": manage and errand.status == Status.DELIVERED and confirmed,
        "cancel": manage and not errand.finished,
    }
    return step


@login_required
@require_GET
def errand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk)
    return render(request, "errands/errand_detail.html", _detail_context(request, errand))


def _detail_context(request: HttpRequest, errand: Errand, **extra) -> dict:
    show_address = selectors.address_visible(request.user, errand)
    step = _next_step(request, errand)
    # A volunteer in a 党员代购车 may claim for it (the select above the claim button).
    vehicles = list(selectors.vehicles_of(request.user)) if step["claim"] else []
    resident = people.resident_masked(errand.household.resident) if show_address else None
    return {
        "errand": errand,
        "address": errand.address if show_address else "",
        "show_address": show_address,
        "resident": resident,
        "step": step,
        # The crew on the way may ask for the household's whole phone (audited).
        "phone_form": PhoneForm()
        if resident and resident["phone"] and (step["buy"] or step["deliver"])
        else None,
        "vehicles": [v for v in vehicles if errand.node.path.startswith(v.node.path)],
        "settle_form": SettleForm(),
        "cancel_form": CancelForm(),
        "now": timezone.now(),
        **extra,
    }


@login_required
@require_POST
def errand_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's whole phone for the crew delivering, with a reason (audited); shown
    on the errand's page, never in a URL."""
    errand = _errand(request, pk, "errands.claim")
    form = PhoneForm(request.POST)
    phone = form_submit(
        request,
        form,
        lambda data: services.errand_household_phone(
            actor=request.user, errand=errand, reason=data["reason"]
        ),
    )
    context = _detail_context(request, errand, phone=phone)
    if phone is None:
        context["phone_form"] = form
    return render(
        request,
        "errands/errand_detail.html",
        context,
        status=200 if phone is not None else form_status(request),
    )


@login_required
@require_POST
def errand_claim(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk, "errands.claim")
    chosen = (request.POST.get("team") or "").strip()

    def claim() -> Errand:
        team = None
        if chosen:
            if not chosen.isdigit():
                raise ValidationError({"team": "请选择您所在的党员代购车"})
            team = services.vehicle_of(request.user, int(chosen))
        return services.errand_claim(actor=request.user, errand=errand, team=team)

    action_submit(
        request,
        claim,
        "已认领：地址已显示，请按时送达",
        refused="认领失败：",
    )
    return redirect("errands:detail", pk=errand.pk)


@login_required
@require_POST
def errand_bought(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk, "errands.claim")
    form = BoughtForm(request.POST, request.FILES)

    def buy(data: dict) -> Errand:
        upload = data.get("receipt")
        if upload is not None and upload.size > services.RECEIPT_MAX_BYTES:
            raise ValidationError({"receipt": "小票照片不能超过 3 MB"})
        return services.errand_bought(
            actor=request.user,
            errand=errand,
            actual_cost=data["actual_cost"],
            receipt=upload.read() if upload is not None else None,
        )

    form_action_submit(
        request,
        form,
        buy,
        "已登记购买",
        refused="未登记：",
        invalid="未登记：实际花费须在 0 到 5000 元之间",
    )
    return redirect("errands:detail", pk=errand.pk)


@login_required
@require_POST
def errand_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk, "errands.claim")
    action_submit(
        request,
        lambda: services.errand_deliver(actor=request.user, errand=errand),
        "已送达，等待住户确认收货",
        refused="未登记：",
    )
    return redirect("errands:detail", pk=errand.pk)


@login_required
@require_POST
def errand_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk, "errands.manage")
    action_submit(
        request,
        lambda: services.errand_confirm(actor=request.user, errand=errand),
        "已确认收货",
        refused="未确认：",
    )
    return redirect("errands:detail", pk=errand.pk)


@login_required
@require_POST
def errand_settle(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk, "errands.manage")
    form_action_submit(
        request,
        SettleForm(request.POST),
        lambda data: services.errand_settle(actor=request.user, errand=errand, **data),
        "已结算",
        refused="未结算：",
        invalid="未结算：请选择结算方式",
    )
    return redirect("errands:detail", pk=errand.pk)


@login_required
@require_POST
def errand_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    errand = _errand(request, pk, "errands.manage")
    form_action_submit(
        request,
        CancelForm(request.POST),
        lambda data: services.errand_cancel(
            actor=request.user, errand=errand, reason=data["cancel_reason"]
        ),
        "已取消",
        refused="未取消：",
        invalid="未取消：请填写取消原因",
    )
    return redirect("errands:detail", pk=errand.pk)


@login_required
@require_GET
def errand_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt's photo, for the claimer and the village's cadres (read audited)."""
    errand = _errand(request, pk)
    if not (selectors.address_visible(request.user, errand) and errand.receipt):
        raise Http404("未找到")
    audit_record(actor=request.user, action="errands.errand.receipt", obj=errand)
    response = HttpResponse(decrypt_bytes(bytes(errand.receipt)), content_type=errand.receipt_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- households (cadres)


@login_required
@require_http_methods(["GET", "POST"])
def household_list(request: HttpRequest) -> HttpResponse:
    """Enrolled households, and a search to enrol one more."""
    require_permission_or_404(request.user, "errands.manage")
    if people.personal_query_dropped(request):
        return redirect("errands:households")
    form = EnrollForm(request.GET or None)
    found = []
    if form.is_valid():
        found = people.resident_find(
            request.user, form.cleaned_data["q"], permission="errands.manage", limit=20
        )
    if request.method == "POST":
        resident = get_visible_or_404(
            people.residents_for(request.user, "errands.manage"),
            pk=request.POST.get("resident"),
        )
        household = action_submit(
            request,
            lambda: services.household_enroll(actor=request.user, resident=resident),
            f"已登记服务户：{resident.name}",
            refused="未登记：",
        )
        if household is not None:
            return redirect("errands:household", pk=household.pk)
        return redirect("errands:households")
    households = Paginator(
        selectors.households_for(request.user).order_by("node__path", "resident__name"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "errands/household_list.html",
        {"form": form, "found": found, "page": households},
    )


@login_required
@require_GET
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    return render(
        request,
        "errands/household_detail.html",
        {
            "household": household,
            "resident": people.resident_masked(household.resident),
            "errands": selectors.errands_of_household(household)[:30],
            "series": selectors.series_of_household(household),
            "series_form": SeriesForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """A cadre enters a household's request (by phone, at the door)."""
    household = _household(request, pk)
    form = ErrandAskForm(request.POST or None, initial=None if request.POST else _ask_initial())
    made = form_submit(
        request,
        form,
        lambda data: services.errand_create(
            actor=request.user, household=household, **form.service_args()
        ),
    )
    if made is not None:
        messages.success(request, "已提交，等待志愿者认领")
        return redirect("errands:detail", pk=made[0].pk)
    return render(
        request,
        "errands/ask.html",
        {"form": form, "household": household, "title": f"代 {household.resident.name} 提交"},
        status=form_status(request),
    )


def _ask_initial() -> dict:
    later = timezone.localtime() + timedelta(hours=4)
    return {
        "deliver_by": later.strftime("%Y-%m-%dT%H:%M"),
        "idempotency_key": idempotency_key_new(),
    }


@login_required
@require_GET
def household_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The household's printable QR code: the opaque token only, no name or address."""
    household = _household(request, pk)
    url = request.build_absolute_uri(
        reverse("errands:household_open") + "?t=" + services.household_token(household)
    )
    return render(
        request,
        "errands/household_qr.html",
        {"household": household, "svg": qr_svg(url), "village": household.node.name},
    )


@login_required
@require_POST
def household_renew(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    action_submit(
        request,
        lambda: services.household_token_renew(actor=request.user, household=household),
        "旧二维码已作废，请打印新的二维码",
    )
    return redirect("errands:household", pk=household.pk)


@login_required
@require_POST
def series_start(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    form_action_submit(
        request,
        SeriesForm(request.POST),
        lambda data: services.meal_series_start(actor=request.user, household=household, **data),
        "已开始每日送餐，今天的送餐已生成",
        refused="未开始：",
        invalid="未开始：请填写送餐内容、每日送达时间和每日预算（0 到 2000 元）",
    )
    return redirect("errands:household", pk=household.pk)


@login_required
@require_POST
def series_stop(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_visible_or_404(selectors.series_for(request.user), pk=pk)
    action_submit(
        request,
        lambda: services.meal_series_stop(actor=request.user, series=series),
        "已停止每日送餐",
        refused="未停止：",
    )
    return redirect("errands:household", pk=series.household_id)


# ---------------------------------------------------------------- the household's page


def _household_of_session(request: HttpRequest) -> ErrandHousehold | None:
    """The household whose QR code opened this browser's page, while its code is valid."""
    held = request.session.get(HOUSEHOLD_SESSION)
    if not held:
        return None
    try:
        return services.household_from_token(held)
    except ValidationError:
        request.session.pop(HOUSEHOLD_SESSION, None)
        return None


@require_GET
def household_open(request: HttpRequest) -> HttpResponse:
    """Where the QR code leads: the token is checked, kept in this browser's session, and
    the page reloads without it, so that it appears in one request line only."""
    token = request.GET.get("t", "")
    try:
        services.household_from_token(token)
    except ValidationError as error:
        return render(
            request, "errands/household_refused.html", {"message": error.messages[0]}, status=403
        )
    request.session[HOUSEHOLD_SESSION] = token
    return redirect("errands:household_page")


@require_http_methods(["GET", "POST"])
def household_page(request: HttpRequest) -> HttpResponse:
    """The household's own page: ask for something, confirm what arrived, see its errands."""
    household = _household_of_session(request)
    if household is None:
        return render(
            request,
            "errands/household_refused.html",
            {"message": "请扫描门上的二维码打开本页；二维码如已重新打印，请扫描新的二维码"},
            status=403,
        )
    services.meals_generate(day=timezone.localdate(), paths=[household.node.path])
    form = ErrandAskForm(request.POST or None, initial=None if request.POST else _ask_initial())
    made = form_submit(
        request,
        form,
        lambda data: services.errand_create(actor=None, household=household, **form.service_args()),
    )
    if made is not None:
        messages.success(request, "已提交，志愿者认领后会尽快送到")
        return redirect("errands:household_page")
    return render(
        request,
        "errands/household_page.html",
        {
            "household": household,
            "form": form,
            "errands": selectors.errands_of_household(household)[:20],
            "cancel_form": CancelForm(),
        },
        status=form_status(request),
    )


def _own_errand(request: HttpRequest) -> tuple[ErrandHousehold, Errand]:
    """The household of the session and one of its own errands (another's: 404)."""
    household = _household_of_session(request)
    if household is None:
        raise Http404("未找到")
    return household, get_visible_or_404(
        selectors.errands_of_household(household), pk=request.POST.get("errand")
    )


@require_POST
def household_confirm(request: HttpRequest) -> HttpResponse:
    _, errand = _own_errand(request)
    action_submit(
        request,
        lambda: services.errand_confirm(actor=None, errand=errand),
        "已确认收货，谢谢",
        refused="未确认：",
    )
    return redirect("errands:household_page")


@require_POST
def household_cancel(request: HttpRequest) -> HttpResponse:
    _, errand = _own_errand(request)
    form_action_submit(
        request,
        CancelForm(request.POST),
        lambda data: services.errand_cancel(
            actor=None, errand=errand, reason=data["cancel_reason"]
        ),
        "已取消",
        refused="未取消：",
        invalid="未取消：请填写取消原因",
    )
    return redirect("errands:household_page")
