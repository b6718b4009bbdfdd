"""A branch secretary imports the party-member roster: residents matched by ID number in
the registry (never a second copy), row errors in Chinese naming row and column, all rows
or none, and nobody from outside the secretary's villages."""

from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.core.tests.workbooks import workbook_rows
from frontline.party.models import Membership
from frontline.party.tests.factories import member_import_make, member_make, org_make
from frontline.people.models import Resident
from frontline.people.tests.factories import id_number_next, resident_make


def _row(resident, org, status="正式党员", start="2020-02-01", name=None):
    return [name or resident.name, resident.id_number, org.name, status, start]


def test_a_roster_links_registered_residents_after_confirmation(world, login):
    org = org_make(world.sandian, "三店村党支部")
    wang = resident_make(world.sandian_grid, name="王党员")
    li = resident_make(world.sandian, name="李积极")
    residents_before = Resident.objects.count()
    staged = member_import_make(
        world.cadre_sandian, [_row(wang, org, start="2020年2月1日"), _row(li, org, "积极分子", "")]
    )
    assert (staged.new_count, staged.bad_count) == (2, 0)
    assert not Membership.objects.exists()  # nothing before the confirmation
    client = login(world.cadre_sandian)
    page = client.get(reverse("party:member_import_preview", args=[staged.pk]))
    assert "确认登记 2 人" in page.content.decode()
    done = client.post(reverse("party:member_import_commit", args=[staged.pk]))
    assert done.status_code == 302 and done["Location"] == reverse("party:member_list")
    rows = Membership.objects.select_related("resident", "org").order_by("resident__name")
    assert [(m.resident_id, m.org_id, m.status) for m in rows] == [
        (li.pk, org.pk, "activist"),
        (wang.pk, org.pk, "full"),
    ]
    assert rows[1].start_date.isoformat() == "2020-02-01"
    # The very residents of the registry, no copy, and their tags follow the membership.
    assert Resident.objects.count() == residents_before
    assert list(wang.tags.values_list("name", flat=True)) == ["党员"]
    assert AuditEvent.objects.filter(action="party.member.import").count() == 1


def test_one_bad_row_imports_nobody_and_names_row_and_column(world, login):
    org = org_make(world.sandian, "三店村党支部")
    good = resident_make(world.sandian, name="赵好")
    unknown_id = id_number_next()
    rows = [
        _row(good, org),
        ["钱无名", unknown_id, org.name, "正式党员", ""],
        [good.name, "320721198506150022", org.name, "正式党员", ""],
        ["孙错", id_number_next(), "没有这个支部", "群众", "明天"],
    ]
    staged = member_import_make(world.cadre_sandian, rows)
    assert staged.new_count == 1 and staged.bad_count == 3
    page = login(world.cadre_sandian).get(reverse("party:member_import_preview", args=[staged.pk]))
    text = page.content.decode()
    assert "第 3 行" in text and "您辖区的居民名册中没有这个身份证号" in text
    assert "第 4 行" in text and "校验位" in text
    assert "第 5 行" in text and "没有“没有这个支部”" in text and "身份应为" in text
    assert "转入日期无法识别" in text
    assert unknown_id not in text  # an ID is never repeated back
    refused = login(world.cadre_sandian).post(
        reverse("party:member_import_commit", args=[staged.pk])
    )
    assert refused.status_code == 302
    assert not Membership.objects.exists()
    errors = workbook_rows(
        login(world.cadre_sandian).get(reverse("party:member_import_errors", args=[staged.pk]))
    )
    assert len(errors) == 4  # the header and the three bad rows


def test_a_resident_of_another_village_reads_as_an_unregistered_id(world, login):
    # Else the preview is an oracle: 20,000 IDs a file, each told registered or not.
    mine = org_make(world.zhengyuan, "郑园村党支部")
    ours = resident_make(world.zhengyuan_grid, name="郑本村")
    elsewhere = resident_make(world.sandian_grid, name="三店外村")
    rows = [
        _row(ours, mine),
        _row(elsewhere, mine),
        [elsewhere.name, id_number_next(), mine.name, "正式党员", ""],
    ]
    staged = member_import_make(world.cadre_zhengyuan, rows)
    assert (staged.new_count, staged.bad_count) == (1, 2)
    said = [(e["column"], e["message"]) for e in staged.errors]
    assert (
        said[0]
        == said[1]
        == (
            "身份证号",
            "您辖区的居民名册中没有这个身份证号，请先在人员花名册登记",
        )
    )
    client = login(world.cadre_zhengyuan)
    text = client.get(reverse("party:member_import_preview", args=[staged.pk])).content.decode()
    assert "管辖范围以外" not in text and elsewhere.id_number not in text
    client.post(reverse("party:member_import_commit", args=[staged.pk]))
    assert not Membership.objects.exists()  # the good row waits for a clean file
    assert Resident.objects.filter(name="三店外村").count() == 1


def test_a_member_of_another_branch_is_an_error_and_of_this_one_is_left_as_is(world):
    first = org_make(world.sandian, "三店村党支部")
    second = org_make(world.sandian, "三店村第二党支部")
    moved = member_make(first, "周已在", node=world.sandian_grid)
    stays = member_make(second, "吴留下", node=world.sandian_grid)
    staged = member_import_make(
        world.cadre_sandian, [_row(moved.resident, second), _row(stays.resident, second)]
    )
    assert (staged.bad_count, staged.unchanged_count, staged.new_count) == (1, 1, 0)
    assert "已在“三店村党支部”" in staged.errors[0]["message"]
    assert "组织关系转接" in staged.errors[0]["message"]


def test_a_name_that_does_not_match_the_registry_is_an_error(world):
    org = org_make(world.sandian, "三店村党支部")
    person = resident_make(world.sandian, name="郑真名")
    staged = member_import_make(world.cadre_sandian, [_row(person, org, name="郑假名")])
    assert staged.bad_count == 1 and staged.errors[0]["column"] == "姓名"


def test_the_same_person_twice_in_a_file_is_an_error(world):
    org = org_make(world.sandian, "三店村党支部")
    person = resident_make(world.sandian, name="冯两行")
    staged = member_import_make(world.cadre_sandian, [_row(person, org), _row(person, org)])
    assert staged.bad_count == 1 and "与第 2 行的身份证号重复" in staged.errors[0]["message"]


def test_the_template_downloads_and_the_list_links_the_import(world, login):
    client = login(world.cadre_sandian)
    rows = workbook_rows(client.get(reverse("party:member_import_template")))
    assert rows[0] == ["姓名", "身份证号", "党组织", "身份", "转入日期"]
    page = client.get(reverse("party:member_list")).content.decode()
    assert reverse("party:member_import_upload") in page
    volunteer = login(world.volunteer_sandian)
    assert (
        reverse("party:member_import_upload")
        not in volunteer.get(reverse("party:member_list")).content.decode()
    )
    assert volunteer.get(reverse("party:member_import_upload")).status_code == 404


def test_an_import_is_its_uploaders_only(world, login):
    org = org_make(world.sandian, "三店村党支部")
    person = resident_make(world.sandian, name="陈上传")
    staged = member_import_make(world.cadre_sandian, [_row(person, org)])
    other = login(world.village_leader_sandian)
    assert other.get(reverse("party:member_import_preview", args=[staged.pk])).status_code == 404
    assert other.post(reverse("party:member_import_commit", args=[staged.pk])).status_code == 404
    assert not Membership.objects.exists()
