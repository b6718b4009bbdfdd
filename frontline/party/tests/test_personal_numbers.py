"""Whole ID and phone numbers stay out of the party app: never searched from a URL, never
echoed into a page, never typed into a call's, a pledge's or an oath's free text, where the
whole zone would read them (SECURITY 9)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.party.models import Call, Oath, Pledge
from frontline.party.tests.factories import call_make, member_make, oath_make, org_make
from frontline.people.tests.factories import id_number_next, resident_make

PHONE = "13917425235"
REFUSED_IN_URL = "完整的身份证号或手机号不能放进网址"
REFUSED_IN_TEXT = "请勿在此填写身份证号或手机号"


def _api(client, name, args, body):
    return client.post(reverse(name, args=args), json.dumps(body), content_type="application/json")


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


def test_it_refuses_a_phone_in_a_pledge_through_the_api_naming_the_field(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    member = member_make(org, "孙请战")
    client = login(world.cadre_sandian)
    body = {"member_id": member.pk, "availability": PHONE, "idempotency_key": "k-1"}
    refused = _api(client, "api:party_pledge_submit", [call.pk], body)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "availability"
    assert "可参加时间" in refused.json()["detail"] and REFUSED_IN_TEXT in refused.json()["detail"]
    text = f"我的身份证 {id_number_next()}"
    body = {"member_id": member.pk, "text": text, "idempotency_key": "2"}
    refused = _api(client, "api:party_pledge_submit", [call.pk], body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "text"
    assert not Pledge.objects.exists()


def test_it_refuses_a_phone_in_a_pledge_on_the_page_beside_the_box(world, login):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    member = member_make(org, "孙请战")
    client = login(world.cadre_sandian)
    page = client.post(
        reverse("party:pledge_create", args=[call.pk]),
        {"member": member.pk, "skills": f"驾驶，电话 {PHONE}", "idempotency_key": "k-1"},
    )
    assert page.status_code == 422
    assert page.context["form"].errors["skills"][0].startswith(REFUSED_IN_TEXT)
    assert not Pledge.objects.exists()


def test_it_refuses_a_number_in_a_call_on_the_page_and_through_the_api(world, login):
    org = org_make(world.sandian, "三店村党支部")
    client = login(world.cadre_sandian)
    page = client.post(
        reverse("party:call_create", args=[org.pk]),
        {"title": "我是党员我先上", "text": f"报名请打 {PHONE}"},
    )
    assert page.status_code == 422 and page.context["form"].errors["text"]
    body = {"org_id": org.pk, "title": "倡议", "text": "请到一线去", "needs": id_number_next()}
    refused = _api(client, "api:party_call_create", [], body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "needs"
    assert not Call.objects.exists()


def test_it_refuses_a_number_in_an_oath_note_and_an_assignment_note(world, login):
    org = org_make(world.sandian, "三店村党支部")
    member = member_make(org, "许党员")
    with pytest.raises(ValidationError) as refused:
        oath_make(org, world.cadre_sandian, [member], note=f"联系人 {PHONE}")
    assert list(refused.value.message_dict) == ["note"]
    assert not Oath.objects.exists()
    call = call_make(org, world.cadre_sandian)
    client = login(world.cadre_sandian)
    body = {"member_id": member.pk, "idempotency_key": "k"}
    made = _api(client, "api:party_pledge_submit", [call.pk], body)
    assigned = _api(
        client, "api:party_pledge_assign", [made.json()["id"]], {"kind": "team", "note": PHONE}
    )
    assert assigned.status_code == 422 and assigned.json()["errors"][0]["field"] == "note"
    assert Pledge.objects.get().assignment_note == ""


def test_it_refuses_a_phone_in_a_transfers_reason_and_moves_nobody(world, login):
    first = org_make(world.sandian, "三店村党支部")
    second = org_make(world.sandian, "三店村第二党支部")
    member = member_make(first, "吴转接")
    client = login(world.cadre_sandian)
    refused = _api(
        client,
        "api:party_member_transfer",
        [member.pk],
        {"org_id": second.pk, "reason": f"联系 {PHONE}"},
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    member.refresh_from_db()
    assert member.is_current and member.end_reason == ""
