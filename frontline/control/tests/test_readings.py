"""Door-step temperatures, fever alerts, the round page and overdue slots."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.control import services
from frontline.control.models import Alert, Reading
from frontline.control.selectors import overdue_items, round_items
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make


def at_local(hour: int, minute: int = 0, days_ago: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.mark.parametrize("typed", ["36.5", "36.5℃", "３６．５", " 36.5 °C"])
def test_it_reads_a_temperature_as_people_type_it(world, isolated_sandian, typed):
    reading, created = services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value=typed, slot="am"
    )
    assert created and reading.value == Decimal("36.5") and not reading.is_fever


@pytest.mark.parametrize("typed", ["33.9", "43.1", "abc"])
def test_it_rejects_an_implausible_value_with_a_message(world, isolated_sandian, typed):
    with pytest.raises(ValidationError) as error:
        services.reading_record(
            actor=world.health_sandian, isolation=isolated_sandian, value=typed, slot="am"
        )
    assert "value" in error.value.message_dict
    assert not Reading.objects.exists()


@pytest.mark.parametrize(("typed", "fever"), [("37.2", False), ("37.3", True)])
def test_the_fever_boundary_is_37_3(world, isolated_sandian, typed, fever):
    reading, _ = services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value=typed, slot="am"
    )
    assert reading.is_fever is fever
    assert Alert.objects.filter(reading=reading).exists() is fever


def test_the_threshold_is_configurable(world, isolated_sandian, settings):
    settings.FEVER_THRESHOLD = "37.5"
    reading, _ = services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="37.3", slot="am"
    )
    assert not reading.is_fever


def test_a_fever_opens_an_alert_visible_to_the_village_and_town(world, isolated_sandian, login):
    services.reading_record(
        actor=world.health_sandian,
        isolation=isolated_sandian,
        value="37.8",
        slot="am",
        symptoms="咳嗽",
    )
    for user in (world.cadre_sandian, world.town_leader, world.health_sandian):
        page = login(user).get(reverse("control:alert_list")).content.decode()
        assert "37.8℃" in page
    assert (
        "37.8℃"
        not in login(world.cadre_zhengyuan).get(reverse("control:alert_list")).content.decode()
    )


def test_an_alert_is_handled_only_by_recording_what_was_done(world, isolated_sandian):
    reading, _ = services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="38.1", slot="am"
    )
    alert = reading.alert
    with pytest.raises(ValidationError, match="处置说明"):
        services.alert_handle(actor=world.health_sandian, alert=alert, action="other", note="")
    with pytest.raises(ValidationError, match="复测体温"):
        services.alert_handle(actor=world.health_sandian, alert=alert, action="retest", note="复测")
    services.alert_handle(
        actor=world.health_sandian,
        alert=alert,
        action="retest",
        note="半小时后复测",
        retest_value="36.9",
    )
    alert.refresh_from_db()
    assert not alert.is_open and alert.retest_value == Decimal("36.9")


def test_a_transfer_to_the_fever_clinic_ends_the_isolation(world, isolated_sandian):
    reading, _ = services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="38.6", slot="am"
    )
    services.alert_handle(
        actor=world.health_sandian,
        alert=reading.alert,
        action="fever_clinic",
        note="120 转运至区人民医院发热门诊",
    )
    isolated_sandian.refresh_from_db()
    assert isolated_sandian.status == "transferred"


def test_the_same_idempotency_key_twice_stores_one_reading(world, isolated_sandian):
    first, created = services.reading_record(
        actor=world.health_sandian,
        isolation=isolated_sandian,
        value="36.5",
        slot="am",
        idempotency_key="k-1",
    )
    again, created_again = services.reading_record(
        actor=world.health_sandian,
        isolation=isolated_sandian,
        value="36.5",
        slot="am",
        idempotency_key="k-1",
    )
    assert created and not created_again and again.pk == first.pk
    assert Reading.objects.count() == 1


def test_a_second_reading_for_the_same_slot_is_refused(world, isolated_sandian):
    services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="36.5", slot="am"
    )
    with pytest.raises(ValidationError, match="该时段已测过"):
        services.reading_record(
            actor=world.health_sandian, isolation=isolated_sandian, value="36.7", slot="am"
        )


def test_a_worker_of_another_village_cannot_record(world, isolated_zhengyuan):
    with pytest.raises(PermissionDenied):
        services.reading_record(
            actor=world.health_sandian, isolation=isolated_zhengyuan, value="36.5", slot="am"
        )


def test_the_round_shows_due_done_and_overdue(world, isolated_sandian):
    with mock.patch("django.utils.timezone.now", return_value=at_local(13)):
        services.reading_record(
            actor=world.health_sandian,
            isolation=isolated_sandian,
            value="36.4",
            slot="pm",
            taken_at=at_local(12, 30),
        )
        item = round_items(world.health_sandian)[0]
    assert (item.am.status, item.pm.status) == ("overdue", "done")
    with mock.patch("django.utils.timezone.now", return_value=at_local(7)):
        assert round_items(world.health_sandian)[0].am.status == "due"


def test_missed_slots_of_the_last_days_are_overdue_items(world, isolated_sandian):
    with mock.patch("django.utils.timezone.now", return_value=at_local(21)):
        items = overdue_items(world.health_sandian)
    # Three days, two slots each, none measured.
    assert len(items) == 6
    assert {(i.day, i.slot) for i in items} >= {(timezone.localdate(), "am")}


def test_the_overdue_card_counts_what_its_list_shows(world, isolated_sandian, login):
    from frontline.control.selectors import overdue_count
    from frontline.control.tests.factories import isolation_make

    # One isolated yesterday (two days of slots), one measured this morning.
    isolation_make(world, world.sandian_grid, "李小红", days_ago=1)
    with mock.patch("django.utils.timezone.now", return_value=at_local(9)):
        services.reading_record(
            actor=world.health_sandian, isolation=isolated_sandian, value="36.5", slot="am"
        )
    with mock.patch("django.utils.timezone.now", return_value=at_local(21)):
        count = overdue_count(world.health_sandian)
        page = login(world.health_sandian).get(reverse("control:overdue_list"))
        rows = overdue_items(world.health_sandian)
    # 王小明: three days less this morning's reading; 李小红: yesterday and today.
    assert count == 5 + 4 == page.context["page"].paginator.count == len(rows)
    assert rows[0].day == timezone.localdate() and rows[0].slot == "pm"


def test_the_round_page_records_a_reading_without_a_reload(world, isolated_sandian, login):
    client = login(world.health_sandian)
    page = client.get(reverse("control:rounds")).content.decode()
    assert "王小明" in page
    card = client.post(
        reverse("control:round_reading", args=[isolated_sandian.pk]),
        {"value": "37.9", "slot": "am", "idempotency_key": "abc"},
        headers={"HX-Request": "true"},
    )
    assert card.status_code == 200
    html = card.content.decode()
    assert "37.9℃" in html and "发热" in html and "<html" not in html


def test_the_round_card_tells_a_bad_value_in_place(world, isolated_sandian, login):
    card = login(world.health_sandian).post(
        reverse("control:round_reading", args=[isolated_sandian.pk]), {"value": "47", "slot": "am"}
    )
    assert card.status_code == 422
    assert "不合理" in card.content.decode()


def test_a_cadre_has_no_round_page(world, login):
    assert login(world.cadre_sandian).get(reverse("control:rounds")).status_code == 404


def test_an_afternoon_reading_at_9_53_is_refused_naming_the_window(world, isolated_sandian):
    with pytest.raises(ValidationError, match="下午测温时段为 12:00–20:00，测量时间 09:53"):
        services.reading_record(
            actor=world.health_sandian,
            isolation=isolated_sandian,
            value="36.5",
            slot="pm",
            taken_at=at_local(9, 53),
        )
    assert not Reading.objects.exists()


def test_a_reading_synced_late_for_a_time_inside_its_window_is_kept(world, isolated_sandian):
    with mock.patch("django.utils.timezone.now", return_value=at_local(21, 30)):
        reading, created = services.reading_record(
            actor=world.health_sandian,
            isolation=isolated_sandian,
            value="36.5",
            slot="pm",
            taken_at=at_local(19, 40),
        )
    assert created and reading.slot == "pm"


def test_the_api_refuses_a_time_outside_the_slot_in_chinese(world, client, isolated_sandian):
    from frontline.control.tests.test_api import post_reading

    response = post_reading(
        client,
        world.health_sandian,
        isolation_id=isolated_sandian.pk,
        value="36.5",
        slot="am",
        taken_at=at_local(13, 5, days_ago=1).isoformat(),
    )
    assert response.status_code == 422
    assert "上午测温时段为 06:00–12:00" in response.json()["detail"]


def test_the_round_card_refuses_the_afternoon_in_the_morning(world, isolated_sandian, login):
    card = login(world.health_sandian).post(
        reverse("control:round_reading", args=[isolated_sandian.pk]),
        {"value": "36.5", "slot": "pm", "idempotency_key": "pm-early"},
        headers={"HX-Request": "true"},
    )
    assert card.status_code == 422
    assert "下午测温时段为 12:00–20:00" in card.content.decode()
    assert not Reading.objects.exists()


def test_an_overdue_slot_is_entered_later_with_the_time_it_was_measured(
    world, isolated_sandian, login
):
    client = login(world.health_sandian)
    with mock.patch("django.utils.timezone.now", return_value=at_local(13)):
        page = client.get(reverse("control:rounds")).content.decode()
        assert 'name="taken_time"' in page
        refused = client.post(
            reverse("control:round_reading", args=[isolated_sandian.pk]),
            {"value": "36.5", "slot": "am"},
            headers={"HX-Request": "true"},
        )
        late = client.post(
            reverse("control:round_reading", args=[isolated_sandian.pk]),
            {"value": "36.5", "slot": "am", "taken_time": "11:20"},
            headers={"HX-Request": "true"},
        )
    assert refused.status_code == 422
    assert "测量时间 13:00 不在该时段内" in refused.content.decode()
    assert late.status_code == 200 and "36.5℃" in late.content.decode()
    reading = Reading.objects.get()
    assert timezone.localtime(reading.taken_at).strftime("%H:%M") == "11:20"


def test_the_round_shows_own_people_in_full_and_others_masked(world, isolated_sandian, login):
    # A town health centre's worker measures every village, but only their own round in full.
    town_health = user_make("town_health", (Role.HEALTH_WORKER, world.town))
    page = login(town_health).get(reverse("control:rounds")).content.decode()
    assert "王*明" in page and "王小明" not in page and "1组3号" not in page
    services.responsible_set(
        actor=world.cadre_sandian,
        isolation=isolated_sandian,
        role="health_worker",
        user=town_health,
    )
    page = login(town_health).get(reverse("control:rounds")).content.decode()
    assert "王小明" in page and "第一网格1组3号" in page
    # The ID number is never on the round, not even its unmasked middle.
    id_number = isolated_sandian.key_person.resident.id_number
    assert id_number and id_number not in page and id_number[6:14] not in page
    own = login(world.health_sandian).get(reverse("control:rounds")).content.decode()
    assert "王小明" in own and "第一网格1组3号" in own


def test_the_overdue_list_pages_through_the_missed_slots_of_a_span(world, login):
    """Page by page, the list shows every missed slot once, newest day first, and as many
    as the 漏测 figure counts; its default is the last three days, as before."""
    from frontline.control.missed import MissedSlots
    from frontline.control.models import Isolation
    from frontline.control.tests.factories import isolation_make
    from frontline.core.registry import registry

    for n in range(26):
        isolation_make(world, world.sandian_grid, f"漏测{n:02d}号", days_ago=5)
    today = timezone.localdate()
    span = {"node": world.sandian.pk, "from": today - timedelta(days=2), "to": today}
    client = login(world.town_leader)
    with mock.patch("django.utils.timezone.now", return_value=at_local(21)):
        expected = MissedSlots(Isolation.objects.all(), span["from"], today)
        everything = expected[0 : expected.count()]
        figure = registry().figures["readings_missed"].compute(world.sandian, span["from"], today)
        pages = [client.get(reverse("control:overdue_list"), {**span, "page": n}) for n in (1, 2)]
        default = client.get(reverse("control:overdue_list")).context["page"].paginator.count
    # 26 people × 2 slots × 3 days, on two pages of 50 (and a third page of 56).
    assert figure == 156 == len(everything) == default
    shown = [item for page in pages for item in page.context["page"].object_list]
    assert shown == everything[:100]
    assert len({(i.isolation.pk, i.day, i.slot) for i in everything}) == 156
    assert [i.day for i in everything] == sorted((i.day for i in everything), reverse=True)
