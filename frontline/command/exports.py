"""The battle report's downloads: the figures table per node and day (Excel) and the
prose report as PDF with the CJK font embedded, so it prints the same anywhere."""

import logging
from datetime import date
from io import BytesIO

from django.http import FileResponse, HttpResponse
from fpdf import FPDF
from pylopdf_fonts_zh_cn import sans_path

from frontline.command.report import BattleReport, number_text
from frontline.command.rollups import NOW, daily_values, days_of, number
from frontline.command.selectors import figures_visible
from frontline.core.models import Node, User
from frontline.core.scoping import nodes_visible
from frontline.core.xlsx_export import xlsx_response

# fontTools logs every glyph it keeps at INFO: a PDF would write hundreds of lines.
logging.getLogger("fontTools").setLevel(logging.WARNING)

# The table lists every day of the span for the node and each child: a month for a town
# of 24 villages is ~750 rows; longer spans are refused so one click cannot count a year.
EXPORT_MAX_DAYS = 62


def figures_workbook(user: User, node: Node, start: date, end: date) -> FileResponse:
    """One row per day and node (the node itself, then its children), one column per
    figure the user may read; values from the daily rollups."""
    # A day's row holds what was counted that day; what waits "now" has no past days.
    figures = [f for f in figures_visible(user, node) if f.kind != NOW]
    children = list(
        nodes_visible(user, "command.view").filter(parent=node, is_active=True).order_by("name")
    )
    days = days_of(start, end)
    headers = ["日期", "单位"] + [f"{f.label}（{f.unit}）" if f.unit else f.label for f in figures]

    def rows():
        for place in [node, *children]:
            daily = daily_values(place, figures, days)
            for day in days:
                values = [number(f, daily[(f.key, day)]) for f in figures]
                yield [day.isoformat(), place.name, *values]

    return xlsx_response(
        f"battle-figures-{start.isoformat()}-{end.isoformat()}.xlsx", headers, rows(), "指标"
    )


def report_pdf(report: BattleReport) -> HttpResponse:
    """The report as an A4 PDF; Noto Sans SC (SIL OFL, from the project's own install)
    is embedded as a subset, so the text is searchable and needs no font on the reader."""
    pdf = FPDF(format="A4")
    pdf.set_title(report.title)
    pdf.set_creator("战疫一线")
    pdf.add_font("noto", fname=str(sans_path()))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("noto", size=18)
    pdf.multi_cell(0, 10, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=11)
    pdf.multi_cell(0, 7, f"（{report.period}）", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for paragraph in report.paragraphs:
        pdf.set_font("noto", size=14)
        pdf.multi_cell(0, 9, paragraph.section, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("noto", size=12)
        pdf.multi_cell(0, 8, paragraph.text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    if not report.paragraphs:
        pdf.multi_cell(0, 8, "本期暂无可报告的数字。", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("noto", size=12)
    pdf.multi_cell(0, 8, "附：主要指标", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=10)
    for figure in report.figures:
        line = f"{figure.label}：{number_text(figure.value)}{figure.unit}"
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    buffer = BytesIO(bytes(pdf.output()))
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"battle-report-{report.start.isoformat()}-{report.end.isoformat()}.pdf",
        content_type="application/pdf",
    )
