"""Buttons of a key person's page that have no form to come back to answer with a message
on the page they return to: what was done, or why it was refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.control import services
from frontline.control.models import KeyPersonCategory, KeyPersonStatus
from frontline.core import services as core
from frontline.core.roles import Role
from frontline.people.tests.factories import resident_make

# Made through the services here, not the shared test helpers: the helpers are being
# renamed on main (<entity>_make) while this branch is open.


@pytest.fixture
def category(db):
    return KeyPersonCategory.objects.get_or_create(name="密切接触者")[0]


@pytest.fixture
def isolation(world, category):
    person = _person(world, category)
    return services.isolation_start(
        actor=world.admin,
        key_person=person,
        address="三店村1组3号",
        start_date=timezone.localdate() - timedelta(days=3),
    )


def _person(world, category):
    resident = resident_make(node=world.sandian_grid, name="李四")
    return services.key_person_register(
        actor=world.cadre_sandian, resident=resident, category=category
    )


def _post(client, name: str, pk: int, data: dict | None = None):
    return client.post(reverse(f"control:{name}", args=[pk]), data or {}, follow=True)


def test_a_note_without_text_is_refused_with_a_message(world, login, category):
    person = _person(world, category)
    client = login(world.cadre_sandian)
    page = _post(client, "key_person_note", person.pk, {"text": ""}).content.decode()
    assert "请填写工作记录" in page and person.timeline.count() == 1
    page = _post(client, "key_person_note", person.pk, {"text": "电话随访"}).content.decode()
    assert "已记录" in page and person.timeline.count() == 2


def test_closing_asks_for_a_reason_and_then_closes(world, login, category):
    person = _person(world, category)
    client = login(world.cadre_sandian)
    page = _post(client, "key_person_close", person.pk, {"reason": ""}).content.decode()
    assert "请填写解除管控的原因" in page
    page = _post(client, "key_person_close", person.pk, {"reason": "观察期满"}).content.decode()
    person.refresh_from_db()
    assert "已解除管控，记录保留" in page and person.status == KeyPersonStatus.CLOSED


def test_closing_during_isolation_is_refused_with_the_services_reason(world, login, isolation):
    person = isolation.key_person
    client = login(world.cadre_sandian)
    page = _post(client, "key_person_close", person.pk, {"reason": "观察期满"}).content.decode()
    person.refresh_from_db()
    assert "仍在居家隔离中，请先解除隔离" in page and person.status == KeyPersonStatus.ACTIVE


def test_releasing_before_the_end_date_says_why(world, login, isolation):
    client = login(world.cadre_sandian)
    response = _post(client, "isolation_release", isolation.pk)
    assert response.redirect_chain[-1][0] == reverse(
        "control:key_person_detail", args=[isolation.key_person_id]
    )
    assert "不能解除：未到解除日期" in response.content.decode()


def test_the_round_card_asks_for_the_value_it_was_sent_without(world, isolation, login):
    health = core.user_create(
        actor=None,
        username="health_actions",
        full_name="测温员",
        password="frontline2020",
        role=Role.HEALTH_WORKER,
        node=world.sandian,
    )
    card = login(health).post(
        reverse("control:round_reading", args=[isolation.pk]), {"value": "", "slot": "am"}
    )
    assert card.status_code == 422 and "请填写体温" in card.content.decode()
