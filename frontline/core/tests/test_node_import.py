"""Importing the tree from Excel: all rows or none, row-numbered errors in Chinese."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frontline.core.models import Node


def xlsx(rows) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return SimpleUploadedFile("tree.xlsx", buffer.getvalue())


HEADER = ["上级路径", "名称", "类型"]


def test_it_imports_a_village_and_its_grids(world, login):
    upload = xlsx(
        [
            ["赣榆经济开发区辖区导入"],  # a title row above the header
            HEADER,
            ["赣榆区/赣榆经济开发区", "大沙村", "村"],
            ["赣榆区/赣榆经济开发区/大沙村", "第一网格", "网格"],
            ["赣榆区/赣榆经济开发区", "三店村", "村"],  # exists: unchanged
        ]
    )
    response = login(world.admin).post(reverse("core:node_import"), {"file": upload})
    assert response.status_code == 302
    village = Node.objects.get(name="大沙村")
    assert village.children.get().name == "第一网格"


def test_one_bad_row_writes_nothing_and_names_row_and_column(world, login):
    before = Node.objects.count()
    upload = xlsx(
        [
            HEADER,
            ["赣榆区/赣榆经济开发区", "大沙村", "村"],
            ["赣榆区/赣榆经济开发区", "小沙村", "乡村"],
        ]
    )
    response = login(world.admin).post(reverse("core:node_import"), {"file": upload})
    assert response.status_code == 422
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "类型")]
    assert "无法识别" in response.content.decode()
    assert Node.objects.count() == before


def test_a_row_outside_the_admins_village_is_an_error(world, login):
    upload = xlsx([HEADER, ["赣榆区/赣榆经济开发区/郑园村", "第九网格", "网格"]])
    response = login(world.admin_sandian).post(reverse("core:node_import"), {"file": upload})
    assert response.status_code == 422
    assert response.context["result"].errors[0].column == "上级路径"
    assert not Node.objects.filter(name="第九网格").exists()


def test_a_file_without_the_columns_is_refused_before_any_row(world, login):
    upload = xlsx([["姓名", "电话"], ["张三", "138"]])
    response = login(world.admin).post(reverse("core:node_import"), {"file": upload})
    assert response.status_code == 400
    assert "找不到必需的列" in response.content.decode()


def test_an_old_xls_file_is_refused_by_content(world, login):
    upload = SimpleUploadedFile("tree.xlsx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    response = login(world.admin).post(reverse("core:node_import"), {"file": upload})
    assert "另存为 .xlsx" in response.content.decode()


def test_the_template_downloads_as_xlsx(world, login):
    response = login(world.admin).get(reverse("core:node_import_template"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_a_cadre_has_no_import_page(world, login):
    assert login(world.cadre_sandian).get(reverse("core:node_import")).status_code == 404


def test_the_streamed_reader_reads_what_calamine_reads(monkeypatch):
    """Big sheets with many shared strings are streamed instead of read in parts: the rows
    must be the same."""
    import io

    import xlsxwriter

    from frontline.core import spreadsheets

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)  # shared strings, as Excel writes them
    sheet = workbook.add_worksheet()
    sheet.write_string(2, 0, "标题")
    sheet.write_row(3, 0, ["姓名", "身份证号码", "电话"])
    sheet.write_row(4, 0, ["王芳", "32072119850615002X"])
    sheet.write_number(4, 2, 13800138000)
    sheet.write_string(7, 0, "李强")
    sheet.write_number(7, 1, 320721198506150021)
    sheet.write_boolean(8, 2, True)
    workbook.close()

    def rows(stream_above: int) -> list[list]:
        monkeypatch.setattr(spreadsheets, "XLSX_STREAM_STRINGS_ABOVE", stream_above)
        buffer.seek(0)
        read = list(spreadsheets.upload_open(buffer).rows)
        while read and not any(c not in ("", None) for c in read[-1]):
            read.pop()
        return [[c for c in row] for row in read]

    def trimmed(table):
        return [
            list(row[: max((i + 1 for i, c in enumerate(row) if c != ""), default=0)])
            for row in table
        ]

    loaded, streamed = trimmed(rows(10**9)), trimmed(rows(0))
    assert streamed == loaded
    assert streamed[3] == ["姓名", "身份证号码", "电话"]
    assert streamed[7][1] == 320721198506150021.0
