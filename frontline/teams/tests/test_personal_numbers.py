"""Whole ID and phone numbers stay out of the teams app: never searched from a URL, never
echoed into a page, never typed into an activity's or a vehicle's free text (SECURITY 9)."""

import pytest
from django.urls import reverse

from frontline.people.tests.factories import resident_make
from frontline.teams.tests.factories import team_make

ID_NUMBER = "320707197302077716"
PHONE = "13917425235"
REFUSED = "完整的身份证号或手机号不能放进网址"


@pytest.mark.parametrize("number", [ID_NUMBER, PHONE, "139 1742 5235"])
def test_it_refuses_a_whole_number_in_the_member_search_url(number, world, login):
    team = team_make(world.sandian)
    resident_make(world.sandian_grid, name="丁小庆", id_number=ID_NUMBER, phone=PHONE)
    client = login(world.cadre_sandian)
    url = reverse("teams:member_add", args=[team.pk])
    answer = client.get(url, {"q": number})
    assert answer.status_code == 302 and answer.url == url
    page = client.get(answer.url).content.decode()
    assert REFUSED in page
    assert "丁小庆" not in page and number not in page and "7716" not in page


def test_it_still_finds_a_resident_by_name_or_phone_tail(world, login):
    team = team_make(world.sandian)
    resident_make(world.sandian_grid, name="丁小庆", id_number=ID_NUMBER, phone=PHONE)
    client = login(world.cadre_sandian)
    url = reverse("teams:member_add", args=[team.pk])
    for q in ("丁小庆", "5235"):
        page = client.get(url, {"q": q})
        assert page.status_code == 200 and "丁小庆" in page.content.decode(), q
