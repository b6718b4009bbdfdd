"""Pages for home isolation: starting it, the six 六包一 people, release and early end."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from frontline.control import selectors, services
from frontline.control.forms import IsolationEndForm, IsolationStartForm, SixForm
from frontline.control.models import SixRole
from frontline.control.selectors import candidate_six, party_members_of
from frontline.control.views.key_persons import editable_person
from frontline.core.forms import (
    action_submit,
    form_status,
    form_submit,
)
from frontline.core.scoping import get_visible_or_404


@login_required
@require_http_methods(["GET", "POST"])
def isolation_start(request: HttpRequest, pk: int) -> HttpResponse:
    person = editable_person(request, pk)
    form = IsolationStartForm(
        request.POST or None, initial={"address": getattr(person.resident, "address", "")}
    )
    isolation = form_submit(
        request,
        form,
        lambda data: services.isolation_start(actor=request.user, key_person=person, **data),
    )
    if isolation is not None:
        messages.success(request, "已开始居家隔离。请落实六包一责任人。")
        return redirect("control:isolation_six", pk=isolation.pk)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": person,
            "title": "开始居家隔离",
            "submit": "开始隔离",
        },
        status=form_status(request),
    )


def _editable_isolation(request: HttpRequest, pk: int):
    return get_visible_or_404(selectors.isolations_for(request.user, "control.edit"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def isolation_six(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = _editable_isolation(request, pk)
    current = {
        role: (f"u{r.user_id}" if r.user_id else f"r{r.resident_id}") if r else ""
        for role, _, r in selectors.six_of(isolation)
    }
    candidates = {role.value: list(candidate_six(isolation.node, role)) for role in SixRole}
    residents = party_members_of(isolation.node)
    form = SixForm(
        request.POST or None, initial=current, candidates=candidates, residents=residents
    )
    users = {f"u{u.pk}": u for group in candidates.values() for u in group}
    members = {f"r{r.pk}": r for r in residents}

    def save(data: dict) -> bool:
        for role, picked in data.items():
            if picked != current.get(role):
                services.responsible_set(
                    actor=request.user,
                    isolation=isolation,
                    role=role,
                    user=users.get(picked),
                    resident=members.get(picked),
                )
        return True

    if form_submit(request, form, save):
        messages.success(request, "六包一责任人已保存")
        return redirect("control:key_person_detail", pk=isolation.key_person_id)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": isolation.key_person,
            "title": "六包一责任人",
            "submit": "保存",
        },
        status=form_status(request),
    )


@login_required
@require_POST
def isolation_release(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = _editable_isolation(request, pk)
    action_submit(
        request,
        lambda: services.isolation_release(actor=request.user, isolation=isolation),
        "已解除居家隔离",
        refused="不能解除：",
    )
    return redirect("control:key_person_detail", pk=isolation.key_person_id)


@login_required
@require_http_methods(["GET", "POST"])
def isolation_end(request: HttpRequest, pk: int) -> HttpResponse:
    isolation = _editable_isolation(request, pk)
    form = IsolationEndForm(request.POST or None)
    done = form_submit(
        request,
        form,
        lambda data: services.isolation_end(actor=request.user, isolation=isolation, **data),
    )
    if done is not None:
        messages.success(request, "隔离已结束，记录保留")
        return redirect("control:key_person_detail", pk=isolation.key_person_id)
    return render(
        request,
        "control/form.html",
        {
            "form": form,
            "person": isolation.key_person,
            "title": "提前结束或转运",
            "submit": "确认",
        },
        status=form_status(request),
    )
