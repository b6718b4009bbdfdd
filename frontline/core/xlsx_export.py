"""Excel downloads that cannot smuggle formulas, written in constant memory (xlsxwriter)."""

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django.http import FileResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_safe(value: Any) -> Any:
    """A cell value that a spreadsheet will not run as a formula (leading spaces too)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet: str = "Sheet1"
) -> FileResponse:
    """An .xlsx download written in constant memory; every text cell is formula-safe."""
    # A temporary file, not memory: a 100,000-row export must not sit in RAM.
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it when sent
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    worksheet = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    worksheet.write_row(0, 0, list(headers), bold)
    for row_number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                worksheet.write_string(row_number, col, export_safe(value), text)
            elif value is None:
                worksheet.write_blank(row_number, col, None)
            else:
                worksheet.write(row_number, col, value)
    worksheet.set_column(0, max(len(headers) - 1, 0), 18)
    workbook.close()
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
