"""Pages for inspection groups and their rubrics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core.forms import (
    form_status,
    form_submit,
)
from frontline.core.lists import list_node
from frontline.core.models import NodeKind
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    path_filter,
    require_permission_or_404,
    user_can,
)
from frontline.supervision import selectors, services
from frontline.supervision.forms import (
    GroupForm,
    RubricForm,
)


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.view")
    groups = selectors.groups_for(request.user).select_related("node")
    # ?node=&until= (the 督察组 figure's link): the groups of that place set up by then.
    node = list_node(request.user, request.GET.get("node"), "supervision.view")
    if node is not None:
        groups = groups.filter(path_filter([node.path], "node__path"))
    until = parse_date(request.GET.get("until") or "")
    if until:
        groups = groups.filter(created_at__date__lte=until)
    return render(
        request,
        "supervision/group_list.html",
        {
            "groups": [
                (group, user_can(request.user, "supervision.manage", group.node))
                for group in groups
            ],
            "can_manage": user_can(request.user, "supervision.manage"),
            "node": node,
        },
    )


def _setup_nodes(user):
    """Where a group or a rubric may be set up: the district, towns and villages managed."""
    return nodes_visible(user, "supervision.manage").filter(
        kind__in=[NodeKind.DISTRICT, NodeKind.TOWN, NodeKind.VILLAGE], is_active=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.manage")
    form = GroupForm(
        request.POST or None,
        nodes=_setup_nodes(request.user),
        places=selectors.group_places_for(request.user),
        inspectors=selectors.inspectors_for(request.user),
    )
    group = form_submit(
        request,
        form,
        lambda data: services.group_create(
            actor=request.user,
            node=data["node"],
            name=data["name"],
            members=list(data["members"]),
            scope=list(data["scope"]),
        ),
    )
    if group is not None:
        messages.success(request, f"已建立“{group.name}”")
        return redirect("supervision:groups")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": "新建督察组", "back": "supervision:groups"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible_or_404(selectors.groups_for(request.user, "supervision.manage"), pk=pk)
    form = GroupForm(
        request.POST or None,
        initial={
            "name": group.name,
            "members": list(group.members.all()),
            "scope": list(group.scope.all()),
        },
        nodes=None,
        places=selectors.group_places_for(request.user).filter(path__startswith=group.node.path),
        inspectors=selectors.inspectors_for(request.user),
        fixed_node=True,
    )
    saved = form_submit(
        request,
        form,
        lambda data: services.group_update(
            actor=request.user,
            group=group,
            name=data["name"],
            members=list(data["members"]),
            scope=list(data["scope"]),
        ),
    )
    if saved is not None:
        messages.success(request, f"已保存“{saved.name}”")
        return redirect("supervision:groups")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": f"修改督察组 · {group.node.name}", "back": "supervision:groups"},
        status=form_status(request),
    )


@login_required
@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    """Rubrics in force (the common ones and the user's places'), and those the user manages."""
    require_permission_or_404(request.user, "supervision.view")
    managed = (
        selectors.rubrics_managed(request.user)
        if user_can(request.user, "supervision.manage")
        else []
    )
    managed_ids = {rubric.pk for rubric in managed}
    shown = {rubric.pk: rubric for rubric in selectors.rubrics_for(request.user)}
    for rubric in managed:
        shown.setdefault(rubric.pk, rubric)
    rubrics = sorted(shown.values(), key=lambda r: (r.target_kind, r.name))
    return render(
        request,
        "supervision/rubric_list.html",
        {
            "rubrics": [(rubric, rubric.pk in managed_ids) for rubric in rubrics],
            "can_manage": user_can(request.user, "supervision.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_new(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.manage")
    form = RubricForm(request.POST or None, nodes=_setup_nodes(request.user))
    rubric = form_submit(
        request,
        form,
        lambda data: services.rubric_create(
            actor=request.user,
            node=data["node"],
            target_kind=data["target_kind"],
            name=data["name"],
            items=services.rubric_items_parse(data["items"]),
        ),
    )
    if rubric is not None:
        messages.success(request, f"已建立评分表“{rubric.name}”，满分 {rubric.max_total} 分")
        return redirect("supervision:rubrics")
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": "新建评分表", "back": "supervision:rubrics"},
        status=form_status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = get_visible_or_404(selectors.rubrics_managed(request.user), pk=pk)
    lines = "\n".join(f"{item.text} {item.points}" for item in rubric.items.all())
    form = RubricForm(
        request.POST or None,
        initial={"name": rubric.name, "items": lines, "is_active": rubric.is_active},
        editing=True,
    )
    saved = form_submit(
        request,
        form,
        lambda data: services.rubric_update(
            actor=request.user,
            rubric=rubric,
            name=data["name"],
            items=services.rubric_items_parse(data["items"]),
            is_active=data["is_active"],
        ),
    )
    if saved is not None:
        messages.success(request, f"已保存评分表“{saved.name}”")
        return redirect("supervision:rubrics")
    title = f"修改评分表 · {rubric.get_target_kind_display()} · {rubric.node.name}"
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": title, "back": "supervision:rubrics"},
        status=form_status(request),
    )
