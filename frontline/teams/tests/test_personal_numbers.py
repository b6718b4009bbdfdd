"""Whole ID and phone numbers stay out of the teams app: never searched from a URL, never
echoed into a page, never typed into an activity's or a vehicle's free text (SECURITY 9)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.people.tests.factories import resident_make
from frontline.teams.models import Activity, Team, Vehicle
from frontline.teams.tests.factories import member_make, team_make

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


def _api_log(client, team, member, **body):
    payload = {
        "kind": "patrol",
        "hours": "2",
        "member_ids": [member.pk],
        "idempotency_key": "free-text",
        **body,
    }
    return client.post(
        reverse("api:teams_activity_log", args=[team.pk]),
        json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("field", "label"), [("area", "区域/路线"), ("villages_covered", "覆盖村庄"), ("note", "说明")]
)
def test_the_api_refuses_a_phone_in_an_activitys_free_text(field, label, world, login):
    team = team_make(world.sandian)
    member = member_make(team, user=world.volunteer_sandian)
    client = login(world.volunteer_sandian)
    answer = _api_log(client, team, member, **{field: f"村东头 {PHONE} 家门口"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field
    assert label in answer.json()["detail"] and "手机号" in answer.json()["detail"]
    assert not Activity.objects.exists()
    assert _api_log(client, team, member, **{field: "村东头主干道"}).status_code == 201


def test_the_log_page_refuses_an_id_number_in_the_area(world, login):
    team = team_make(world.sandian)
    member = member_make(team, user=world.volunteer_sandian)
    client = login(world.volunteer_sandian)
    answer = client.post(
        reverse("teams:activity_log", args=[team.pk]),
        {
            "kind": "patrol",
            "day": timezone.localdate().isoformat(),
            "hours": "2",
            "participants": [member.pk],
            "area": f"劝返 {ID_NUMBER}",
            "idempotency_key": "page-area",
        },
    )
    assert answer.status_code == 422
    assert "身份证号" in " ".join(answer.context["form"].errors["area"])
    assert not Activity.objects.exists()


def test_a_team_name_or_a_vehicles_note_with_a_phone_is_refused(world, login):
    client = login(world.cadre_sandian)
    named = client.post(
        reverse("api:teams_create"),
        json.dumps({"node_id": world.sandian.pk, "kind": "patrol", "name": f"巡逻队{PHONE}"}),
        content_type="application/json",
    )
    assert named.status_code == 422 and named.json()["errors"][0]["field"] == "name"
    assert not Team.objects.exists()
    team = team_make(world.sandian)
    answer = client.post(
        reverse("teams:vehicle_add", args=[team.pk]),
        {"plate": "苏G12345", "note": f"车主 {PHONE}"},
        follow=True,
    )
    page = answer.content.decode()
    assert "车辆未登记" in page and "说明：" in page and PHONE not in page
    assert not Vehicle.objects.exists()
