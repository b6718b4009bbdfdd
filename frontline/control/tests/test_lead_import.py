"""Bulk registration from a 流调 lead list: all rows or none; nobody registered twice."""

import io
from datetime import timedelta

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from frontline.control.models import KeyPerson
from frontline.core.models import AuditEvent
from frontline.core.staged_import.models import StagedImport
from frontline.people.models import Resident
from frontline.people.tests.factories import id_number_next, resident_make

HEADER = ["姓名", "身份证号码", "联系电话", "村", "网格", "住址", "类别", "来源地", "抵达日期"]


def xlsx(rows) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value) if isinstance(value, str) else sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile("leads.xlsx", buffer.getvalue())


def lead_row(name: str, id_number: str, **overrides) -> list:
    row = {
        "name": name,
        "id": id_number,
        "phone": "13800138000",
        "village": "三店村",
        "grid": "第一网格",
        "address": "三店村1组",
        "category": "密切接触者",
        "origin": "湖北省武汉市",
        "arrival": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    row.update(overrides)
    return list(row.values())


def upload(client, rows):
    response = client.post(reverse("control:lead_upload"), {"file": xlsx([HEADER, *rows])})
    return response, StagedImport.objects.order_by("-pk").first()


def test_a_lead_list_registers_new_people_after_confirmation(world, login):
    client = login(world.cadre_sandian)
    known = resident_make(world.sandian_grid, name="老住户")
    response, lead = upload(
        client, [lead_row("新来人", id_number_next()), lead_row("老住户", known.id_number)]
    )
    assert response.status_code == 302 and lead.new_count == 2 and lead.bad_count == 0
    assert not KeyPerson.objects.exists()  # nothing before the confirmation
    client.post(reverse("control:lead_commit", args=[lead.pk]))
    people = KeyPerson.objects.select_related("resident", "category")
    assert {(p.resident.name, p.found_via, p.category.name) for p in people} == {
        ("新来人", "import", "密切接触者"),
        ("老住户", "import", "密切接触者"),
    }
    assert Resident.objects.filter(name="新来人", node=world.sandian_grid).exists()


def test_one_bad_row_registers_nobody_and_names_row_and_column(world, login):
    client = login(world.cadre_sandian)
    _, lead = upload(
        client,
        [
            lead_row("甲", id_number_next()),
            lead_row("乙", id_number_next(), category="外星人"),
            lead_row("丙", "320721198506150022"),
        ],
    )
    assert lead.bad_count == 2
    page = client.get(reverse("control:lead_preview", args=[lead.pk])).content.decode()
    assert "第 3 行" in page and "没有“外星人”这个类别" in page
    assert "第 4 行" in page and "校验位" in page
    client.post(reverse("control:lead_commit", args=[lead.pk]))
    assert not KeyPerson.objects.exists() and not Resident.objects.filter(name="甲").exists()


def test_a_person_registered_in_the_last_six_months_is_shown_not_registered_again(world, login):
    client = login(world.cadre_sandian)
    id_number = id_number_next()
    _, first = upload(client, [lead_row("王五", id_number)])
    client.post(reverse("control:lead_commit", args=[first.pk]))
    earlier = KeyPerson.objects.get()
    _, again = upload(client, [lead_row("王五", id_number)])
    assert again.new_count == 0 and again.unchanged_count == 1
    page = client.get(reverse("control:lead_preview", args=[again.pk])).content.decode()
    assert reverse("control:key_person_detail", args=[earlier.pk]) in page
    client.post(reverse("control:lead_commit", args=[again.pk]))
    assert KeyPerson.objects.count() == 1


def test_a_row_for_another_village_is_an_error(world, login):
    _, lead = upload(
        login(world.cadre_sandian), [lead_row("郑六", id_number_next(), village="郑园村")]
    )
    assert lead.bad_count == 1 and "不在您的管辖范围" in lead.errors[0]["message"]


def test_an_import_is_its_uploaders_only(world, login):
    _, lead = upload(login(world.cadre_sandian), [lead_row("甲", id_number_next())])
    other = login(world.admin)
    assert other.get(reverse("control:lead_preview", args=[lead.pk])).status_code == 404
    assert other.post(reverse("control:lead_commit", args=[lead.pk])).status_code == 404


def test_the_template_downloads(world, login):
    response = login(world.cadre_sandian).get(reverse("control:lead_template"))
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_a_bad_lead_list_offers_its_error_workbook_and_the_download_is_audited(world, login):
    client = login(world.cadre_sandian)
    _, lead = upload(
        client, [lead_row("甲", id_number_next()), lead_row("乙", id_number_next(), arrival="明天")]
    )
    page = client.get(reverse("control:lead_preview", args=[lead.pk])).content.decode()
    errors_url = reverse("control:lead_errors", args=[lead.pk])
    assert errors_url in page
    data = b"".join(client.get(errors_url).streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0][:4] == ["行号", "错误原因", "姓名", "身份证号"]
    assert rows[1][:3] == [3, "抵达日期：抵达日期无法识别，请写成 2020-01-25", "乙"]
    assert len(rows) == 2
    event = AuditEvent.objects.get(action="control.lead_list.errors_export")
    assert event.object_id == str(lead.pk)


def test_a_confirmed_lead_list_is_audited_once_as_an_import(world, login):
    client = login(world.cadre_sandian)
    _, lead = upload(client, [lead_row("甲", id_number_next())])
    client.post(reverse("control:lead_commit", args=[lead.pk]))
    client.post(reverse("control:lead_commit", args=[lead.pk]))
    assert KeyPerson.objects.count() == 1
    assert AuditEvent.objects.filter(action="control.lead_list.import").count() == 1
