"""The daily lists a cadre sends upward, as Excel: key persons, the 体温登记表, missed
slots, fever alerts — masked as the pages are, formula-safe, audited, one tap away."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.control import services
from frontline.control.tests.factories import isolation_make, key_person_make
from frontline.core.models import AuditEvent
from frontline.core.tests.workbooks import workbook_rows


def _morning():
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(9, 0)))


@pytest.fixture
def fever(world):
    """An isolation in 郑园村 with a feverish morning reading whose symptoms try a formula."""
    isolation = isolation_make(world, world.zhengyuan_grid, "郑大力")
    services.reading_record(
        actor=world.health_zhengyuan,
        isolation=isolation,
        value="38.2",
        slot="am",
        taken_at=_morning(),
        symptoms='=HYPERLINK("http://x")',
    )
    return isolation


def _get(client, user, name: str, **query):
    client.force_login(user)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(reverse(name), query)
    rows = workbook_rows(response)
    events = list(AuditEvent.objects.filter(pk__gt=last).values_list("action", "actor"))
    return rows, events


def test_the_key_person_list_exports_masked_and_formula_safe(world, client):
    key_person_make(world, world.zhengyuan_grid, "郑大力")
    person = key_person_make(world, world.zhengyuan_grid, "郑小二")
    person.origin = "=1+2"  # as a lead list or an old client could have stored it
    person.save(update_fields=["origin"])
    rows, events = _get(client, world.cadre_zhengyuan, "control:key_person_export")
    assert rows[0][:3] == ["姓名", "类别", "所在村/网格"]
    names = {row[0] for row in rows[1:]}
    assert names == {"郑*力", "郑*二"}
    assert "'=1+2" in [row[4] for row in rows[1:]]
    assert events == [("control.key_person.export", world.cadre_zhengyuan.pk)]


def test_a_made_up_status_exports_every_status_and_logs_the_filter_not_the_query(world, client):
    # The audit row names the filter as understood; what was typed into the URL (here a
    # phone number) is neither written to the log nor a reason to fail the download.
    key_person_make(world, world.zhengyuan_grid, "郑大力")
    rows, events = _get(
        client, world.cadre_zhengyuan, "control:key_person_export", status="13912345678"
    )
    assert {row[0] for row in rows[1:]} == {"郑*力"}
    assert events == [("control.key_person.export", world.cadre_zhengyuan.pk)]
    reason = AuditEvent.objects.filter(action="control.key_person.export").latest("pk").reason
    assert reason == "状态：全部"


def test_the_reading_sheet_has_the_days_morning_and_afternoon(fever, world, client):
    isolation_make(world, world.zhengyuan_grid, "郑未测")
    rows, events = _get(client, world.cadre_zhengyuan, "control:reading_export")
    assert rows[0] == [
        "姓名",
        "所在村/网格",
        "隔离地址",
        "隔离开始",
        "预计解除",
        "上午体温",
        "下午体温",
        "发热",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["郑*力"][5] == 38.2 and by_name["郑*力"][7] == "是"
    assert by_name["郑*测"][5] == ""
    assert "3号" not in by_name["郑*力"][2]  # the address masked as on the page
    assert events == [("control.reading.export", world.cadre_zhengyuan.pk)]


def test_fever_alerts_export_with_symptoms_that_cannot_run(fever, world, client):
    rows, events = _get(client, world.health_zhengyuan, "control:alert_export", status="open")
    assert rows[0][:5] == ["测量时间", "时段", "姓名", "所在村/网格", "体温"]
    (row,) = rows[1:]
    # The village's health worker handles the alert: the name in full, as on the round.
    assert row[2] == "郑大力" and row[4] == 38.2 and row[6] == "待处置"
    assert row[5] == '\'=HYPERLINK("http://x")'
    assert events == [("control.alert.export", world.health_zhengyuan.pk)]
    # A cadre who is not among its 六包一 gets the sheet masked, as the page is.
    rows, _ = _get(client, world.cadre_zhengyuan, "control:alert_export", status="open")
    assert [row[2] for row in rows[1:]] == ["郑*力"]


def test_missed_slots_export(world, client):
    isolation_make(world, world.zhengyuan_grid, "郑漏测", days_ago=2)
    rows, events = _get(client, world.cadre_zhengyuan, "control:overdue_export")
    assert rows[0] == ["日期", "时段", "姓名", "所在村/网格", "隔离地址"]
    assert {row[2] for row in rows[1:]} == {"郑*测"}
    assert len(rows) >= 3  # at least yesterday's two slots
    assert events == [("control.overdue.export", world.cadre_zhengyuan.pk)]


def test_missed_slots_export_what_the_list_shows(world, client):
    """The list narrowed from a figure's link (a node, a span) exports those rows, not the
    last three days everywhere."""
    isolation_make(world, world.zhengyuan_grid, "郑网格", days_ago=6)
    isolation_make(world, world.zhengyuan, "郑村里", days_ago=6)
    day = timezone.localdate() - timedelta(days=5)
    query = {"node": world.zhengyuan_grid.pk, "from": day.isoformat(), "to": day.isoformat()}
    client.force_login(world.cadre_zhengyuan)
    page = client.get(reverse("control:overdue_list"), query).content.decode()
    assert f"{reverse('control:overdue_export')}?node={world.zhengyuan_grid.pk}&amp;" in page
    rows, events = _get(client, world.cadre_zhengyuan, "control:overdue_export", **query)
    assert [row[:3] for row in rows[1:]] == [
        [day.isoformat(), "下午", "郑*格"],
        [day.isoformat(), "上午", "郑*格"],
    ]
    assert events == [("control.overdue.export", world.cadre_zhengyuan.pk)]
    everywhere, _ = _get(client, world.cadre_zhengyuan, "control:overdue_export")
    assert {row[2] for row in everywhere[1:]} == {"郑*格", "郑*里"}
    assert day.isoformat() not in {row[0] for row in everywhere[1:]}  # the last three days


def test_missed_slots_export_of_a_node_elsewhere_is_404(world, client):
    client.force_login(world.cadre_zhengyuan)
    url = reverse("control:overdue_export")
    assert client.get(url, {"node": world.sandian.pk}).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "control:key_person_export",
        "control:reading_export",
        "control:overdue_export",
        "control:alert_export",
    ],
)
def test_another_village_exports_none_of_these_rows(name, fever, world, client):
    rows, _ = _get(client, world.cadre_sandian, name)
    assert len(rows) == 1, rows  # the headers only


@pytest.mark.parametrize("name", ["control:key_person_export", "control:alert_export"])
def test_a_role_without_the_export_permission_gets_404(name, world, client):
    client.force_login(world.volunteer_zhengyuan)
    assert client.get(reverse(name)).status_code == 404


def test_each_list_page_offers_its_export_to_who_may_take_it(fever, world, client):
    pages = {
        "control:key_person_list": "control:key_person_export",
        "control:alert_list": "control:alert_export",
        "control:overdue_list": "control:overdue_export",
    }
    for page, export in pages.items():
        client.force_login(world.cadre_zhengyuan)
        assert reverse(export) in client.get(reverse(page)).content.decode()
        client.force_login(world.volunteer_zhengyuan)
        assert reverse(export) not in client.get(reverse(page)).content.decode()
    client.force_login(world.health_zhengyuan)
    assert (
        reverse("control:reading_export") in client.get(reverse("control:rounds")).content.decode()
    )
