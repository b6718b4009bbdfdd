"""Pages for the 红黑榜: this period's board, its weights, publication, and honours."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
)
from frontline.core.lists import list_node
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    path_filter,
    require_permission_or_404,
    scope_root,
    user_can,
)
from frontline.supervision import ranking, selectors, services
from frontline.supervision.forms import (
    HonourForm,
    WeightsForm,
)
from frontline.supervision.models import PeriodKind, TargetKind


@login_required
@require_GET
def ranking_board(request: HttpRequest) -> HttpResponse:
    """This period's list computed now (or as published), with formula and weights."""
    require_permission_or_404(request.user, "supervision.view")
    kind = request.GET.get("period") if request.GET.get("period") in PeriodKind.values else "week"
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    period = ranking.period_of(kind, day)
    node = scope_root(request.user, "supervision.view")
    published = (
        selectors.rankings_for(request.user)
        .filter(node=node, period_kind=period.kind, start=period.start)
        .first()
    )
    table = ranking.compute(node, period)
    step = timedelta(days=7) if kind == "week" else timedelta(days=31)
    return render(
        request,
        "supervision/ranking_board.html",
        {
            "node": node,
            "period": period,
            "rows": _display(table.rows_json()),
            "published": published,
            "formula": ranking.FORMULA,
            "tie_rule": ranking.TIE_RULE,
            "weights": _weights(table.weights),
            "can_weigh": user_can(request.user, "supervision.manage", node),
            "can_publish": user_can(request.user, "supervision.manage", node)
            and period.end < timezone.localdate()
            and published is None,
            "previous": period.start - step,
            "following": period.end + timedelta(days=1),
            "history": selectors.rankings_for(request.user)[:12],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking_weights(request: HttpRequest) -> HttpResponse:
    """The weights of the user's lists (their town's): shown, and changed from now on."""
    require_permission_or_404(request.user, "supervision.manage")
    node = scope_root(request.user, "supervision.manage")
    form = WeightsForm(request.POST or None, current=ranking.weights_for(node))
    saved = form_submit(
        request,
        form,
        lambda _data: services.ranking_weights_set(
            actor=request.user, node=node, weights=form.weights()
        ),
    )
    if saved is not None:
        messages.success(request, "权重已保存：此后计算和发布的红黑榜按新权重；已发布的不变")
        return redirect("supervision:rankings")
    return render(
        request,
        "supervision/ranking_weights.html",
        {"form": form, "node": node, "formula": ranking.FORMULA},
        status=form_status(request),
    )


def _weights(weights: dict) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        (TargetKind(kind).label, [(ranking.PARTS[part], weight) for part, weight in parts.items()])
        for kind, parts in weights.items()
    ]


def _display(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Rows grouped by kind, each with its parts as (label, value)."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        shown = dict(row, part_list=[(ranking.PARTS[k], v) for k, v in row["parts"].items()])
        grouped.setdefault(TargetKind(row["target_kind"]).label, []).append(shown)
    return list(grouped.items())


@login_required
@require_POST
def ranking_publish(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "supervision.manage")
    node = scope_root(request.user, "supervision.manage")
    kind = request.POST.get("period") if request.POST.get("period") in PeriodKind.values else "week"
    start = parse_date(request.POST.get("start") or "")
    if start is None:
        messages.error(request, "请选择周期")
        return redirect("supervision:rankings")
    published = action_submit(
        request,
        lambda: services.ranking_publish(
            actor=request.user, node=node, period_kind=kind, start=start
        ),
        "红黑榜已发布，此后不能修改",
        "未能发布：",
    )
    if published is not None:
        return redirect("supervision:ranking_detail", pk=published.pk)
    return redirect(f"{reverse('supervision:rankings')}?period={kind}&date={start}")


@login_required
@require_http_methods(["GET", "POST"])
def ranking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published list as it was frozen; honours are granted from its red list here."""
    permission = "supervision.manage" if request.method == "POST" else "supervision.view"
    published = get_visible_or_404(
        selectors.rankings_for(request.user).filter(
            node__in=nodes_visible(request.user, permission)
        ),
        pk=pk,
    )
    form = HonourForm(request.POST or None)
    if request.method == "POST":
        form_action_submit(
            request,
            form,
            lambda data: services.honour_grant(
                actor=request.user,
                kind=data["kind"],
                ranking=published,
                target_kind=form.split_target()[0],
                target_id=form.split_target()[1],
            ),
            lambda honour: f"已授予{honour.target_label}“{honour.kind.name}”",
            "未能授予：",
        )
        return redirect("supervision:ranking_detail", pk=published.pk)
    honours = selectors.honours_for(request.user).filter(ranking=published)
    return render(
        request,
        "supervision/ranking_detail.html",
        {
            "ranking": published,
            "rows": _display(published.rows),
            "honours": honours,
            "form": form,
            "red": [r for r in published.rows if r["list"] == "red"],
            "can_grant": user_can(request.user, "supervision.manage", published.node),
            "weights": _weights(published.weights),
        },
    )


@login_required
@require_GET
def honour_list(request: HttpRequest) -> HttpResponse:
    """Honours per village (a checkpoint's under its village), as counted by the figures."""
    require_permission_or_404(request.user, "supervision.view")
    until = parse_date(request.GET.get("until") or "")
    honours = selectors.honours_for(request.user)
    node = list_node(request.user, request.GET.get("node"), "supervision.view")
    if node is not None:
        honours = honours.filter(path_filter([node.path], "node__path"))
    if until:
        honours = honours.filter(granted_at__date__lte=until)
    by_node: dict[str, list] = {}
    for honour in honours.order_by("node__path", "kind_id", "target_label"):
        by_node.setdefault(honour.node.name, []).append(honour)
    return render(
        request,
        "supervision/honour_list.html",
        {"by_node": by_node.items(), "count": honours.count()},
    )
