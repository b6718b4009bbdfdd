"""Roster import: messy files, row errors in Chinese, preview, all-or-nothing commit
(SECURITY 10-14, 17-22)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from frontline.core import spreadsheets
from frontline.core.blobs import blob_read, blob_write
from frontline.core.models import AuditEvent
from frontline.core.personal_data import id_number_parse
from frontline.core.spreadsheets import UploadRejected
from frontline.core.staged_import import sealed
from frontline.core.staged_import.models import ImportStatus, StagedImport
from frontline.people import imports
from frontline.people.imports import RosterImporter
from frontline.people.models import Household, Resident
from frontline.people.tests.factories import id_number_next, resident_make
from frontline.people.tests.rosters import HEADERS, csv_make, xlsx_make


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _row(name="王芳", id_number=None, phone="13800138000", village="三店村", grid="第一网格"):
    return [
        name,
        id_number or id_number_next(),
        phone,
        village,
        grid,
        "A-1",
        "户主",
        "一组",
        "党员",
    ]


def _preview(world, rows, user=None, **kwargs):
    return imports.roster_preview(
        actor=user or world.cadre_sandian, upload=xlsx_make(rows, **kwargs)
    )


def _errors(roster):
    return [(e["row"], e["column"], e["message"]) for e in roster.errors]


def test_the_template_has_the_columns_and_an_example_row(world, login):
    response = login(world.cadre_sandian).get(reverse("people:import_template"))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["姓名", "身份证号", "手机号"]
    assert rows[1][0] == "张秀兰"


def test_a_clean_roster_previews_then_commits_in_one_go_with_one_audit_event(world):
    rows = [HEADERS, _row(), _row(name="李强"), _row(name="李娜", grid="")]
    roster = _preview(world, rows)
    assert (roster.new_count, roster.updated_count, roster.bad_count) == (3, 0, 0)
    assert Resident.objects.count() == 0  # nothing before confirmation

    imports.roster_commit(actor=world.cadre_sandian, roster=roster)
    assert Resident.objects.count() == 3
    li_na = Resident.objects.get(name="李娜")
    assert li_na.node == world.sandian
    assert li_na.phone == "+8613800138000"
    assert [t.name for t in li_na.tags.all()] == ["党员"]
    assert Household.objects.get().members.count() == 3
    for resident in Resident.objects.all():  # birth date and gender as the ID says
        parsed = id_number_parse(resident.id_number)
        assert (resident.birth_date, resident.gender) == (parsed.birth_date, parsed.gender)
    events = AuditEvent.objects.filter(action__startswith="people.")
    assert [e.action for e in events] == ["people.roster.import"]
    roster.refresh_from_db()
    assert roster.status == ImportStatus.COMMITTED and bytes(roster.payload) == b""


def test_the_same_roster_again_is_unchanged_and_a_new_phone_is_an_update(world):
    id_number = id_number_next()
    imports.roster_commit(
        actor=world.cadre_sandian, roster=_preview(world, [HEADERS, _row(id_number=id_number)])
    )
    again = _preview(world, [HEADERS, _row(id_number=id_number)])
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    changed = _preview(world, [HEADERS, _row(id_number=id_number, phone="13900139000")])
    assert changed.updated_count == 1
    imports.roster_commit(actor=world.cadre_sandian, roster=changed)
    assert Resident.objects.get().phone == "+8613900139000"


def test_a_blank_cell_never_clears_what_is_stored(world):
    id_number = id_number_next()
    imports.roster_commit(
        actor=world.cadre_sandian, roster=_preview(world, [HEADERS, _row(id_number=id_number)])
    )
    blank = _preview(world, [HEADERS, _row(id_number=id_number, phone="")])
    assert blank.unchanged_count == 1


def test_a_messy_roster_with_title_two_line_header_variants_and_full_width_is_read(world):
    id_number = id_number_next()
    rows = [
        ["三店村人员花名册（2020年2月）"],
        ["基本信息", None, None, "联系方式"],
        ["姓 名", "公民身份\n号码", "性别", "联系电话", "村（社区）", "所属网格", "备注"],
        [
            " 王 芳 ",
            _full_width(id_number[:6]) + " " + id_number[6:].lower(),
            "女",
            "+86 138-0013-8000",
            " 三店村 ",
            "第一网格",
            "  ",
        ],
        [],
        [None, None, None],
        ["赵\u200b刚", id_number_next(), "男", _full_width("13900139000"), "三店村", "", ""],
    ]
    roster = _preview(world, rows)
    assert roster.errors == []
    assert roster.new_count == 2 and roster.total_rows == 2
    imports.roster_commit(actor=world.cadre_sandian, roster=roster)
    wang = Resident.objects.get(name="王芳")
    assert wang.id_number == id_number.upper()
    assert Resident.objects.filter(name="赵刚").exists()


def test_an_id_stored_as_a_number_is_rejected_and_told_to_format_as_text(world):
    roster = _preview(world, [HEADERS, ["王芳", 320721198506150021, "", "三店村"]])
    assert roster.bad_count == 1
    ((row, column, message),) = _errors(roster)
    assert (row, column) == (2, "身份证号")
    assert "文本" in message and "数字" in message


def test_an_id_in_scientific_notation_in_a_csv_is_rejected_the_same_way(world):
    upload = csv_make("姓名,身份证号,村\n王芳,3.20721E+17,三店村\n")
    roster = imports.roster_preview(actor=world.cadre_sandian, upload=upload)
    assert "文本" in roster.errors[0]["message"]


def test_the_same_id_twice_in_one_file_names_the_first_row(world):
    id_number = id_number_next()
    roster = _preview(world, [HEADERS, _row(id_number=id_number), _row(id_number=id_number)])
    assert _errors(roster) == [(3, "身份证号", "与第 2 行的身份证号重复（同一人只能一行）")]


def test_the_same_person_in_another_spelling_is_still_a_duplicate(world):
    id_number = id_number_next()
    spaced = f"{id_number[:6]}-{id_number[6:14]} {id_number[14:]}"
    roster = _preview(world, [HEADERS, _row(id_number=id_number), _row(id_number=spaced)])
    assert roster.bad_count == 1


def test_a_person_registered_in_another_village_is_an_error_not_a_move(world):
    id_number = id_number_next()
    resident_make(world.zhengyuan, id_number=id_number)
    roster = _preview(world, [HEADERS, _row(id_number=id_number)])
    assert roster.bad_count == 1
    assert "其他辖区" in roster.errors[0]["message"]


def test_a_village_not_in_the_tree_names_the_closest_match(world):
    roster = _preview(world, [HEADERS, _row(village="三店", grid="")])
    assert _errors(roster) == [(2, "村/社区", "没有叫“三店”的村/社区，最接近的是“三店村”")]


def test_a_grid_not_in_the_village_names_the_closest_match(world):
    roster = _preview(world, [HEADERS, _row(grid="第1网格")])
    assert roster.errors[0]["column"] == "网格"
    assert "第一网格" in roster.errors[0]["message"]


def test_a_row_for_another_village_is_an_error_and_nothing_is_written(world):
    roster = _preview(world, [HEADERS, _row(), _row(village="郑园村", grid="")])
    assert _errors(roster) == [(3, "村/社区", "“郑园村”不在您的管辖范围，不能导入")]
    with pytest.raises(ValidationError, match="有误"):
        imports.roster_commit(actor=world.cadre_sandian, roster=roster)
    assert Resident.objects.count() == 0


@pytest.mark.parametrize(
    ("id_number", "reason"),
    [
        ("320721199001011230", "校验位"),
        ("32072119900101123", "17 位"),
        ("320721900101123", "15 位"),
    ],
)
def test_bad_ids_are_row_errors_with_a_reason(world, id_number, reason):
    roster = _preview(world, [HEADERS, _row(id_number=id_number)])
    assert reason in roster.errors[0]["message"]
    assert id_number not in str(roster.errors)


@pytest.mark.parametrize("phone", ["13800138000.0", "10086", "12345678901"])
def test_bad_phones_are_row_errors(world, phone):
    roster = _preview(world, [HEADERS, _row(phone=phone)])
    assert roster.errors[0]["column"] == "手机号"


def test_a_roster_read_in_many_parts_names_the_rows_as_excel_numbers_them(world, monkeypatch):
    # The sheet is parsed in parts (one while the rows of the one before are checked):
    # row numbers in errors are still the sheet's, across blank rows and part ends.
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 2000)
    rows = [["花名册（三店村）"], [], HEADERS] + [_row(name=f"居民{i}") for i in range(400)]
    rows[150] = []
    rows[151] = []
    rows[260] = _row(name="错号", id_number="320721199001011235")
    rows[402] = _row(name="重复", id_number=rows[300][1])
    roster = _preview(world, rows)
    assert _errors(roster) == [
        (261, "身份证号", roster.errors[0]["message"]),
        (403, "身份证号", "与第 301 行的身份证号重复（同一人只能一行）"),
    ]
    assert "校验位" in roster.errors[0]["message"]
    assert roster.total_rows == 400 - 2


def test_an_unknown_region_code_is_a_warning_that_does_not_block(world):
    roster = _preview(world, [HEADERS, _row(id_number="440524188001010014")])
    assert roster.bad_count == 0 and roster.warning_count == 1
    assert "地区码" in roster.warnings[0]["message"]


def test_an_unknown_tag_lists_the_known_ones(world):
    row = _row()
    row[8] = "党员、网红"
    roster = _preview(world, [HEADERS, row])
    assert "没有“网红”这个标签" in roster.errors[0]["message"]


def test_missing_required_columns_are_refused_before_any_row(world):
    with pytest.raises(UploadRejected, match="身份证号"):
        _preview(world, [["姓名", "电话"], ["王芳", "13800138000"]])
    assert StagedImport.objects.count() == 0


def test_one_bad_row_means_zero_rows_and_a_downloadable_error_workbook(world, login):
    client = login(world.cadre_sandian)
    good, bad = _row(name="好人"), _row(name="坏行", id_number="320721199001011230")
    response = client.post(reverse("people:import"), {"file": xlsx_make([HEADERS, good, bad])})
    roster = StagedImport.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "没有写入任何数据" in page and "校验位" in page
    assert "确认导入" not in page

    assert client.post(reverse("people:import_commit", args=[roster.pk])).status_code == 302
    assert Resident.objects.count() == 0

    workbook = client.get(reverse("people:import_errors", args=[roster.pk]))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(workbook.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][:3] == ["行号", "错误原因", "姓名"]
    assert rows[1][0] == 3 and "校验位" in rows[1][1] and rows[1][2] == "坏行"
    assert len(rows) == 2
    assert AuditEvent.objects.filter(action="people.roster.errors_export").count() == 1


def test_a_resident_registered_between_preview_and_commit_aborts_the_whole_commit(world):
    taken = id_number_next()
    roster = _preview(world, [HEADERS, _row(name="先"), _row(name="后", id_number=taken)])
    resident_make(world.sandian, id_number=taken)
    with pytest.raises(ValidationError, match="重新上传"):
        imports.roster_commit(actor=world.cadre_sandian, roster=roster)
    assert list(Resident.objects.values_list("name", flat=True)) == ["张三"]


def test_new_and_changed_rows_over_many_frames_land_in_their_households(world, monkeypatch):
    # Frames of two rows: the households, changes and new rows of the sealed preview
    # interleave, and the commit still reads each kind in full.
    monkeypatch.setattr(sealed, "BATCH", 2)
    admin, kept, moved = world.admin, id_number_next(), id_number_next()

    def row(name, id_number=None, village="三店村", household="1", tags=""):
        return [name, id_number or id_number_next(), "", village, "", household, "", "", tags]

    imports.roster_commit(
        actor=admin,
        roster=_preview(world, [HEADERS, row("甲", kept), row("乙", moved)], user=admin),
    )
    first_household = Household.objects.get()
    roster = _preview(
        world,
        [
            HEADERS,
            row("甲", kept, tags="党员"),  # a tag more: an update, same household
            row("乙", moved, village="郑园村"),  # moves: 郑园村's own household 1
            row("丙", village="郑园村"),
            row("丁", household="2"),
            row("戊"),  # joins the stored household 1 of 三店村
        ],
        user=admin,
    )
    assert (roster.new_count, roster.updated_count, roster.unchanged_count) == (3, 2, 0)
    imports.roster_commit(actor=admin, roster=roster)

    members = {
        (h.node.name, h.number): sorted(h.members.values_list("name", flat=True))
        for h in Household.objects.select_related("node")
    }
    assert members == {
        ("三店村", "1"): ["戊", "甲"],
        ("三店村", "2"): ["丁"],
        ("郑园村", "1"): ["丙", "乙"],
    }
    assert Household.objects.get(node=world.sandian, number="1") == first_household
    assert Resident.objects.get(name="乙").node == world.zhengyuan
    assert list(Resident.objects.get(name="甲").tags.values_list("name", flat=True)) == ["党员"]


def test_a_preview_from_before_an_upgrade_asks_for_a_new_upload(world):
    roster = _preview(world, [HEADERS, _row()])
    StagedImport.objects.filter(pk=roster.pk).update(payload=b"\x00\x00\x00\x10old frames")
    roster.refresh_from_db()
    with pytest.raises(ValidationError, match="重新上传"):
        imports.roster_commit(actor=world.cadre_sandian, roster=roster)
    assert Resident.objects.count() == 0


def test_a_roster_commits_once(world):
    roster = _preview(world, [HEADERS, _row()])
    imports.roster_commit(actor=world.cadre_sandian, roster=roster)
    with pytest.raises(ValidationError, match="已经导入"):
        imports.roster_commit(actor=world.cadre_sandian, roster=roster)


def test_the_preview_is_stored_sealed_not_in_the_clear(world):
    id_number = id_number_next()
    roster = _preview(world, [HEADERS, _row(name="王秀英", id_number=id_number)])
    assert id_number.encode() not in bytes(roster.payload)
    assert "王秀英".encode() not in bytes(roster.payload)


def test_a_sealed_payload_is_stored_and_read_back_byte_for_byte(world):
    roster = _preview(world, [HEADERS, _row()])
    every_byte = bytes(range(256)) * 4096  # NUL, quotes, backslashes: no text escaping
    blob_write(StagedImport, roster.pk, payload=every_byte, error_payload=b"\x00'\\")
    assert blob_read(StagedImport, roster.pk, "payload") == every_byte
    assert blob_read(StagedImport, roster.pk, "error_payload") == b"\x00'\\"
    assert blob_read(StagedImport, 10**9, "payload") == b""


def test_the_preview_page_does_not_load_the_sealed_roster(world, login):
    roster = _preview(world, [HEADERS, _row()])
    client = login(world.cadre_sandian)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:import_preview", args=[roster.pk]))
    assert response.status_code == 200
    assert not any("payload" in q["sql"] for q in queries.captured_queries)


def test_another_cadre_of_the_same_village_cannot_open_my_preview(world, login):
    roster = _preview(world, [HEADERS, _row()], user=world.cadre_sandian)
    other = login(world.admin_sandian)
    assert other.get(reverse("people:import_preview", args=[roster.pk])).status_code == 404


# ---------------------------------------------------------------- the upload itself


def test_an_upload_over_the_size_limit_gets_413(world, login, monkeypatch):
    monkeypatch.setattr(RosterImporter, "max_bytes", 1000)
    upload = csv_make("姓名,身份证号\n" + "王芳,1\n" * 500)
    response = login(world.cadre_sandian).post(reverse("people:import"), {"file": upload})
    assert response.status_code == 413
    assert "文件太大" in response.content.decode()


def test_a_picture_renamed_to_xlsx_is_refused_by_content(world, login):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("花名册.xlsx", png)
    response = login(world.cadre_sandian).post(reverse("people:import"), {"file": upload})
    assert response.status_code == 400
    assert "只接受 .xlsx 或 .csv" in response.content.decode()


def _zip_upload(entries: dict[str, bytes], declared_extra: int = 0):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("花名册.xlsx", buffer.getvalue())


def test_a_zip_bomb_is_refused_before_parsing(world, login, settings, monkeypatch):
    from frontline.core import spreadsheets

    monkeypatch.setattr(spreadsheets, "XLSX_MAX_UNCOMPRESSED", 1024 * 1024)
    upload = _zip_upload(
        {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * 5 * 1024 * 1024}
    )
    response = login(world.cadre_sandian).post(reverse("people:import"), {"file": upload})
    assert response.status_code == 413
    assert "解压后过大" in response.content.decode()


def test_xml_entity_expansion_is_refused(world, login):
    evil = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><workbook>&lol;</workbook>'
    upload = _zip_upload({"xl/workbook.xml": evil})
    response = login(world.cadre_sandian).post(reverse("people:import"), {"file": upload})
    assert response.status_code == 400
    assert "实体" in response.content.decode()


def test_defusedxml_is_installed():
    import defusedxml  # noqa: F401


# ---------------------------------------------------------------- API


def test_the_api_previews_and_commits(world, login):
    client = login(world.cadre_sandian)
    upload = xlsx_make([HEADERS, _row(), _row(name="坏", id_number="1234")])
    response = client.post("/api/v1/people/imports", {"file": upload})
    assert response.status_code == 201
    body = response.json()
    assert body["counts"]["new"] == 1 and body["counts"]["bad"] == 1
    assert body["errors"] == [
        {"row": 3, "column": "身份证号", "message": body["errors"][0]["message"]}
    ]
    refused = client.post(f"/api/v1/people/imports/{body['id']}/commit")
    assert refused.status_code == 422 and Resident.objects.count() == 0

    clean = client.post("/api/v1/people/imports", {"file": xlsx_make([HEADERS, _row()])}).json()
    committed = client.post(f"/api/v1/people/imports/{clean['id']}/commit")
    assert committed.status_code == 200 and committed.json()["status"] == "committed"
    assert Resident.objects.count() == 1


def test_a_grid_worker_may_not_import(world, login):
    client = login(world.grid_sandian)
    assert client.get(reverse("people:import")).status_code == 404
    response = client.post("/api/v1/people/imports", {"file": xlsx_make([HEADERS, _row()])})
    assert response.status_code == 404


def test_a_new_upload_discards_the_uploaders_abandoned_preview(world):
    first = _preview(world, [HEADERS, _row()])
    second = _preview(world, [HEADERS, _row()])
    assert list(StagedImport.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk
