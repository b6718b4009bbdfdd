"""Home isolation, 六包一 and release."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.control import services
from frontline.control.models import IsolationStatus, Reading, SixRole
from frontline.control.selectors import six_gaps
from frontline.control.tests.factories import isolation_make


def test_the_end_date_is_the_start_plus_the_planned_days(isolated_sandian):
    assert isolated_sandian.planned_days == 14
    assert isolated_sandian.end_date == isolated_sandian.start_date + timedelta(days=14)


def test_one_person_cannot_be_isolated_twice_at_once(world, isolated_sandian):
    with pytest.raises(ValidationError, match="已在居家隔离中"):
        services.isolation_start(
            actor=world.cadre_sandian,
            key_person=isolated_sandian.key_person,
            address="x",
            start_date=timezone.localdate(),
        )


def test_an_isolation_missing_any_of_the_six_is_a_gap(world, isolated_sandian):
    gaps = six_gaps(world.cadre_sandian)
    assert gaps[0].missing == [role.label for role in SixRole]
    services.responsible_set(
        actor=world.cadre_sandian,
        isolation=isolated_sandian,
        role=SixRole.HEALTH_WORKER,
        user=world.health_sandian,
    )
    assert "卫生员" not in six_gaps(world.cadre_sandian)[0].missing


def test_all_six_named_closes_the_gap(world, isolated_sandian):
    people = {
        SixRole.VILLAGE_LEADER: world.town_leader,
        SixRole.CADRE: world.cadre_sandian,
        SixRole.VOLUNTEER: world.volunteer_sandian,
        SixRole.HEALTH_WORKER: world.health_sandian,
        SixRole.POLICE: world.police_sandian,
        SixRole.GRID_WORKER: world.grid_sandian,
    }
    for role, user in people.items():
        services.responsible_set(
            actor=world.cadre_sandian, isolation=isolated_sandian, role=role, user=user
        )
    assert six_gaps(world.cadre_sandian) == []


def test_a_user_of_another_village_cannot_be_one_of_the_six(world, isolated_sandian):
    with pytest.raises(ValidationError, match="不在本辖区"):
        services.responsible_set(
            actor=world.admin,
            isolation=isolated_sandian,
            role=SixRole.CADRE,
            user=world.cadre_zhengyuan,
        )


def test_the_six_page_saves_the_picked_people(world, isolated_sandian, login):
    response = login(world.cadre_sandian).post(
        reverse("control:isolation_six", args=[isolated_sandian.pk]),
        {"cadre": f"u{world.cadre_sandian.pk}", "grid_worker": f"u{world.grid_sandian.pk}"},
    )
    assert response.status_code == 302
    assert {r.role for r in isolated_sandian.six.all()} == {"cadre", "grid_worker"}


def _normal_last_day(isolation, health):
    last_day = isolation.end_date - timedelta(days=1)
    Reading.objects.create(
        isolation=isolation,
        node=isolation.node,
        local_date=last_day,
        slot="am",
        value="36.5",
        taken_at=timezone.now(),
        taken_by=health,
    )


def test_release_is_refused_before_the_end_date(world, isolated_sandian):
    with pytest.raises(ValidationError, match="未到解除日期"):
        services.isolation_release(actor=world.cadre_sandian, isolation=isolated_sandian)


def test_release_on_the_end_date_with_a_normal_last_day(world):
    isolation = isolation_make(world, world.sandian, "满期人", days_ago=14)
    _normal_last_day(isolation, world.health_sandian)
    services.isolation_release(actor=world.cadre_sandian, isolation=isolation)
    isolation.refresh_from_db()
    assert (
        isolation.status == IsolationStatus.RELEASED and isolation.ended_by == world.cadre_sandian
    )


def test_release_is_refused_while_an_alert_is_open(world):
    isolation = isolation_make(world, world.sandian, "满期人", days_ago=14)
    _normal_last_day(isolation, world.health_sandian)
    services.reading_record(
        actor=world.health_sandian, isolation=isolation, value="38.0", slot="am"
    )
    with pytest.raises(ValidationError, match="未处置的发热预警"):
        services.isolation_release(actor=world.cadre_sandian, isolation=isolation)


def test_release_is_refused_when_the_last_day_had_a_fever(world):
    isolation = isolation_make(world, world.sandian, "满期人", days_ago=14)
    last_day = isolation.end_date - timedelta(days=1)
    Reading.objects.create(
        isolation=isolation,
        node=isolation.node,
        local_date=last_day,
        slot="pm",
        value="37.6",
        is_fever=True,
        taken_at=timezone.now(),
        taken_by=world.health_sandian,
    )
    with pytest.raises(ValidationError, match="最后一天体温异常"):
        services.isolation_release(actor=world.cadre_sandian, isolation=isolation)


def test_ending_early_needs_a_reason_and_keeps_the_history(world, isolated_sandian, login):
    client = login(world.cadre_sandian)
    url = reverse("control:isolation_end", args=[isolated_sandian.pk])
    assert client.post(url, {"status": "ended_early", "reason": ""}).status_code == 422
    client.post(url, {"status": "transferred", "reason": "转集中隔离点"})
    isolated_sandian.refresh_from_db()
    assert isolated_sandian.status == IsolationStatus.TRANSFERRED
    detail = client.get(reverse("control:key_person_detail", args=[isolated_sandian.key_person_id]))
    assert "转集中隔离点" in detail.content.decode()


def test_a_party_member_without_an_account_can_be_the_volunteer(world, isolated_sandian, login):
    from frontline.people.models import Tag
    from frontline.people.tests.factories import resident_make

    member = resident_make(world.sandian_grid, name="党员老李")
    member.tags.add(Tag.objects.get_or_create(name="党员")[0])
    client = login(world.cadre_sandian)
    page = client.get(reverse("control:isolation_six", args=[isolated_sandian.pk]))
    assert "党员老李" in page.content.decode()
    client.post(
        reverse("control:isolation_six", args=[isolated_sandian.pk]), {"volunteer": f"r{member.pk}"}
    )
    assert isolated_sandian.six.get(role="volunteer").resident == member


def test_a_value_not_offered_is_refused(world, isolated_sandian, login):
    response = login(world.cadre_sandian).post(
        reverse("control:isolation_six", args=[isolated_sandian.pk]),
        {"cadre": f"u{world.cadre_zhengyuan.pk}"},
    )
    assert response.status_code == 422
    assert not isolated_sandian.six.exists()


def test_the_gap_page_groups_isolations_by_village(
    world, isolated_sandian, isolated_zhengyuan, login
):
    page = login(world.town_leader).get(reverse("control:gap_list")).content.decode()
    assert "三店村（1）" in page and "郑园村（1）" in page


def test_the_six_pickers_offer_only_who_can_hold_each_role(world, isolated_sandian, login):
    form = (
        login(world.cadre_sandian)
        .get(reverse("control:isolation_six", args=[isolated_sandian.pk]))
        .context["form"]
    )

    def offered(role: str) -> set[str]:
        return {
            value
            for _, group in form.fields[role].choices[1:]
            for value, _ in group
            if value.startswith("u")
        }

    assert offered("health_worker") >= {f"u{world.health_sandian.pk}"}
    assert f"u{world.cadre_sandian.pk}" not in offered("health_worker")
    for role in ("village_leader", "cadre", "volunteer", "health_worker", "police", "grid_worker"):
        assert f"u{world.supply_keeper_sandian.pk}" not in offered(role)
        assert f"u{world.inspector.pk}" not in offered(role)
    assert f"u{world.town_leader.pk}" in offered("village_leader")


def test_the_warehouse_keeper_cannot_be_the_health_worker(world, isolated_sandian):
    with pytest.raises(ValidationError, match="不能担任卫生员"):
        services.responsible_set(
            actor=world.cadre_sandian,
            isolation=isolated_sandian,
            role=SixRole.HEALTH_WORKER,
            user=world.supply_keeper_sandian,
        )
    assert not isolated_sandian.six.exists()


def test_only_the_volunteer_may_be_a_resident_without_an_account(world, isolated_sandian):
    from frontline.people.tests.factories import resident_make

    member = resident_make(world.sandian_grid, name="党员老王")
    with pytest.raises(ValidationError, match="须为有账号的工作人员"):
        services.responsible_set(
            actor=world.cadre_sandian, isolation=isolated_sandian, role="police", resident=member
        )


def test_another_grids_worker_cannot_be_the_grid_worker_of_the_six(world, login):
    """One of the six must be able to open the case they answer for: the grid worker of the
    person's own grid is offered and accepted; the worker of another grid of the same
    village, who cannot see the person, is neither."""
    from frontline.core import services as core_services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.core.tests.fixtures import user_make

    second = core_services.node_create(
        actor=None, kind=NodeKind.GRID, name="第二网格", parent=world.sandian
    )
    elsewhere = isolation_make(world, second, "王二网")
    own_grid_worker = user_make("grid_second", (Role.GRID_WORKER, second))
    form = (
        login(world.cadre_sandian)
        .get(reverse("control:isolation_six", args=[elsewhere.pk]))
        .context["form"]
    )
    offered = {value for _, group in form.fields["grid_worker"].choices[1:] for value, _ in group}
    assert f"u{own_grid_worker.pk}" in offered and f"u{world.grid_sandian.pk}" not in offered
    with pytest.raises(ValidationError, match="看不到这名隔离人员"):
        services.responsible_set(
            actor=world.cadre_sandian,
            isolation=elsewhere,
            role=SixRole.GRID_WORKER,
            user=world.grid_sandian,
        )
    assert not elsewhere.six.exists()
    services.responsible_set(
        actor=world.cadre_sandian,
        isolation=elsewhere,
        role=SixRole.GRID_WORKER,
        user=own_grid_worker,
    )
    assert (
        login(own_grid_worker)
        .get(reverse("control:key_person_detail", args=[elsewhere.key_person_id]))
        .status_code
        == 200
    )
