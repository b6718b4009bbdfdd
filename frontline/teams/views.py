"""Pages for teams: the list by kind, a team with members, vehicles and activity, the
activity log form, volunteers and their hours."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.checkpoints import public as checkpoints
from frontline.core.forms import form_action_submit, form_status, form_submit, idempotency_key_new
from frontline.core.lists import list_node, list_span
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.people import public as people
from frontline.teams import selectors, services
from frontline.teams.forms import ActivityForm, KindForm, MemberAddForm, TeamForm, VehicleForm
from frontline.teams.models import Team

WEEK = 6
# A whole ID or phone in a URL lands in server logs and browser history (SECURITY 9).


def _node(request: HttpRequest):
    return list_node(request.user, request.GET.get("node"), "teams.view")


def _team(request: HttpRequest, pk: int, permission: str = "teams.view") -> Team:
    return get_visible_or_404(selectors.teams_for(request.user, permission), pk=pk)


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "teams.view")
    node = _node(request)
    kinds = list(selectors.kinds_all())
    code = request.GET.get("kind") if request.GET.get("kind") in {k.code for k in kinds} else None
    qs = selectors.under(selectors.teams_for(request.user), node, "node__path")
    teams = list(selectors.team_rows(qs, code).order_by("node__path", "kind__sort_order", "name"))
    start, end = list_span(request, WEEK)
    return render(
        request,
        "teams/team_list.html",
        {
            "teams": teams,
            "summary": selectors.kind_summary(qs, start, end),
            "span": (start, end),
            "kinds": kinds,
            "code": code,
            "node": node,
            "can_manage": user_can(request.user, "teams.manage"),
            "can_kinds": user_can(request.user, "teams.kinds"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "teams.manage")
    form = TeamForm(
        request.POST or None,
        nodes=nodes_visible(request.user, "teams.manage"),
        kinds=selectors.kinds_all(),
    )
    team = form_submit(request, form, lambda data: services.team_create(actor=request.user, **data))
    if team is not None:
        messages.success(request, f"已组建“{team.name}”")
        return redirect("teams:detail", pk=team.pk)
    return _form_page(request, form, "组建队伍", None)


def _form_page(request, form, title: str, team: Team | None, submit: str = "保存", key: str = ""):
    return render(
        request,
        "teams/form.html",
        {"form": form, "title": title, "team": team, "submit": submit, "idempotency_key": key},
        status=form_status(request),
    )


@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    can_manage = user_can(request.user, "teams.manage", team.node)
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "members": selectors.team_members(team),
            "vehicles": list(team.vehicles.all()),
            "activities": selectors.team_activities(team),
            "can_manage": can_manage,
            "can_log": services.can_log(request.user, team),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, "teams.manage")
    if people.personal_query_dropped(request):
        return redirect("teams:member_add", pk=team.pk)
    q = (request.GET.get("q") or "").strip()
    form = MemberAddForm(
        request.POST or None,
        residents=people.residents_for(request.user, "teams.manage"),
        users=selectors.users_for(request.user, "teams.manage"),
    )
    member = form_submit(
        request, form, lambda data: services.member_add(actor=request.user, team=team, **data)
    )
    if member is not None:
        messages.success(request, f"{member.display_name} 已加入{team.name}")
        return redirect("teams:detail", pk=team.pk)
    found = people.resident_find(request.user, q, permission="teams.manage") if q else []
    return render(
        request,
        "teams/member_add.html",
        {
            "team": team,
            "form": form,
            "q": q,
            "found": [people.resident_masked(r) for r in found],
            "users": list(form.fields["user"].queryset[:200]),
        },
        status=form_status(request),
    )


@login_required
@require_POST
def vehicle_add(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, "teams.manage")
    form_action_submit(
        request,
        VehicleForm(request.POST),
        lambda data: services.vehicle_add(actor=request.user, team=team, **data),
        lambda vehicle: f"已登记车辆 {vehicle.plate}",
        refused="车辆未登记：",
    )
    return redirect("teams:detail", pk=team.pk)


@login_required
@require_http_methods(["GET", "POST"])
def activity_log(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk, "teams.log")
    if not services.can_log(request.user, team):
        # The team is one the user may see; the service refuses the same, this says why.
        messages.error(request, services.LOG_REFUSED)
        return redirect("teams:detail", pk=team.pk)
    today = timezone.localdate()
    form = ActivityForm(
        request.POST or None,
        members=team.members.select_related("user", "resident"),
        # Checkpoint duty links a shift of the last week at the team's checkpoints.
        shifts=checkpoints.shifts_under(team.node, today - timedelta(days=WEEK), today),
        initial={"day": today.isoformat()},
    )
    # A double tap or a resend from a phone stores one activity (the key is the page's).
    key = request.POST.get("idempotency_key") or idempotency_key_new()
    done = form_submit(
        request,
        form,
        lambda data: services.activity_log(
            actor=request.user,
            team=team,
            participants=list(data.pop("participants")),
            idempotency_key=key,
            **data,
        ),
    )
    if done is not None:
        messages.success(request, f"已登记{done[0].get_kind_display()}，{done[0].hours} 小时")
        return redirect("teams:detail", pk=team.pk)
    return _form_page(request, form, f"登记活动：{team.name}", team, "登记", key)


@login_required
@require_GET
def volunteer_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "teams.view")
    node = _node(request)
    start, end = list_span(request, WEEK)
    members = selectors.under(selectors.members_for(request.user), node, "team__node__path")
    rows = selectors.volunteer_rows(members, start, end)
    return render(
        request,
        "teams/volunteer_list.html",
        {
            "rows": rows[:500],
            "count": len(rows),
            # The same rows the list shows, added up (no second pass over the span).
            "hours": sum((r.hours for r in rows), Decimal(0)),
            "node": node,
            "span": (start, end),
        },
    )


def _person(request: HttpRequest, **person) -> HttpResponse:
    require_permission_or_404(request.user, "teams.view")
    memberships = selectors.person_memberships(selectors.members_for(request.user), **person)
    if not memberships:
        raise Http404("未找到")
    activities = selectors.person_activities(memberships)
    return render(
        request,
        "teams/volunteer_detail.html",
        {
            "name": memberships[0].display_name,
            "memberships": memberships,
            "activities": activities,
            # Every outing of every team the person is in, not only the ones listed.
            "hours": selectors.hours_total(
                selectors.members_for(request.user).filter(**person),
                date(2000, 1, 1),
                timezone.localdate(),
                person,
            ),
        },
    )


@login_required
@require_GET
def volunteer_resident(request: HttpRequest, pk: int) -> HttpResponse:
    return _person(request, resident_id=pk)


@login_required
@require_GET
def volunteer_user(request: HttpRequest, pk: int) -> HttpResponse:
    return _person(request, user_id=pk)


@login_required
@require_http_methods(["GET", "POST"])
def kind_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "teams.kinds")
    form = KindForm(request.POST or None)
    kind = form_submit(request, form, lambda data: services.kind_create(actor=request.user, **data))
    if kind is not None:
        messages.success(request, f"已新增队伍类型“{kind.name}”")
        return redirect("teams:kinds")
    return render(
        request,
        "teams/kinds.html",
        {"form": form, "kinds": list(selectors.kinds_all())},
        status=form_status(request),
    )
