"""Whole ID and phone numbers stay out of the party app: never searched from a URL, never
echoed into a page (SECURITY 9)."""

import pytest
from django.urls import reverse

from frontline.party.tests.factories import org_make
from frontline.people.tests.factories import id_number_next, resident_make

PHONE = "13917425235"
REFUSED_IN_URL = "完整的身份证号或手机号不能放进网址"


@pytest.mark.parametrize("kind", ["id", "phone", "spaced phone"])
def test_it_refuses_a_whole_number_in_the_member_search_url(kind, world, login):
    id_number = id_number_next()
    number = {"id": id_number, "phone": PHONE, "spaced phone": "139 1742 5235"}[kind]
    org = org_make(world.sandian, "三店村党支部")
    resident_make(world.sandian_grid, name="丁小庆", id_number=id_number, phone=PHONE)
    client = login(world.cadre_sandian)
    url = reverse("party:member_add", args=[org.pk])
    answer = client.get(url, {"q": number})
    assert answer.status_code == 302 and answer.url == url
    page = client.get(answer.url).content.decode()
    assert REFUSED_IN_URL in page
    assert "丁小庆" not in page and number not in page and "5235" not in page


def test_it_still_finds_a_resident_by_name_or_phone_tail(world, login):
    org = org_make(world.sandian, "三店村党支部")
    resident_make(world.sandian_grid, name="丁小庆", phone=PHONE)
    client = login(world.cadre_sandian)
    url = reverse("party:member_add", args=[org.pk])
    for q in ("丁小庆", "5235"):
        page = client.get(url, {"q": q})
        assert page.status_code == 200 and "丁小庆" in page.content.decode(), q
