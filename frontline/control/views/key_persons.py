"""Pages for key persons under 四个一 control: the list, registering, the case page,
closing, gaps."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.control import selectors, services
from frontline.control.forms import CloseForm, ControlForm, IdentifyForm, KeyPersonForm, NoteForm
from frontline.control.missed import isolated_on
from frontline.control.models import IsolationStatus, KeyPersonStatus
from frontline.control.selectors import candidate_leaders, resident_search, residents_in_scope
from frontline.control.views.search import SEARCH_MAX, URL_REFUSED
from frontline.core.audit import audit_read
from frontline.core.forms import (
    form_action_submit,
    form_status,
    form_submit,
)
from frontline.core.lists import list_node, list_span
from frontline.core.scoping import get_visible_or_404, require_permission_or_404, user_can


@login_required
@require_GET
def key_person_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    audit_read(actor=request.user, action="control.key_person.list", permission="control.view")
    status = request.GET.get("status", KeyPersonStatus.ACTIVE)
    category = request.GET.get("category") or None
    gaps_only = request.GET.get("gaps") == "1"
    people = selectors.key_person_list(
        request.user,
        status=status if status in KeyPersonStatus.values else "",
        category=int(category) if category and category.isdigit() else None,
        gaps_only=gaps_only,
    )
    # A figure's link (?node=&from=&to=&set=): the people it counts, whatever their status.
    node = list_node(request.user, request.GET.get("node"), "control.view")
    start, end = list_span(request)
    counted = request.GET.get("set") if request.GET.get("set") in COUNTED_SETS else ""
    if counted:
        people = selectors.key_person_list(request.user, status="", category=None)
        people = _counted(request, selectors.under(people, node), counted, node, (start, end))
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "control/key_person_list.html",
        {
            "page": page,
            "status": status,
            "gaps_only": gaps_only,
            "categories": selectors.categories_active(),
            "category": category,
            "counts": selectors.control_counts(request.user),
            "counted": COUNTED_SETS.get(counted, ""),
            "node": node,
            "span": (start, end) if counted == "controlled" else (end, end),
            "can_edit": user_can(request.user, "control.edit"),
            "can_import": user_can(request.user, "control.import"),
            "can_configure": user_can(request.user, "control.configure"),
        },
    )


COUNTED_SETS = {"controlled": "管控过的重点人员", "isolated": "居家隔离"}


def _counted(request: HttpRequest, people, counted: str, node, span: tuple):
    """The rows of the 重点人员 figure (under control in the span) or of 居家隔离 (in
    isolation on the span's last day), from the figures' own selectors."""
    start, end = span
    if counted == "controlled":
        return selectors.controlled_in_span(people, start, end)
    isolations = selectors.under(selectors.isolations_for(request.user), node)
    return people.filter(pk__in=isolated_on(isolations, end).values("key_person_id"))


@login_required
@require_http_methods(["GET", "POST"])
def key_person_find_resident(request: HttpRequest) -> HttpResponse:
    """Find the resident to register. The search is sent by POST: a name or a phone tail
    is then put in the URL (paging and "back" work), a whole ID or phone never is."""
    require_permission_or_404(request.user, "control.edit")
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "").strip()[:SEARCH_MAX]
    personal = bool(query) and selectors.search_is_personal(query)
    if request.method == "GET" and personal:
        # An ID or phone in a URL lands in logs and browser history: refuse to use it.
        messages.warning(request, URL_REFUSED)
        return redirect("control:key_person_find_resident")
    if request.method == "POST" and not personal:
        target = reverse("control:key_person_find_resident")
        return redirect(f"{target}?{urlencode({'q': query})}" if query else target)
    results = resident_search(request.user, query) if query else []
    # A whole ID or phone is not written back into the page either.
    shown = "" if personal else query
    context = {"q": shown, "searched": bool(query), "results": results}
    return render(request, "control/find_resident.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def key_person_register(request: HttpRequest, resident_pk: int) -> HttpResponse:
    resident = get_visible_or_404(residents_in_scope(request.user, "control.edit"), pk=resident_pk)
    form = KeyPersonForm(request.POST or None)
    person = form_submit(
        request,
        form,
        lambda data: services.key_person_register(actor=request.user, resident=resident, **data),
    )
    if person is not None:
        messages.success(request, "已登记为重点人员。请落实四个一并安排隔离。")
        return redirect("control:key_person_detail", pk=person.pk)
    return render(
        request,
        "control/register.html",
        {"form": form, "resident": resident},
        status=form_status(request),
    )


@login_required
@require_GET
def key_person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(selectors.key_persons_for(request.user), pk=pk)
    audit_read(actor=request.user, action="control.key_person.view", obj=person)
    isolation = person.isolations.filter(status=IsolationStatus.ACTIVE).first()
    past = person.isolations.exclude(status=IsolationStatus.ACTIVE).order_by("-start_date")
    readings = selectors.readings_by_day(isolation) if isolation else []
    return render(
        request,
        "control/key_person_detail.html",
        {
            "person": person,
            "isolation": isolation,
            "past_isolations": past,
            "six": selectors.six_of(isolation) if isolation else [],
            "readings": readings,
            "alerts": selectors.alerts_for(request.user, is_open=None).filter(
                isolation__key_person=person
            )[:10],
            "timeline": person.timeline.select_related("actor")[:100],
            "note_form": NoteForm(),
            "close_form": CloseForm(),
            "identify_form": IdentifyForm(),
            "can_edit": user_can(request.user, "control.edit", person.node),
        },
    )


def editable_person(request: HttpRequest, pk: int):
    return get_visible_or_404(selectors.key_persons_for(request.user, "control.edit"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def key_person_control(request: HttpRequest, pk: int) -> HttpResponse:
    person = editable_person(request, pk)
    initial = {"leader": person.leader_id, "team": person.team, "plan": person.plan}
    form = ControlForm(
        request.POST or None, initial=initial, leaders=candidate_leaders(person.node)
    )
    done = form_submit(
        request,
        form,
        lambda data: services.key_person_set_control(actor=request.user, key_person=person, **data),
    )
    if done is not None:
        messages.success(request, "四个一已更新")
        return redirect("control:key_person_detail", pk=person.pk)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": person,
            "title": "落实四个一",
            "submit": "保存",
        },
        status=form_status(request),
    )


@login_required
@require_POST
def key_person_note(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(selectors.key_persons_for(request.user), pk=pk)
    form_action_submit(
        request,
        NoteForm(request.POST),
        lambda data: services.key_person_note(actor=request.user, key_person=person, **data),
        "已记录",
        invalid="请填写工作记录",
    )
    return redirect("control:key_person_detail", pk=person.pk)


@login_required
@require_POST
def key_person_close(request: HttpRequest, pk: int) -> HttpResponse:
    person = editable_person(request, pk)
    form_action_submit(
        request,
        CloseForm(request.POST),
        lambda data: services.key_person_close(actor=request.user, key_person=person, **data),
        "已解除管控，记录保留",
        invalid="请填写解除管控的原因",
    )
    return redirect("control:key_person_detail", pk=person.pk)


@login_required
@require_POST
def key_person_identify(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the ID number of a key person accepted without one (POST: never in a URL)."""
    person = editable_person(request, pk)
    form_action_submit(
        request,
        IdentifyForm(request.POST),
        lambda data: services.key_person_identify(
            actor=request.user, key_person=person, id_number=data["id_number"]
        ),
        "已补录身份证号",
        refused="未能补录：",
        invalid="请填写身份证号",
    )
    return redirect("control:key_person_detail", pk=person.pk)


@login_required
@require_GET
def gap_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.view")
    audit_read(actor=request.user, action="control.gap.list", permission="control.view")
    return render(
        request,
        "control/gaps.html",
        {
            "six_gaps": selectors.six_gaps(request.user),
            "control_gaps": selectors.key_person_list(request.user, gaps_only=True)[:200],
        },
    )
