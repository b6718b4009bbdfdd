"""Pages for community work: publicity, 两个一律, care visits, family help, exemplars."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods

from frontline.community import selectors, services
from frontline.community.forms import (
    CareErrandForm,
    CareServiceForm,
    CareVisitForm,
    ExemplarForm,
    FamilyEventForm,
    FamilyHelpForm,
    PublicityForm,
)
from frontline.community.models import FUNERAL_KINDS, FamilyEventKind
from frontline.core.audit import audit_read
from frontline.core.forms import form_status, form_submit
from frontline.core.lists import list_node, under
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.people import public as people

VIEW, RECORD = "community.view", "community.record"


def _span(request: HttpRequest, days: int = 30) -> tuple[date, date]:
    until = parse_date(request.GET.get("until") or "") or timezone.localdate()
    since = parse_date(request.GET.get("since") or "") or until - timedelta(days=days)
    return max(since, until - timedelta(days=3660)), until


def _node(request: HttpRequest):
    """The place a list is narrowed to (?node=, a figure's link); outside the scope, 404."""
    return list_node(request.user, request.GET.get("node"), VIEW)


def _form_page(request, form, save, title: str, back: str, done: str) -> HttpResponse:
    saved = form_submit(request, form, save)
    if saved is not None:
        messages.success(request, done)
        return redirect(back)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": title, "back": back},
        status=form_status(request),
    )


def _resident(request, text: str):
    """The one resident a name or a phone tail finds, or a refusal naming the field."""
    found = selectors.residents_found(request.user, text)
    if len(found) != 1:
        problem = (
            "没有找到这个人" if not found else f"找到 {len(found)} 人，请输入完整姓名或手机尾号"
        )
        raise ValidationError({"resident_name": problem})
    return found[0]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, VIEW)
    return render(
        request,
        "community/home.html",
        {
            "can_record": user_can(request.user, RECORD),
            "events": [
                (village, [counts.get(value, 0) for value, _ in FamilyEventKind.choices])
                for village, counts in selectors.counts_by_village(
                    selectors.family_events_for(request.user)
                )
            ],
            "kinds": FamilyEventKind.choices,
        },
    )


