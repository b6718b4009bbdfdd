"""Accepting a hand-over (转重点人员) as a key person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frontline.control import services
from frontline.control.forms import ReferralAcceptForm, ReferralAcceptUnidentifiedForm
from frontline.control.models import ReferralStatus
from frontline.control.selectors import (
    referrals_for,
    resident_search,
    residents_in_scope,
    search_is_personal,
)
from frontline.control.views.search import SEARCH_MAX, URL_REFUSED
from frontline.core.audit import audit_read
from frontline.core.forms import action_submit, form_status, form_submit
from frontline.core.scoping import get_visible_or_404, require_permission_or_404, user_can


@login_required
@require_http_methods(["GET", "POST"])
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a hand-over (a name from a checkpoint or screening) into a key person."""
    require_permission_or_404(request.user, "control.edit")
    referral = get_visible_or_404(referrals_for(request.user), pk=pk)
    if not user_can(request.user, "control.edit", referral.node):
        raise Http404("未找到")
    if referral.status != ReferralStatus.PENDING and referral.key_person_id:
        return redirect("control:key_person_detail", pk=referral.key_person_id)
    unidentified = ReferralAcceptUnidentifiedForm(
        request.POST if request.POST.get("no_papers") else None,
        initial={"name": "" if referral.name.startswith("姓名待补") else referral.name},
    )
    if unidentified.is_bound:
        person = form_submit(
            request,
            unidentified,
            lambda data: services.key_person_from_referral(
                actor=request.user, referral=referral, **data
            ),
        )
        if person is not None:
            messages.success(request, "已接收为重点人员。身份证号可在核实后补录。")
            return redirect("control:key_person_detail", pk=person.pk)
    form = ReferralAcceptForm(None if unidentified.is_bound else (request.POST or None))
    if request.method == "POST" and form.is_valid():
        resident = get_visible_or_404(
            residents_in_scope(request.user, "control.edit"), pk=form.cleaned_data["resident"]
        )
        person = action_submit(
            request,
            lambda: services.key_person_from_referral(
                actor=request.user,
                referral=referral,
                resident=resident,
                category=form.cleaned_data["category"],
            ),
            "已接收为重点人员。请落实四个一并安排隔离。",
        )
        if person is None:
            return redirect("control:referral_accept", pk=referral.pk)
        return redirect("control:key_person_detail", pk=person.pk)
    query = request.GET.get("q", referral.name).strip()[:SEARCH_MAX]
    if query and search_is_personal(query):
        # An ID or phone in a URL lands in logs and browser history: refuse to use it.
        messages.warning(request, URL_REFUSED)
        return redirect("control:referral_accept", pk=referral.pk)
    # The hand-over shows a temperature and an origin: every showing is recorded.
    audit_read(actor=request.user, action="control.referral.view", obj=referral)
    return render(
        request,
        "control/referral_accept.html",
        {
            "referral": referral,
            "form": form,
            "unidentified": unidentified,
            "q": query,
            "results": resident_search(request.user, query) if query else [],
        },
        status=form_status(request),
    )
