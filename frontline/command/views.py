"""Pages of the command app: the dashboard (指挥看板), the big screen (指挥大屏), the
battle report (战报) with its downloads, and the town's wording of the report."""

from collections import OrderedDict
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from frontline.command import exports, selectors, services
from frontline.command.forms import SpanForm, WordingForm, quick_spans
from frontline.command.report import SENTENCES, battle_report
from frontline.core.audit import audit_record
from frontline.core.forms import form_status, form_submit
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_or_404, user_can

# Rows of the children's table that fit a 1080-pixel-high screen under the figures.
SCREEN_CHILDREN = 8
# The trend spans a leader can switch between (?trend=30); 14 days unless asked.
TREND_DAYS = (14, 30)


def _span(request: HttpRequest) -> tuple[Node, object, object, SpanForm]:
    """The node and days a page is asked for; a node outside the user's scope is 404,
    a bad date falls back to today with the form's Chinese message shown."""
    require_permission_or_404(request.user, selectors.VIEW)
    form = SpanForm(request.GET)
    today = timezone.localdate()
    if "node" in form.errors:
        raise Http404("未找到")
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    else:
        start = end = today
    node = selectors.command_node(request.user, form.cleaned_data.get("node"))
    return node, start, end, form


def _grouped(values: list[selectors.FigureValue]) -> OrderedDict:
    groups: OrderedDict[str, list] = OrderedDict()
    for value in values:
        label = apps.get_app_config(value.app).verbose_name if value.app else ""
        groups.setdefault(label, []).append(value)
    return groups


def _trend_days(request: HttpRequest) -> int:
    asked = request.GET.get("trend", "")
    return int(asked) if asked in {str(days) for days in TREND_DAYS} else TREND_DAYS[0]


def _dashboard_context(user: User, node: Node, start, end, trend_days: int = 14) -> dict:
    values = selectors.figure_values(user, node, start, end)
    child_figures, child_rows = selectors.children_rows(user, node, start, end)
    return {
        "node": node,
        "start": start,
        "end": end,
        "is_today": start == end == timezone.localdate(),
        "groups": _grouped(values),
        "attention": [v for v in values if v.attention and v.value],
        "child_figures": child_figures,
        "child_rows": child_rows,
        "trends": [
            (figure, points, max((v for _, v in points), default=0))
            for figure, points in selectors.trends(user, node, trend_days)
        ],
        "trend_days": trend_days,
        "trend_choices": TREND_DAYS,
        "breadcrumbs": selectors.breadcrumbs(user, node),
        "quick_spans": quick_spans(timezone.localdate()),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    node, start, end, form = _span(request)
    context = _dashboard_context(request.user, node, start, end, _trend_days(request))
    context["form"] = form
    return render(request, "command/dashboard.html", context)


@login_required
@require_GET
def big_screen(request: HttpRequest) -> HttpResponse:
    node, start, end, _ = _span(request)
    context = _dashboard_context(request.user, node, start, end, _trend_days(request))
    context["now"] = timezone.localtime()
    # A command-room screen does not scroll: the busiest children first, as many as fit.
    busiest = sorted(context["child_rows"], key=lambda row: row[1], reverse=True)
    context["child_rows"] = busiest[:SCREEN_CHILDREN]
    return render(request, "command/screen.html", context)


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    node, start, end, form = _span(request)
    return render(
        request,
        "command/report.html",
        {
            "report": battle_report(request.user, node, start, end),
            "form": form,
            "quick_spans": quick_spans(timezone.localdate()),
            "can_word": user_can(request.user, services.MANAGE, node),
        },
    )


def _export_span(request: HttpRequest):
    node, start, end, form = _span(request)
    if not form.is_valid():
        raise Http404("未找到")
    if (end - start).days + 1 > exports.EXPORT_MAX_DAYS:
        start = end - timedelta(days=exports.EXPORT_MAX_DAYS - 1)
    return node, start, end


@login_required
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    node, start, end = _export_span(request)
    audit_record(actor=request.user, action="command.report.export_xlsx", node=node)
    return exports.figures_workbook(request.user, node, start, end)


@login_required
@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    node, start, end, _ = _span(request)
    audit_record(actor=request.user, action="command.report.export_pdf", node=node)
    return exports.report_pdf(battle_report(request.user, node, start, end))


@login_required
@require_http_methods(["GET", "POST"])
def wording(request: HttpRequest) -> HttpResponse:
    node, start, end, _ = _span(request)
    if not user_can(request.user, services.MANAGE, node):
        raise Http404("未找到")
    form = WordingForm(request.POST or None)
    saved = form_submit(
        request,
        form,
        lambda data: (
            services.wording_save(
                actor=request.user, node=node, sentence=data["sentence"], text=data["text"]
            )
            or True
        ),
    )
    if saved:
        return redirect(f"{request.path}?node={node.pk}")
    current = selectors.wordings_of(node)
    rows = [
        {
            "sentence": sentence,
            "current": current.get(sentence.id, ""),
            "refused": form if form.data.get("sentence") == sentence.id else None,
        }
        for sentence in SENTENCES
    ]
    return render(
        request,
        "command/wording.html",
        {
            "node": node,
            "rows": rows,
            "report": battle_report(request.user, node, start, end),
        },
        status=form_status(request) if form.is_bound else 200,
    )
