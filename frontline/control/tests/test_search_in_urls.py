"""No whole ID number or phone in a URL (issue 15, item 5): the resident pickers of key-
person control follow the people search's rule — a whole ID or phone by POST only; in a
GET it is refused, not echoed, and no log line holds it."""

import logging

import pytest
from django.urls import reverse

from frontline.control.models import ReferralSource
from frontline.control.public import referral_open
from frontline.people.tests.factories import resident_make

ID_NUMBER = "320721198506150024"
PHONE = "13812345678"


@pytest.fixture
def resident(world):
    return resident_make(world.sandian_grid, name="王远", id_number=ID_NUMBER, phone=PHONE)


@pytest.fixture
def referral(world):
    return referral_open(
        actor=world.cadre_sandian,
        node=world.sandian,
        source_kind=ReferralSource.CHECKPOINT,
        source_id=1,
        source_place="三店村北卡口",
        name="王远",
        reason="卡口测温发热",
    )


def _no_trace(response, caplog, *secrets: str) -> None:
    page = response.content.decode() + response.get("Location", "")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in secrets:
        assert secret not in page and secret not in logged


@pytest.mark.parametrize("secret", [ID_NUMBER, PHONE, "320721 19850615 0024"])
def test_a_whole_id_or_phone_in_the_find_page_url_is_refused(
    world, login, resident, caplog, secret
):
    caplog.set_level(logging.DEBUG)
    client = login(world.cadre_sandian)
    response = client.get(reverse("control:key_person_find_resident"), {"q": secret})
    assert response.status_code == 302
    assert response["Location"] == reverse("control:key_person_find_resident")
    followed = client.get(response["Location"])
    assert "不要放在网址里" in followed.content.decode()
    _no_trace(response, caplog, secret, ID_NUMBER, PHONE)
    _no_trace(followed, caplog, ID_NUMBER, PHONE)


@pytest.mark.parametrize("secret", [ID_NUMBER, PHONE])
def test_a_whole_id_or_phone_is_searched_by_post_and_not_written_back(
    world, login, resident, caplog, secret
):
    caplog.set_level(logging.DEBUG)
    client = login(world.cadre_sandian)
    response = client.post(reverse("control:key_person_find_resident"), {"q": secret})
    assert response.status_code == 200
    assert reverse("control:key_person_register", args=[resident.pk]) in response.content.decode()
    _no_trace(response, caplog, secret)


def test_a_name_searched_by_post_goes_to_a_url_that_pages(world, login, resident):
    client = login(world.cadre_sandian)
    response = client.post(reverse("control:key_person_find_resident"), {"q": "王远"})
    assert response.status_code == 302 and "q=%E7%8E%8B%E8%BF%9C" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert reverse("control:key_person_register", args=[resident.pk]) in page


def test_a_whole_id_in_the_referral_search_url_is_refused(world, login, referral, caplog):
    caplog.set_level(logging.DEBUG)
    client = login(world.cadre_sandian)
    url = reverse("control:referral_accept", args=[referral.pk])
    response = client.get(url, {"q": ID_NUMBER})
    assert response.status_code == 302 and response["Location"] == url
    _no_trace(response, caplog, ID_NUMBER)
    _no_trace(client.get(url), caplog, ID_NUMBER)
    # The name the hand-over brought is still searched, as before.
    assert client.get(url, {"q": "王"}).status_code == 200


@pytest.mark.browser
def test_a_cadre_finds_a_resident_by_id_on_a_phone_and_the_url_stays_clean(
    live_server, live_world, phone
):
    from frontline.core.tests.fixtures import browser_login

    found = resident_make(live_world.sandian_grid, name="王远", id_number=ID_NUMBER)
    browser_login(phone, live_server, "cadre_sandian")
    phone.goto(f"{live_server.url}{reverse('control:key_person_find_resident')}")
    phone.get_by_label("查找居民").fill(ID_NUMBER)
    phone.get_by_label("查找居民").press("Enter")
    phone.get_by_text("登记", exact=True).first.wait_for()
    assert ID_NUMBER not in phone.url and ID_NUMBER not in phone.content()
    assert phone.get_by_text("王*").is_visible()
    assert reverse("control:key_person_register", args=[found.pk]) in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="/tmp/find_resident_360.png", full_page=True)
