"""Rosters, check-in and check-out, and the town's "unmanned now" list."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.checkpoints import selectors, services
from frontline.checkpoints.tests.factories import checkpoint_make, shift_make, shift_member_make

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2020, 2, 10)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def night_template(world):
    return services.shift_template_create(
        actor=world.admin, node=world.town, name="夜班", start=time(22), end=time(6)
    )


def test_a_night_shift_ends_the_next_morning_and_belongs_to_its_first_day(world):
    checkpoint = checkpoint_make(world.sandian)
    shift = shift_make(checkpoint, DAY, time(22), time(6))
    assert shift.day == DAY
    assert shift.ends_at == at(date(2020, 2, 11), 6)
    assert list(selectors.shifts_of_day(checkpoint, DAY)) == [shift]
    assert not selectors.shifts_of_day(checkpoint, date(2020, 2, 11)).exists()


def test_a_check_in_after_midnight_lands_on_yesterdays_night_shift(world, night_template):
    checkpoint = checkpoint_make(world.sandian)
    member = services.duty_check_in(
        actor=world.cadre_sandian, checkpoint=checkpoint, at=at(date(2020, 2, 11), 2)
    )
    assert member.shift.day == DAY
    assert member.shift.template == night_template
    assert member.shift.starts_at == at(DAY, 22)


def test_a_check_in_before_a_rostered_shift_takes_that_shift(world):
    checkpoint = checkpoint_make(world.sandian)
    shift = shift_make(checkpoint, DAY, time(6), time(14))
    shift_member_make(shift, world.volunteer_sandian)
    member = services.duty_check_in(
        actor=world.volunteer_sandian, checkpoint=checkpoint, at=at(DAY, 5, 30)
    )
    assert member.shift == shift and member.checked_in_at == at(DAY, 5, 30)


def test_checking_in_twice_keeps_the_first_time(world):
    checkpoint = checkpoint_make(world.sandian)
    first = services.duty_check_in(actor=world.cadre_sandian, checkpoint=checkpoint, at=at(DAY, 8))
    again = services.duty_check_in(actor=world.cadre_sandian, checkpoint=checkpoint, at=at(DAY, 9))
    assert again.pk == first.pk and again.checked_in_at == at(DAY, 8)


def test_the_unmanned_list_is_empty_when_every_open_checkpoint_is_manned(world):
    east = checkpoint_make(world.sandian, "东口")
    south = checkpoint_make(world.zhengyuan, "南口")
    closed = checkpoint_make(world.sandian, "旧卡口")
    closed.is_open = False
    closed.save()
    now = at(DAY, 9)
    assert set(selectors.checkpoints_unmanned_now(world.town_leader, now)) == {east, south}
    services.duty_check_in(actor=world.cadre_sandian, checkpoint=east, at=at(DAY, 8))
    services.duty_check_in(actor=world.cadre_zhengyuan, checkpoint=south, at=at(DAY, 8))
    assert list(selectors.checkpoints_unmanned_now(world.town_leader, now)) == []


def test_a_checkpoint_is_unmanned_once_its_only_person_checks_out_early(world):
    east = checkpoint_make(world.sandian, "东口")
    shift_make(east, DAY, time(6), time(14))
    services.duty_check_in(actor=world.cadre_sandian, checkpoint=east, at=at(DAY, 6))
    services.duty_check_in(actor=world.volunteer_sandian, checkpoint=east, at=at(DAY, 6))
    services.duty_check_out(actor=world.cadre_sandian, checkpoint=east, at=at(DAY, 10))
    assert list(selectors.checkpoints_unmanned_now(world.town_leader, at(DAY, 11))) == []
    services.duty_check_out(actor=world.volunteer_sandian, checkpoint=east, at=at(DAY, 11))
    # Manned until the last one left; unmanned right after, though the shift runs to 14:00.
    assert list(selectors.checkpoints_unmanned_now(world.town_leader, at(DAY, 10, 59))) == []
    assert list(selectors.checkpoints_unmanned_now(world.town_leader, at(DAY, 11, 1))) == [east]


def test_a_checkpoint_is_unmanned_when_the_shift_ends_without_relief(world):
    east = checkpoint_make(world.sandian, "东口")
    shift_make(east, DAY, time(6), time(14))
    services.duty_check_in(actor=world.cadre_sandian, checkpoint=east, at=at(DAY, 6))
    assert list(selectors.checkpoints_unmanned_now(world.town_leader, at(DAY, 15))) == [east]


def test_the_unmanned_list_holds_only_the_users_scope(world):
    checkpoint_make(world.sandian, "东口")
    checkpoint_make(world.zhengyuan, "南口")
    names = {c.name for c in selectors.checkpoints_unmanned_now(world.cadre_sandian)}
    assert names == {"东口"}


def test_checking_out_without_checking_in_is_explained(world):
    east = checkpoint_make(world.sandian, "东口")
    with pytest.raises(ValidationError, match="没有在这个卡口签到"):
        services.duty_check_out(actor=world.cadre_sandian, checkpoint=east)


def test_the_phone_checks_in_and_out_through_the_api(world, login):
    east = checkpoint_make(world.sandian, "东口")
    client = login(world.volunteer_sandian)
    response = client.post(reverse("api:checkpoints_check_in", args=[east.pk]))
    assert response.status_code == 200 and response.json()["checked_out_at"] is None
    unmanned = client.get(reverse("api:checkpoints_unmanned")).json()
    assert unmanned == []
    listed = client.get(reverse("api:checkpoints_list")).json()["items"]
    assert listed[0]["manned"] is True and listed[0]["node_name"] == "三店村"
    out = client.post(reverse("api:checkpoints_check_out", args=[east.pk]))
    assert out.status_code == 200 and out.json()["checked_out_at"]
    assert [c["name"] for c in client.get(reverse("api:checkpoints_unmanned")).json()] == ["东口"]


def test_the_pages_check_in_and_show_who_is_on_duty(world, login):
    east = checkpoint_make(world.sandian, "东口")
    client = login(world.cadre_sandian)
    response = client.post(reverse("checkpoints:check_in", args=[east.pk]), follow=True)
    assert "已在东口签到" in response.content.decode()
    detail = client.get(reverse("checkpoints:detail", args=[east.pk])).content.decode()
    assert "已签到" in detail and "cadre_sandian" in detail
    assert (
        "每个运行中的卡口都有人签到在岗"
        in client.get(reverse("checkpoints:unmanned")).content.decode()
    )


def test_a_roster_takes_users_and_named_volunteers(world, login):
    east = checkpoint_make(world.sandian, "东口")
    client = login(world.cadre_sandian)
    client.post(
        reverse("checkpoints:shift_create", args=[east.pk]),
        {"day": "2020-02-10", "start": "22:00", "end": "06:00"},
    )
    shift = east.shifts.get()
    assert shift.ends_at == at(date(2020, 2, 11), 6)
    client.post(reverse("checkpoints:member_add", args=[shift.pk]), {"name": "张志愿"})
    client.post(
        reverse("checkpoints:member_add", args=[shift.pk]), {"user": world.volunteer_sandian.pk}
    )
    assert sorted(m.display_name for m in shift.members.all()) == ["volunteer_sandian", "张志愿"]
    named = shift.members.get(name="张志愿")
    client.post(reverse("checkpoints:member_remove", args=[named.pk]))
    assert [m.display_name for m in shift.members.all()] == ["volunteer_sandian"]


def test_someone_from_another_village_cannot_be_put_on_a_shift(world, login):
    east = checkpoint_make(world.sandian, "东口")
    shift = shift_make(east, DAY)
    client = login(world.cadre_sandian)
    client.post(
        reverse("checkpoints:member_add", args=[shift.pk]), {"user": world.cadre_zhengyuan.pk}
    )
    assert not shift.members.exists()


def test_a_volunteer_may_log_but_not_manage(world, login):
    east = checkpoint_make(world.sandian, "东口")
    client = login(world.volunteer_sandian)
    assert client.get(reverse("checkpoints:log", args=[east.pk])).status_code == 200
    assert client.get(reverse("checkpoints:edit", args=[east.pk])).status_code == 404
    assert client.get(reverse("checkpoints:create")).status_code == 404


def test_the_roster_api_lists_a_night_shift_on_its_first_day(world, login):
    east = checkpoint_make(world.sandian, "东口")
    shift = shift_make(east, DAY, time(22), time(6))
    shift_member_make(shift, world.volunteer_sandian)
    shift_member_make(shift, name="张志愿")
    client = login(world.cadre_sandian)
    url = reverse("api:checkpoints_shifts", args=[east.pk])
    roster = client.get(url, {"date": "2020-02-10"}).json()
    assert [m["name"] for m in roster[0]["members"]] == ["volunteer_sandian", "张志愿"]
    assert roster[0]["ends_at"].startswith("2020-02-11T06:00")
    assert client.get(url, {"date": "2020-02-11"}).json() == []


def test_checking_in_elsewhere_leaves_the_first_post(world):
    east = checkpoint_make(world.sandian, "东口")
    south = checkpoint_make(world.sandian, "南口")
    services.duty_check_in(actor=world.cadre_sandian, checkpoint=east, at=at(DAY, 8))
    services.duty_check_in(actor=world.cadre_sandian, checkpoint=south, at=at(DAY, 9))
    unmanned = selectors.checkpoints_unmanned_now(world.cadre_sandian, at(DAY, 9, 30))
    assert [c.name for c in unmanned] == ["东口"]
