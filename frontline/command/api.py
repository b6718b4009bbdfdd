"""API of the command app: the figures of a node over a span, and the battle report
(JSON, Excel, PDF). Published at /api/v1/figures and /api/v1/reports/battle…"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from frontline.command import exports, selectors
from frontline.command.forms import span_check
from frontline.command.report import battle_report
from frontline.core.audit import audit_record
from frontline.core.limits import Id
from frontline.core.scoping import require_permission_or_404

router = Router(tags=["指挥看板"])


class SpanQuery(Schema):
    """`?node=&from=&to=`: a node (default: the caller's outermost) and days (default today)."""

    node: Id | None = Field(None, ge=1)
    # `from` is a Python keyword: the query string's names are aliases.
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


def _span(request: HttpRequest, span: SpanQuery):
    require_permission_or_404(request.user, selectors.VIEW)
    end = span.end or timezone.localdate()
    start = span.start or end
    node = span.node
    problems = span_check(start, end)
    if problems:
        raise ValidationError({field: message for field, message in problems})
    return selectors.command_node(request.user, node), start, end


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    # A whole number, or a decimal string with two places for money and tonnes.
    value: int | str
    url: str | None


class NodeOut(Schema):
    id: int
    name: str


class FiguresOut(Schema):
    node: NodeOut
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    figures: list[FigureOut]


def _figures_out(values: list[selectors.FigureValue]) -> list[dict]:
    return [
        {
            "key": v.key,
            "label": v.label,
            "unit": v.unit,
            "value": str(v.value) if isinstance(v.value, Decimal) else v.value,
            "url": v.url,
        }
        for v in values
    ]


@router.get("/figures", response=FiguresOut, by_alias=True)
def figures(request: HttpRequest, span: Query[SpanQuery]):
    """Every figure the caller may read for a node's subtree over from…to (default today);
    a capability that has not landed has no key here. `start`/`end` answer as from/to."""
    place, start, end = _span(request, span)
    return {
        "node": place,
        "from": start,
        "to": end,
        "figures": _figures_out(selectors.figure_values(request.user, place, start, end)),
    }


class BattleOut(Schema):
    title: str
    period: str
    paragraphs: list[str]
    figures: list[FigureOut]


@router.get("/reports/battle", response=BattleOut)
def battle(request: HttpRequest, span: Query[SpanQuery]):
    """The battle report as text paragraphs (each opening with its section), and its figures."""
    place, start, end = _span(request, span)
    report = battle_report(request.user, place, start, end)
    return {
        "title": report.title,
        "period": report.period,
        "paragraphs": [f"{p.section}：{p.text}" for p in report.paragraphs],
        "figures": _figures_out(report.figures),
    }


@router.get("/reports/battle.xlsx")
def battle_xlsx(request: HttpRequest, span: Query[SpanQuery]):
    """The figures table per node and day (at most the last 62 days of the span)."""
    place, start, end = _span(request, span)
    start = max(start, end - timedelta(days=exports.EXPORT_MAX_DAYS - 1))
    audit_record(actor=request.user, action="command.report.export_xlsx", node=place)
    return exports.figures_workbook(request.user, place, start, end)


@router.get("/reports/battle.pdf")
def battle_pdf(request: HttpRequest, span: Query[SpanQuery]):
    """The prose report as PDF with its CJK font embedded."""
    place, start, end = _span(request, span)
    audit_record(actor=request.user, action="command.report.export_pdf", node=place)
    return exports.report_pdf(battle_report(request.user, place, start, end))