@login_required
@require_GET
def publicity_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, VIEW)
    since, until = _span(request)
    root = _node(request) or selectors.root_for(request.user)
    rows = selectors.publicity_rows(root, since, until)
    return render(
        request,
        "community/publicity_list.html",
        {
            "rows": rows,
            "total": sum(r["total"] for r in rows),
            "since": since,
            "until": until,
            "can_record": user_can(request.user, RECORD),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publicity_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, RECORD)
    form = PublicityForm(request.POST or None, nodes=selectors.villages_for(request.user, RECORD))
    return _form_page(
        request,
        form,
        lambda data: services.publicity_record(actor=request.user, **data),
        "登记宣传",
        "community:publicity",
        "已登记",
    )


@login_required
@require_GET
def family_event_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, VIEW)
    since, until = _span(request, days=365)
    events = under(selectors.family_events_for(request.user), _node(request))
    events = events.filter(planned_on__range=(since, until))
    kind = request.GET.get("kind") or ""
    if kind == "funerals":
        events = events.filter(kind__in=FUNERAL_KINDS)
    elif kind in FamilyEventKind.values:
        events = events.filter(kind=kind)
    page = capped_page(events, request.GET.get("page"), per_page=50)
    return render(
        request,
        "community/family_event_list.html",
        {
            "page": page,
            "rows": [(e, people.resident_place(e.resident)) for e in page],
            "counts": selectors.counts_by_village(events),
            "kinds": FamilyEventKind.choices,
            "can_record": user_can(request.user, RECORD),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_event_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, RECORD)
    form = FamilyEventForm(request.POST or None)

    def save(data):
        resident = _resident(request, data.pop("resident_name"))
        return services.family_event_record(actor=request.user, resident=resident, **data)

    return _form_page(
        request, form, save, "登记红白事（两个一律）", "community:family_events", "已登记"
    )


@login_required
@require_GET
def care_visit_list(request: HttpRequest) -> HttpResponse:
    """Care visits (with temperatures: a health read, audited); a volunteer's own only."""
    require_permission_or_404(request.user, selectors.CARE)
    since, until = _span(request)
    visits = under(selectors.care_visits_for(request.user), _node(request))
    visits = visits.filter(day__range=(since, until))
    audit_read(actor=request.user, action="community.care_visit.list", permission=selectors.CARE)
    page = capped_page(visits, request.GET.get("page"), per_page=50)
    return render(
        request,
        "community/care_visit_list.html",
        {
            "page": page,
            "rows": [
                (
                    v,
                    people.resident_place(v.resident),
                    _hand_on_links(request.user, v),
                )
                for v in page
            ],
            "can_record": user_can(request.user, RECORD),
            # A volunteer reads only the visits they recorded: say so, or an empty list
            # reads as if the village's visits had gone.
            "own_only": not user_can(request.user, selectors.CARE_ALL),
        },
    )


def _hand_on_links(user, visit) -> list[tuple[str, str]]:
    """(label, url) for what the user may turn the visit's need into: an errand, a 五送."""
    if not visit.needs or visit.handed_to or not user_can(user, RECORD, visit.node):
        return []
    links = []
    if user_can(user, "errands.manage", visit.node):
        links.append(("转为跑腿", reverse("community:care_visit_errand", args=[visit.pk])))
    if user_can(user, "control.service", visit.node):
        links.append(("记为五送", reverse("community:care_visit_service", args=[visit.pk])))
    return links


def _visit_to_hand_on(request: HttpRequest, pk: int, permission: str):
    """A visit of the user's places whose need is still to be handed on, where the user also
    holds the other app's permission (else: not found)."""
    visit = get_visible_or_404(selectors.care_visits_to_hand_on(request.user), pk=pk)
    if not user_can(request.user, permission, visit.node):
        raise Http404("未找到")
    return visit


@login_required
@require_http_methods(["GET", "POST"])
def care_visit_errand(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the need a visit found into an errand (代购) for the household."""
    visit = _visit_to_hand_on(request, pk, "errands.manage")
    form = CareErrandForm(request.POST or None, needs=visit.needs)
    return _form_page(
        request,
        form,
        lambda data: services.care_visit_to_errand(
            actor=request.user,
            visit=visit,
            lines=[(data["category"], data["text"])],
            budget=data["budget"],
            deliver_by=data["deliver_by"],
        ),
        f"转为跑腿 · {visit.resident.name}：{visit.needs}",
        "community:care_visits",
        "已转为帮您跑腿，等志愿者认领",
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_visit_service(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the need a visit found as met by a 五送 service."""
    visit = _visit_to_hand_on(request, pk, "control.service")
    form = CareServiceForm(request.POST or None, kinds=selectors.five_service_kinds())
    return _form_page(
        request,
        form,
        lambda data: services.care_visit_to_five_services(actor=request.user, visit=visit, **data),
        f"记为五送服务 · {visit.resident.name}：{visit.needs}",
        "community:care_visits",
        "已记为五送服务",
    )


@login_required
@require_GET
def care_volunteer_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, VIEW)
    since, until = _span(request)
    volunteers = (
        under(selectors.care_visits_counted(request.user), _node(request))
        .filter(day__range=(since, until))
        .values("visitor_name")
        .annotate(visits=Count("id"))
        .order_by("-visits", "visitor_name")
    )
    return render(
        request,
        "community/care_volunteers.html",
        {"volunteers": volunteers, "since": since, "until": until},
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_visit_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, RECORD)
    form = CareVisitForm(request.POST or None)

    def save(data):
        resident = _resident(request, data.pop("resident_name"))
        return services.care_visit_record(actor=request.user, resident=resident, **data)

    return _form_page(request, form, save, "关爱走访", "community:care_visits", "已记录走访")


@login_required
@require_GET
def family_help_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, VIEW)
    page = capped_page(selectors.family_help_for(request.user), request.GET.get("page"))
    return render(
        request,
        "community/family_help_list.html",
        {"page": page, "can_record": user_can(request.user, RECORD)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_help_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, RECORD)
    form = FamilyHelpForm(request.POST or None, nodes=selectors.villages_for(request.user, RECORD))
    return _form_page(
        request,
        form,
        lambda data: services.family_help_record(actor=request.user, **data),
        "一线人员家庭帮扶",
        "community:family_help",
        "已登记",
    )


@login_required
@require_GET
def exemplar_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, VIEW)
    since, until = _span(request, days=3650)
    exemplars = under(selectors.exemplars_for(request.user), _node(request))
    exemplars = exemplars.filter(day__range=(since, until))
    by_village: dict[str, list] = {}
    for exemplar in exemplars.order_by("node__path", "-day"):
        village = people.village_of(exemplar.node) or exemplar.node
        by_village.setdefault(village.name, []).append(exemplar)
    return render(
        request,
        "community/exemplar_list.html",
        {"by_village": by_village.items(), "can_record": user_can(request.user, RECORD)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exemplar_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, RECORD)
    form = ExemplarForm(request.POST or None, nodes=nodes_visible(request.user, RECORD))
    return _form_page(
        request,
        form,
        lambda data: services.exemplar_record(actor=request.user, **data),
        "登记先进典型",
        "community:exemplars",
        "已登记",
    )
