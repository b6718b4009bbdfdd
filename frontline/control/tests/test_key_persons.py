"""Key persons under 四个一: registration, gaps, timeline, closure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from frontline.control import services
from frontline.control.models import KeyPerson, KeyPersonStatus, TimelineKind
from frontline.control.selectors import key_person_list
from frontline.control.tests.factories import isolation_make
from frontline.control.tests.test_readings import at_local
from frontline.core.models import AuditEvent
from frontline.people.tests.factories import resident_make


def test_a_cadre_registers_a_resident_as_a_key_person(world, login, category):
    resident = resident_make(node=world.sandian_grid, name="李四")
    response = login(world.cadre_sandian).post(
        reverse("control:key_person_register", args=[resident.pk]),
        {"category": category.pk, "found_via": "checkpoint", "origin": "湖北省武汉市"},
    )
    person = KeyPerson.objects.get(resident=resident)
    assert response.status_code == 302
    assert person.node == world.sandian_grid and person.found_via == "checkpoint"
    assert person.timeline.get().kind == TimelineKind.REGISTERED


def test_a_resident_already_under_control_is_not_registered_twice(world, category):
    resident = resident_make(node=world.sandian, name="李四")
    services.key_person_register(actor=world.cadre_sandian, resident=resident, category=category)
    with pytest.raises(ValidationError, match="已在管控中"):
        services.key_person_register(
            actor=world.cadre_sandian, resident=resident, category=category
        )


def test_a_cadre_cannot_register_a_resident_of_another_village(world, category):
    resident = resident_make(node=world.zhengyuan, name="郑四")
    with pytest.raises(PermissionDenied):
        services.key_person_register(
            actor=world.cadre_sandian, resident=resident, category=category
        )


def test_a_key_person_without_leader_or_plan_shows_as_a_gap(world, category, login):
    resident = resident_make(node=world.sandian, name="李四")
    person = services.key_person_register(
        actor=world.cadre_sandian, resident=resident, category=category
    )
    assert person.gaps == ["责任领导", "工作专班", "管控方案"]
    page = login(world.cadre_sandian).get(reverse("control:gap_list")).content.decode()
    assert "缺：责任领导、工作专班、管控方案" in page
    services.key_person_set_control(
        actor=world.cadre_sandian,
        key_person=person,
        leader=world.town_leader,
        team="三店村专班",
        plan="居家隔离",
    )
    assert person.gaps == []
    assert not key_person_list(world.cadre_sandian, gaps_only=True).exists()


def test_every_action_lands_on_the_timeline_until_closure(world, isolated_sandian):
    person = isolated_sandian.key_person
    services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="36.6", slot="am"
    )
    fever, _ = services.reading_record(
        actor=world.health_sandian,
        isolation=isolated_sandian,
        value="37.9",
        slot="pm",
        taken_at=at_local(15, days_ago=1),
    )
    services.alert_handle(
        actor=world.health_sandian,
        alert=fever.alert,
        action="retest",
        note="复测",
        retest_value="36.8",
    )
    services.isolation_end(
        actor=world.cadre_sandian,
        isolation=isolated_sandian,
        status="ended_early",
        reason="核酸阴性，提前解除",
    )
    services.key_person_close(actor=world.cadre_sandian, key_person=person, reason="观察期满")
    kinds = list(person.timeline.order_by("at", "pk").values_list("kind", flat=True))
    # A normal reading lives in the readings table; a fever and its handling are steps.
    assert kinds == ["registered", "isolation", "alert", "alert", "isolation", "closed"]
    person.refresh_from_db()
    assert person.status == KeyPersonStatus.CLOSED


def test_closing_is_refused_while_isolated(world, isolated_sandian):
    with pytest.raises(ValidationError, match="仍在居家隔离中"):
        services.key_person_close(
            actor=world.cadre_sandian, key_person=isolated_sandian.key_person, reason="x"
        )


def test_the_audit_holds_field_names_not_the_plan(world, isolated_sandian):
    services.key_person_set_control(
        actor=world.cadre_sandian,
        key_person=isolated_sandian.key_person,
        leader=None,
        team="专班",
        plan="每天两次测温，秘密内容",
    )
    event = AuditEvent.objects.filter(action="control.key_person.control").get()
    assert event.fields == ["plan", "team"]
    assert "秘密" not in str(event.fields) + event.reason


def test_the_list_shows_only_the_users_villages(world, isolated_sandian, isolated_zhengyuan, login):
    page = login(world.cadre_sandian).get(reverse("control:key_person_list"))
    ids = {p.pk for p in page.context["page"]}
    assert ids == {isolated_sandian.key_person_id}
    town = login(world.town_leader).get(reverse("control:key_person_list"))
    assert {p.pk for p in town.context["page"]} == {
        isolated_sandian.key_person_id,
        isolated_zhengyuan.key_person_id,
    }


def test_names_are_masked_in_the_list(world, isolated_sandian, login):
    page = login(world.cadre_sandian).get(reverse("control:key_person_list")).content.decode()
    assert "王*明" in page and "王小明" not in page


def test_a_note_needs_text(world, isolated_sandian):
    with pytest.raises(ValidationError):
        services.key_person_note(
            actor=world.cadre_sandian, key_person=isolated_sandian.key_person, text="  "
        )


def test_services_are_counted_per_village_and_kind(world, isolated_sandian, login):
    from django.utils import timezone

    from frontline.control.models import ServiceKind
    from frontline.control.selectors import service_counts_by_village

    kind = ServiceKind.objects.get_or_create(
        name="送咨询（宣传单）", defaults={"quantity_label": "张"}
    )[0]
    for quantity in (20, 30):
        services.service_record(
            actor=world.cadre_sandian,
            resident=isolated_sandian.key_person.resident,
            kind=kind,
            delivered_on=timezone.localdate(),
            quantity=quantity,
        )
    rows = service_counts_by_village(world.town_leader)
    assert rows == [
        {"village": "三店村", "kind__name": "送咨询（宣传单）", "times": 2, "quantity": 50}
    ]
    timeline = isolated_sandian.key_person.timeline.filter(kind="service")
    assert timeline.count() == 2


def test_reading_health_records_is_audited_without_name_or_id(world, isolated_sandian, login):
    client = login(world.cadre_sandian)
    client.get(reverse("control:key_person_detail", args=[isolated_sandian.key_person_id]))
    client.get(reverse("control:alert_list"))
    client.get(reverse("api:control_rounds_today"))
    events = AuditEvent.objects.filter(actor=world.cadre_sandian, action__startswith="control.")
    assert {e.action for e in events} >= {"control.key_person.view", "control.alert.list"}
    resident = isolated_sandian.key_person.resident
    for event in events:
        text = f"{event.object_id} {event.fields} {event.reason} {event.object_type}"
        assert resident.name not in text and resident.id_number not in text


def test_the_grid_workers_visits_open_the_key_persons_of_the_grid(world, login):
    """网格走访 on the grid worker's home is built: the grid's key persons, counted, each
    visit written on the case page; no card on their home says 建设中."""
    isolation_make(world, world.sandian_grid, "王小明")
    isolation_make(world, world.sandian_grid, "王小红")
    isolation_make(world, world.zhengyuan_grid, "郑大力")
    client = login(world.grid_sandian)
    home = client.get(reverse("core:home")).content.decode()
    card = home.split("网格走访")[0].rsplit("<a ", 1)[1]
    assert f'href="{reverse("control:key_person_list")}"' in card
    assert "建设中" not in home
    visits = client.get(reverse("control:key_person_list"))
    assert {p.resident.name for p in visits.context["page"]} == {"王小明", "王小红"}
    assert "网格走访" in home and ">2<" in home.split("网格走访")[1][:200]
