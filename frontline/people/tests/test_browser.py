"""A village cadre on a 360 px phone: a messy roster shows its row errors and writes
nothing; a clean one is confirmed and its people are on the list."""

import pytest

from frontline.core.staged_import.models import ImportStatus, StagedImport
from frontline.core.tests.fixtures import browser_login
from frontline.people.models import Resident, Tag
from frontline.people.tests.factories import id_number_next, resident_make
from frontline.people.tests.rosters import xlsx_make

pytestmark = pytest.mark.browser


def test_a_messy_roster_shows_row_errors_and_writes_nothing(
    live_server, live_world, phone, tmp_path
):
    good = id_number_next()
    rows = [
        ["三店村花名册"],
        ["姓名", "公民身份号码", "联系电话", "村（社区）", "网格"],
        ["王 芳", good, "138 0013 8000", "三店村", "第一网格"],
        ["李强", 320721198506150021, "13900139000", "三店村", ""],
        ["赵刚", good, "", "三店村", ""],
        ["孙丽", id_number_next(), "10086", "三电村", ""],
    ]
    path = tmp_path / "三店村花名册.xlsx"
    path.write_bytes(xlsx_make(rows).read())

    browser_login(phone, live_server, "cadre_sandian")
    phone.get_by_role("link", name="人员花名册").click()
    phone.get_by_role("link", name="Excel 导入", exact=True).click()
    phone.get_by_label("花名册文件（.xlsx 或 .csv）").set_input_files(str(path))
    phone.get_by_role("button", name="上传并检查").click()
    phone.wait_for_url("**/people/import/*/")

    assert phone.get_by_role("alert").inner_text().startswith("有 3 行有误")
    table = phone.locator(".error-table tbody")
    assert table.locator("tr").count() == 4  # the 4th row has two errors
    text = table.inner_text()
    assert "文本" in text  # the ID stored as a number
    assert "与第 3 行的身份证号重复" in text
    assert "最接近的是“三店村”" in text
    assert phone.locator("[data-count=new]").inner_text() == "1"
    assert phone.get_by_role("button", name="确认导入").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.get_by_role("link", name="下载错误行（原始内容旁附原因）").is_visible()

    assert Resident.objects.count() == 0
    assert StagedImport.objects.get().bad_count == 3


def test_a_clean_roster_is_confirmed_and_its_people_are_on_the_list(
    live_server, live_world, phone, tmp_path
):
    # A live server's tests empty every table between them, the migration's tags too.
    Tag.objects.get_or_create(name="党员")
    rows = [
        ["姓名", "身份证号", "手机号", "村/社区", "网格", "户号", "与户主关系", "标签"],
        ["王芳", id_number_next(), "13800138000", "三店村", "第一网格", "7", "户主", "党员"],
        ["李强", id_number_next(), "", "三店村", "第一网格", "7", "配偶", ""],
        ["赵刚", id_number_next(), "13900139000", "三店村", "", "8", "户主", ""],
    ]
    path = tmp_path / "三店村花名册.xlsx"
    path.write_bytes(xlsx_make(rows).read())

    browser_login(phone, live_server, "cadre_sandian")
    phone.goto(f"{live_server.url}/people/import/")
    phone.get_by_label("花名册文件（.xlsx 或 .csv）").set_input_files(str(path))
    phone.get_by_role("button", name="上传并检查").click()
    phone.wait_for_url("**/people/import/*/")
    assert phone.locator("[data-count=new]").inner_text() == "3"
    assert Resident.objects.count() == 0  # nothing before the cadre confirms

    phone.get_by_role("button", name="确认导入").click()
    phone.wait_for_url("**/people/")
    assert "已导入：新增 3 人" in phone.get_by_role("status").inner_text()
    for name in ("王芳", "李强", "赵刚"):
        assert phone.get_by_text(name).first.is_visible()
    wang = Resident.objects.get(name="王芳")
    assert phone.get_by_text(wang.id_number_masked).is_visible()  # masked on the list
    assert wang.id_number not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert [t.name for t in wang.tags.all()] == ["党员"]
    assert wang.household == Resident.objects.get(name="李强").household
    assert StagedImport.objects.get().status == ImportStatus.COMMITTED


def test_the_list_on_a_phone_shows_masks_and_finds_by_id(live_server, live_world, phone):
    id_number = id_number_next()
    resident_make(live_world.sandian, name="王秀英", id_number=id_number, phone="13800138000")
    resident_make(live_world.sandian, name="李四")
    browser_login(phone, live_server, "cadre_sandian")
    phone.goto(f"{live_server.url}/people/")
    assert phone.get_by_text(id_number[:6] + "********" + id_number[-4:]).is_visible()
    assert id_number not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_label("查找居民").fill(id_number.lower())
    phone.get_by_role("button", name="查找").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("王秀英").is_visible()
    assert phone.get_by_text("李四").count() == 0
    assert id_number not in phone.url and id_number.lower() not in phone.url
