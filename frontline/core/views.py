"""Pages for the home screen, the jurisdiction tree, users and roles, one's own account
(password, signed-in devices) and the audit log."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core import figures, selectors, services
from frontline.core.forms import (
    AuditFilterForm,
    NodeCreateForm,
    NodeImportForm,
    NodeMoveForm,
    NodeRenameForm,
    RoleAssignForm,
    UserCreateForm,
    action_submit,
    form_status,
    form_submit,
)
from frontline.core.models import Node, NodeKind, User
from frontline.core.node_import import COLUMN_LABELS, TEMPLATE_ROWS, nodes_import
from frontline.core.paging import capped_page
from frontline.core.registry import home_cards_for, registry
from frontline.core.roles import role_label
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    roles_held,
    user_can,
)
from frontline.core.spreadsheets import UploadRejected
from frontline.core.xlsx_export import xlsx_response


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    held = roles_held(request.user)
    role_codes = list(dict.fromkeys(role for role, _ in held))
    cards = [
        {"card": card, "count": card.count(request.user) if card.count else None}
        for card in home_cards_for(role_codes)
        if card.permission is None or user_can(request.user, card.permission)
    ]
    assignments = selectors.user_roles(request.user).filter(node__is_active=True)
    return render(
        request,
        "core/home.html",
        {
            "cards": cards,
            "assignments": assignments,
            "stats": [
                (NodeKind(kind).label, count)
                for kind, count in selectors.node_counts_below(request.user).items()
                if count and kind != NodeKind.DISTRICT
            ],
            "role_labels": [role_label(code) for code in role_codes],
        },
    )


@login_required
@require_GET
def node_list(request: HttpRequest) -> HttpResponse:
    roots = list(selectors.node_roots_for(request.user))
    if len(roots) == 1:
        return redirect("core:node_detail", pk=roots[0].pk)
    return render(request, "core/node_list.html", {"roots": roots})


@login_required
@require_GET
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_visible_or_404(nodes_visible(request.user), pk=pk)
    return render(
        request,
        "core/node_detail.html",
        {
            "node": node,
            "children": selectors.node_children(node),
            "breadcrumbs": selectors.node_breadcrumbs(node, request.user),
            "can_manage": user_can(request.user, "nodes.manage", node),
        },
    )


@login_required
@require_GET
def node_below(request: HttpRequest, pk: int) -> HttpResponse:
    """The places of one kind under a node (?kind=village|enterprise|enterprise_grid): the
    rows the dashboard's 村/社区, 企业 and 企业网格 figures count there."""
    node = get_visible_or_404(nodes_visible(request.user), pk=pk)
    kind = request.GET.get("kind") or "village"
    if kind not in figures.PLACES:
        raise Http404("未找到")
    rows = figures.places_below(node, kind).select_related("parent").order_by("path")
    return render(
        request,
        "core/node_below.html",
        {
            "node": node,
            "label": figures.PLACES[kind],
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        },
    )


