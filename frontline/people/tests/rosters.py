"""Roster files for tests: .xlsx written cell by cell (text or number), or CSV text."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = ["姓名", "身份证号", "手机号", "村/社区", "网格", "户号", "与户主关系", "住址", "标签"]


def xlsx_make(rows: list[list], name: str = "花名册.xlsx", numbers_as_numbers: bool = False):
    """An .xlsx upload; a cell given as int/float is written as a number cell."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"strings_to_numbers": numbers_as_numbers})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
    workbook.close()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def csv_make(text: str, name: str = "花名册.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
