"""The enterprise list through core's staged import: the exported sheet comes back in,
new enterprise nodes are registered, changed records updated; one bad row (a wrong check
character, an unknown sector, a code stored as a number) writes nothing at all."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from frontline.core import services as core_services
from frontline.core.models import NodeKind
from frontline.core.staged_import.pipeline import staged_commit, staged_preview
from frontline.enterprises.imports import HEADERS, EnterpriseImporter
from frontline.enterprises.models import Enterprise
from frontline.enterprises.tests.factories import enterprise_make, sector_make, uscc_next
from frontline.people.tests.rosters import xlsx_make


def enterprise_import_make(actor, rows, headers=HEADERS):
    upload = xlsx_make([headers, *rows], name="企业清单.xlsx")
    return staged_preview(
        importer=EnterpriseImporter, actor=actor, upload=upload, filename="企业清单.xlsx"
    )


def _node(world, name, grid=None):
    return core_services.node_create(
        actor=None, kind=NodeKind.ENTERPRISE, name=name, parent=grid or world.enterprise_grid
    )


def test_it_registers_new_enterprise_nodes_and_updates_changed_ones(world):
    sector_make("机械制造")
    sector_make("食品加工", is_key=True)
    _node(world, "新兴食品有限公司")
    known = enterprise_make(world, name="老牌机械有限公司", onsite_headcount=30)
    same = enterprise_make(world, name="不变机械有限公司")
    code = uscc_next()
    staged = enterprise_import_make(
        world.town_leader,
        [
            [
                "新兴食品有限公司",
                code,
                "企业第一网格",
                "食品加工（重点行业）",
                120,
                80,
                "食品支部",
            ],
            ["老牌机械有限公司", known.uscc, "企业第一网格", "机械制造", 50, 45, ""],
            ["不变机械有限公司", same.uscc, "企业第一网格", "机械制造", 50, 30, ""],
        ],
    )
    assert (staged.new_count, staged.updated_count, staged.unchanged_count, staged.bad_count) == (
        1,
        1,
        1,
        0,
    )
    staged_commit(importer=EnterpriseImporter, actor=world.town_leader, staged=staged)
    new = Enterprise.objects.get(uscc=code)
    assert (new.node.name, new.sector.name, new.planned_headcount, new.onsite_headcount) == (
        "新兴食品有限公司",
        "食品加工",
        120,
        80,
    )
    assert new.party_branch == "食品支部"
    known.refresh_from_db()
    assert known.onsite_headcount == 45


def test_a_wrong_check_character_is_named_with_row_and_column_and_nothing_is_written(world):
    sector_make("机械制造")
    _node(world, "甲公司")
    _node(world, "乙公司")
    good, other = uscc_next(), uscc_next()
    wrong = other[:-1] + ("A" if other[-1] != "A" else "B")
    staged = enterprise_import_make(
        world.town_leader,
        [
            ["甲公司", good, "", "机械制造", 10, 5, ""],
            ["乙公司", wrong, "", "机械制造", 10, 5, ""],
        ],
    )
    errors = {(e["row"], e["column"]): e["message"] for e in staged.errors}
    assert f"第 18 位应为“{other[-1]}”" in errors[(3, "统一社会信用代码")]
    assert staged.bad_count == 1
    with pytest.raises(ValidationError):
        staged_commit(importer=EnterpriseImporter, actor=world.town_leader, staged=staged)
    assert not Enterprise.objects.filter(uscc=good).exists()


def test_bad_rows_are_each_named_in_chinese(world):
    sector_make("机械制造")
    _node(world, "丙公司")
    code = uscc_next()
    staged = enterprise_import_make(
        world.town_leader,
        [
            ["丙公司", code, "", "造火箭", 10, 5, ""],
            ["丁公司", uscc_next(), "", "机械制造", "很多", -1, ""],
            ["丙公司", code, "", "机械制造", 10, 5, ""],
            ["戊公司", 913207070000000000, "", "机械制造", 1, 1, ""],
            ["不存在的公司", uscc_next(), "", "机械制造", 1, 1, ""],
        ],
    )
    errors = {(e["row"], e["column"]): e["message"] for e in staged.errors}
    assert "没有“造火箭”这个行业" in errors[(2, "行业")]
    assert "应为整数" in errors[(3, "计划复工人数")]
    assert "应在 0–" in errors[(3, "在岗人数")]
    assert "与第 2 行的信用代码重复" in errors[(4, "统一社会信用代码")]
    assert "存成了数字" in errors[(5, "统一社会信用代码")]
    assert "没有尚未建档的企业“不存在的公司”" in errors[(6, "企业名称")]
    assert staged.new_count == 0 and not Enterprise.objects.filter(uscc=code).exists()


def test_a_code_of_another_villages_enterprise_is_a_row_error(world):
    sector_make("机械制造")
    theirs = enterprise_make(world, grid=world.sandian_grid, name="三店企业")
    _node(world, "郑园企业", grid=world.zhengyuan_grid)
    staged = enterprise_import_make(
        world.zhengyuan_all, [["三店企业", theirs.uscc, "", "机械制造", 1, 1, ""]]
    )
    assert staged.bad_count == 1
    assert "其他辖区" in staged.errors[0]["message"]


def test_the_exported_list_imports_back_unchanged(world, login):
    enterprise_make(world, name="往返机械有限公司")
    response = login(world.town_leader).get(reverse("enterprises:export"))
    content = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    staged = enterprise_import_make(world.town_leader, sheet[1:], headers=sheet[0])
    assert staged.bad_count == 0, staged.errors
    assert staged.unchanged_count == staged.total_rows >= 1


def test_the_pages_upload_preview_and_commit(world, login):
    sector_make("机械制造")
    _node(world, "网页导入有限公司")
    client = login(world.town_leader)
    assert client.get(reverse("enterprises:list")).content.decode().count("导入 Excel") == 1
    template = client.get(reverse("enterprises:enterprise_import_template"))
    assert template.status_code == 200
    upload = xlsx_make([HEADERS, ["网页导入有限公司", uscc_next(), "", "机械制造", 3, 2, ""]])
    response = client.post(reverse("enterprises:enterprise_import_upload"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "新建档" in preview.content.decode()
    done = client.post(response["Location"] + "commit/")
    assert done.status_code == 302
    assert Enterprise.objects.filter(node__name="网页导入有限公司").exists()


def test_an_enterprise_contact_cannot_import(world, login):
    response = login(world.enterprise_contact).get(reverse("enterprises:enterprise_import_upload"))
    assert response.status_code == 404