def _managed_node(request: HttpRequest, pk: int) -> Node:
    return get_visible_or_404(nodes_visible(request.user, "nodes.manage"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def node_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _managed_node(request, pk)
    form = NodeCreateForm(request.POST or None, parent=parent)
    node = form_submit(
        request, form, lambda data: services.node_create(actor=request.user, parent=parent, **data)
    )
    if node is not None:
        messages.success(request, f"已新建“{node.name}”")
        return redirect("core:node_detail", pk=parent.pk)
    return render(
        request,
        "core/node_form.html",
        {"form": form, "node": parent, "title": f"在“{parent.name}”下新建"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_rename(request: HttpRequest, pk: int) -> HttpResponse:
    node = _managed_node(request, pk)
    form = NodeRenameForm(request.POST or None, initial={"name": node.name})
    renamed = form_submit(
        request, form, lambda data: services.node_rename(actor=request.user, node=node, **data)
    )
    if renamed is not None:
        messages.success(request, "已改名")
        return redirect("core:node_detail", pk=node.pk)
    return render(
        request,
        "core/node_form.html",
        {"form": form, "node": node, "title": f"改名：{node.name}"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_move(request: HttpRequest, pk: int) -> HttpResponse:
    node = _managed_node(request, pk)
    candidates = nodes_visible(request.user, "nodes.manage").filter(is_active=True)
    form = NodeMoveForm(request.POST or None, node=node, candidates=candidates)
    moved = form_submit(
        request,
        form,
        lambda data: services.node_move(actor=request.user, node=node, new_parent=data["parent"]),
    )
    if moved is not None:
        messages.success(request, f"已将“{node.name}”移到“{moved.parent.name}”之下")
        return redirect("core:node_detail", pk=node.pk)
    return render(
        request,
        "core/node_form.html",
        {"form": form, "node": node, "title": f"移动：{node.name}"},
        status=form_status(request),
    )


@login_required
@require_POST
def node_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    node = _managed_node(request, pk)
    active = request.POST.get("active") == "1"
    services.node_set_active(actor=request.user, node=node, active=active)
    messages.success(request, f"已{'启用' if active else '停用'}“{node.name}”及其下级")
    return redirect("core:node_detail", pk=node.pk)


@login_required
@require_http_methods(["GET", "POST"])
def node_import(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "nodes.manage")
    form = NodeImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = nodes_import(actor=request.user, upload=form.cleaned_data["file"])
        except UploadRejected as rejected:
            form.add_error("file", str(rejected))
            status = rejected.status
        else:
            if result.errors:
                status = 422
            else:
                messages.success(
                    request, f"导入完成：新建 {result.created} 个，已存在 {result.unchanged} 个"
                )
                return redirect("core:node_list")
    elif request.method == "POST":
        status = 422
    return render(request, "core/node_import.html", {"form": form, "result": result}, status=status)


@login_required
@require_GET
def node_import_template(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "nodes.manage")
    return xlsx_response("辖区导入模板.xlsx", list(COLUMN_LABELS.values()), TEMPLATE_ROWS)


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "users.manage")
    users = selectors.users_manageable_by(request.user).prefetch_related("roles__node")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(request, "core/user_list.html", {"page": page, "q": query})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "users.manage")
    nodes = nodes_visible(request.user, "users.manage")
    form = UserCreateForm(request.POST or None, nodes=nodes)
    user = form_submit(request, form, lambda data: services.user_create(actor=request.user, **data))
    if user is not None:
        messages.success(request, f"已开通账号 {user.username}")
        return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form}, status=form_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_visible_or_404(selectors.users_manageable_by(request.user), pk=pk)
    form = RoleAssignForm(request.POST or None, nodes=nodes_visible(request.user, "users.manage"))
    assigned = form_submit(
        request, form, lambda data: services.role_assign(actor=request.user, user=subject, **data)
    )
    if assigned is not None:
        messages.success(request, "已分配角色")
        return redirect("core:user_detail", pk=subject.pk)
    return render(
        request,
        "core/user_detail.html",
        {
            "subject": subject,
            "roles": selectors.user_roles(subject),
            "form": form,
        },
        status=form_status(request),
    )


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(selectors.role_assignments_manageable_by(request.user), pk=pk)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, "已收回角色")
    return redirect("core:user_detail", pk=assignment.user_id)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    subject: User = get_visible_or_404(selectors.users_manageable_by(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    action_submit(
        request,
        lambda: services.user_set_active(actor=request.user, user=subject, active=active),
        f"已{'启用' if active else '停用'}账号 {subject.username}",
    )
    return redirect("core:user_detail", pk=subject.pk)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/account.html",
        {
            "assignments": selectors.user_roles(request.user).filter(node__is_active=True),
            "tokens": selectors.api_tokens_of(request.user),
            "idle_hours": settings.API_TOKEN_IDLE_SECONDS // 3600,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)

    def save(data: dict) -> User:
        user = services.user_password_change(user=request.user, password=data["new_password1"])
        # This session stays; every other one ends with the old password's hash.
        update_session_auth_hash(request, user)
        return user

    if form_submit(request, form, save) is not None:
        messages.success(request, "密码已修改；其他设备上的登录和接口令牌都已失效")
        return redirect("core:account")
    return render(request, "core/password_change.html", {"form": form}, status=form_status(request))


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_visible_or_404(selectors.api_tokens_of(request.user), pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"已注销“{token.label or '未命名设备'}”的令牌，该设备需重新登录")
    return redirect("core:account")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_sign_out_everywhere(user=request.user)
    logout(request)
    messages.info(request, "已在所有设备上退出，请重新登录。")
    return redirect("login")


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events_for(request.user, **{k: v for k, v in filters.items() if v})
    # The fastest-growing table: a page never counts it whole.
    page = capped_page(events, request.GET.get("page"), per_page=50)
    return render(
        request,
        "core/audit_list.html",
        {"form": form, "page": page, "actions": sorted(registry().audit_actions.items())},
    )
