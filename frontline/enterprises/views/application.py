"""Pages of the 123456 application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
)
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.enterprises import selectors, services
from frontline.enterprises.forms import (
    AnswerForm,
    ItemForm,
)
from frontline.enterprises.models import AppState, Heading
from frontline.enterprises.views.registry import _enterprise, _int


@login_required
@require_GET
def application(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    node = enterprise.node
    app = selectors.application_of(enterprise)
    items = selectors.checklist_for(enterprise)
    rounds = selectors.answers_by_round(app) if app else {}
    current = {a.item_id: a for a in rounds.get(app.round, [])} if app else {}
    groups = [
        (label, [(item, current.get(item.pk)) for item in items if item.heading == value])
        for value, label in Heading.choices
    ]
    history = [(r, answers) for r, answers in rounds.items() if app and r != app.round]
    # Sent back: what to fix and why, first on the page (a contact on a phone should not
    # hunt through thirty items for the red lines); the round before holds the reasons.
    returned = []
    if app and app.state == AppState.RETURNED and history:
        returned = [(a.item, a.return_reason) for a in history[0][1] if a.return_reason]
    return render(
        request,
        "enterprises/application.html",
        {
            "enterprise": enterprise,
            "app": app,
            "groups": groups,
            "history": history,
            "returned": returned,
            "editable": app is not None and app.state in (AppState.DRAFT, AppState.RETURNED),
            "can_file": user_can(request.user, "enterprises.file", node),
            "can_review": user_can(request.user, "enterprises.review", node),
            "can_approve": user_can(request.user, "enterprises.approve", node),
            "States": AppState,
        },
    )


@login_required
@require_POST
def application_start(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk, "enterprises.file")
    action_submit(
        request,
        lambda: services.application_start(actor=request.user, enterprise=enterprise),
        lambda app: f"已开始复工申请（{app.get_mode_display()}）",
    )
    return redirect("enterprises:application", pk=enterprise.pk)


def _application_of(request: HttpRequest, pk: int, permission: str):
    return get_visible_or_404(selectors.applications_for(request.user, permission), pk=pk)


@login_required
@require_POST
def answer_save(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.file")
    items = {i.pk: i for i in selectors.checklist_for(app.enterprise)}
    if item_id not in items:
        raise Http404("未找到")
    form_action_submit(
        request,
        AnswerForm(request.POST, request.FILES),
        lambda data: services.answer_save(
            actor=request.user, application=app, item=items[item_id], **data
        ),
        "已保存",
    )
    return redirect(f"{_app_url(app)}#item-{item_id}")


EVIDENCE_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to those who may see the application only (404 otherwise). A PDF
    is downloaded, not opened in the page: a PDF viewer runs the file's scripts."""
    answer = get_visible_or_404(selectors.evidence_files_for(request.user), pk=pk)
    extension = answer.evidence_file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        answer.evidence_file.open("rb"),
        content_type=EVIDENCE_TYPES.get(extension, "application/octet-stream"),
        as_attachment=extension == "pdf",
        filename=f"佐证-{answer.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _app_url(app) -> str:
    from django.urls import reverse

    return reverse("enterprises:application", kwargs={"pk": app.enterprise_id})


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.file")
    action_submit(
        request,
        lambda: services.application_submit(actor=request.user, application=app),
        "已提交，等待网格审核",
        "未能提交：",
    )
    return redirect(_app_url(app))


def _per_item(request: HttpRequest, prefix: str) -> dict[int, str]:
    found = {}
    for key, value in request.POST.items():
        if key.startswith(prefix) and (item_id := _int(key.removeprefix(prefix))) is not None:
            found[item_id] = value[:200]
    return found


@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.review")
    notes = _per_item(request, "note_")
    verdicts = {
        item_id: (verdict, notes.get(item_id, ""))
        for item_id, verdict in _per_item(request, "verdict_").items()
    }
    action_submit(
        request,
        lambda: services.application_review(actor=request.user, application=app, verdicts=verdicts),
        lambda a: (
            "审核通过，已报镇审批" if a.state == AppState.REVIEWED else "有不符合项，已退回企业"
        ),
        "未能审核：",
    )
    return redirect(_app_url(app))


@login_required
@require_POST
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_to_return(request.user, pk)
    reasons = {k: v for k, v in _per_item(request, "reason_").items() if v.strip()}
    action_submit(
        request,
        lambda: services.application_return(actor=request.user, application=app, reasons=reasons),
        "已退回企业修改",
        "未能退回：",
    )
    return redirect(_app_url(app))


@login_required
@require_POST
def application_approve(request: HttpRequest, pk: int) -> HttpResponse:
    app = _application_of(request, pk, "enterprises.approve")
    action_submit(
        request,
        lambda: services.application_approve(actor=request.user, application=app),
        "已批准复工",
        "未能批准：",
    )
    return redirect(_app_url(app))


@login_required
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest) -> HttpResponse:
    """The town's checklist: items under the six fixed headings."""
    require_permission_or_404(request.user, "enterprises.manage")
    form = ItemForm(request.POST or None, nodes=nodes_visible(request.user, "enterprises.manage"))
    if form_submit(
        request, form, lambda data: services.checklist_item_create(actor=request.user, **data)
    ):
        messages.success(request, "已新增检查项")
        return redirect("enterprises:items")
    rows = selectors.items_managed_by(request.user)
    groups = [(label, [i for i in rows if i.heading == value]) for value, label in Heading.choices]
    return render(
        request,
        "enterprises/items.html",
        {"form": form, "groups": groups},
        status=form_status(request),
    )


@login_required
@require_POST
def item_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_visible_or_404(selectors.items_managed_by(request.user), pk=pk)
    action_submit(
        request,
        lambda: services.checklist_item_update(
            actor=request.user,
            item=item,
            text=item.text,
            evidence_required=item.evidence_required,
            is_active=not item.is_active,
        ),
        lambda i: "已启用" if i.is_active else "已停用",
    )
    return redirect("enterprises:items")
