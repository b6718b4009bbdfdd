"""Who sees an isolated person's name and address in full: the village's health worker and
the isolation's 六包一 (their own round), on every page, sheet and API answer alike; anyone
else masked, everywhere (SECURITY 3). The health worker handling a fever alert must know
which door to knock on."""

import pytest
from django.urls import reverse

from frontline.control import services
from frontline.control.models import Alert
from frontline.control.tests.test_api import bearer
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.core.tests.workbooks import workbook_rows

FULL_NAME, MASKED_NAME = "王小明", "王*明"
FULL_ADDRESS = "第一网格1组3号"


@pytest.fixture
def alert(world, isolated_sandian):
    services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="38.1", slot="am"
    )
    return Alert.objects.get(isolation=isolated_sandian)


SURFACES = {
    "case page",
    "key person list",
    "alert list",
    "alert page",
    "round",
    "key person sheet",
    "体温登记表",
    "alert sheet",
    "API key person",
    "API isolation",
    "API alerts",
    "API round",
}
ROUNDS = {"round", "API round"}  # a health worker's pages: another user gets 404 there


def _surfaces(client, user, alert) -> dict[str, str]:
    """What each page, sheet and API answer of control shows this user about the person,
    for those that show them at all (a cadre has no round: its page is 404, its API
    answer empty)."""
    isolation = alert.isolation
    person = isolation.key_person
    client.force_login(user)
    pages = {
        "case page": reverse("control:key_person_detail", args=[person.pk]),
        "key person list": reverse("control:key_person_list"),
        "alert list": reverse("control:alert_list"),
        "alert page": reverse("control:alert_handle", args=[alert.pk]),
        "round": reverse("control:rounds"),
    }
    shown = {}
    for what, url in pages.items():
        response = client.get(url)
        if response.status_code != 404:
            assert response.status_code == 200, (what, response.status_code)
            shown[what] = response.content.decode()
    for what, name in [
        ("key person sheet", "control:key_person_export"),
        ("体温登记表", "control:reading_export"),
        ("alert sheet", "control:alert_export"),
    ]:
        shown[what] = str(workbook_rows(client.get(reverse(name))))
    headers = bearer(user)
    for what, url in [
        ("API key person", reverse("api:control_key_person_detail", args=[person.pk])),
        ("API isolation", reverse("api:control_isolation_detail", args=[isolation.pk])),
        ("API alerts", reverse("api:control_alert_list")),
        ("API round", reverse("api:control_rounds_today")),
    ]:
        response = client.get(url, headers=headers)
        if response.status_code != 404:
            assert response.status_code == 200, (what, response.status_code)
            shown[what] = response.content.decode("unicode_escape")
    return {what: text for what, text in shown.items() if FULL_NAME in text or MASKED_NAME in text}


def _in_full(shown: dict[str, str]) -> set[str]:
    return {what for what, text in shown.items() if FULL_NAME in text}


def _masked(shown: dict[str, str]) -> set[str]:
    return {what for what, text in shown.items() if MASKED_NAME in text and FULL_NAME not in text}


def test_the_village_health_worker_sees_the_person_in_full_everywhere(world, client, alert):
    shown = _surfaces(client, world.health_sandian, alert)
    assert set(shown) == SURFACES and _in_full(shown) == set(shown)
    # The door to knock on: the address on the alert and on the case page.
    assert FULL_ADDRESS in shown["alert page"] and FULL_ADDRESS in shown["case page"]
    assert FULL_ADDRESS in shown["API isolation"] and FULL_ADDRESS in shown["体温登记表"]


def test_a_worker_off_the_round_sees_the_person_masked_everywhere(world, client, alert):
    # A town health centre's worker may look and handle, but this is not their round.
    town_health = user_make("town_health", (Role.HEALTH_WORKER, world.town))
    shown = _surfaces(client, town_health, alert)
    assert set(shown) == SURFACES and _masked(shown) == set(shown)
    assert not any(FULL_ADDRESS in text for text in shown.values())


def test_the_six_see_in_full_while_the_isolation_lasts(world, client, alert):
    cadre = world.cadre_sandian
    shown = _surfaces(client, cadre, alert)
    assert set(shown) == SURFACES - ROUNDS and _masked(shown) == set(shown)
    services.responsible_set(
        actor=world.cadre_sandian, isolation=alert.isolation, role="cadre", user=cadre
    )
    shown = _surfaces(client, cadre, alert)
    assert set(shown) == SURFACES - ROUNDS and _in_full(shown) == set(shown)
    services.isolation_end(
        actor=world.health_sandian,
        isolation=alert.isolation,
        status="transferred",
        reason="转发热门诊",
    )
    # Over: the cadre's part in it ended with it; the village's health worker keeps it.
    client.force_login(cadre)
    page = client.get(reverse("control:key_person_detail", args=[alert.isolation.key_person_id]))
    assert MASKED_NAME in page.content.decode() and FULL_NAME not in page.content.decode()
    client.force_login(world.health_sandian)
    page = client.get(reverse("control:key_person_detail", args=[alert.isolation.key_person_id]))
    assert FULL_NAME in page.content.decode()
