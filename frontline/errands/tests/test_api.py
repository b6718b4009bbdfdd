"""The errands API: list by status, ask with a key (201, 200, 409), each step, refusals."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from frontline.core import services as core_services
from frontline.errands import services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import errand_make, household_make


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {core_services.api_token_issue(user=user)}"}


def _post(client, user, name: str, body: dict | None = None, **kwargs):
    return client.post(
        reverse(f"api:{name}", kwargs=kwargs),
        body or {},
        content_type="application/json",
        headers=bearer(user),
    )


LATER = timezone.now() + timedelta(hours=3)


def _ask(household, **changes) -> dict:
    return {
        "household_id": household.pk,
        "lines": [{"category": "vegetables", "text": "菠菜"}],
        "budget": "25.50",
        "deliver_by": LATER.isoformat(),
        "idempotency_key": "app-1",
        **changes,
    }


def test_asking_with_a_key_is_stored_once_and_a_changed_body_is_409(world, client):
    household = household_make(world.sandian)
    first = _post(client, world.cadre_sandian, "errands_create", _ask(household))
    again = _post(client, world.cadre_sandian, "errands_create", _ask(household))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["address"] == "三店村3组18号"  # a cadre of the village
    changed = _post(client, world.cadre_sandian, "errands_create", _ask(household, budget="30"))
    assert changed.status_code == 409 and "请求编号" in changed.json()["detail"]
    assert Errand.objects.count() == 1


def test_numbers_and_lengths_are_bounded_by_the_schema(world, client):
    household = household_make(world.sandian)
    for change in (
        {"budget": "2000.01"},
        {"budget": "-1"},
        {"lines": [{"category": "vegetables", "text": "菜" * 101}]},
        {"lines": [{"category": "toys", "text": "球"}]},
        {"note": "x" * 201},
    ):
        response = _post(client, world.cadre_sandian, "errands_create", _ask(household, **change))
        assert response.status_code == 422, change
    assert not Errand.objects.exists()


def test_the_whole_way_through_the_api(world, client):
    errand = errand_make(household_make(world.sandian))
    volunteer = world.volunteer_sandian
    listed = client.get(
        reverse("api:errands_list") + "?status=submitted", headers=bearer(volunteer)
    ).json()
    assert [row["id"] for row in listed] == [errand.pk]
    assert listed[0]["address"] == ""  # not before a claim
    claimed = _post(client, volunteer, "errands_claim", errand_id=errand.pk)
    assert claimed.status_code == 200 and claimed.json()["address"] == "三店村3组18号"
    bought = _post(
        client, volunteer, "errands_bought", {"actual_cost": "19.8"}, errand_id=errand.pk
    )
    assert bought.json()["status"] == "bought"
    assert _post(client, volunteer, "errands_delivered", errand_id=errand.pk).json()["status"] == (
        "delivered"
    )
    cadre = world.cadre_sandian
    early = _post(client, cadre, "errands_settle", {"settlement": "paid"}, errand_id=errand.pk)
    assert early.status_code == 422 and "确认收货后才能结算" in early.json()["detail"]
    assert _post(client, cadre, "errands_confirm", errand_id=errand.pk).json()["confirmed"]
    settled = _post(client, cadre, "errands_settle", {"settlement": "paid"}, errand_id=errand.pk)
    assert settled.json()["status"] == "settled"
    assert Errand.objects.get(pk=errand.pk).status == Status.SETTLED


def test_a_late_claim_is_422_naming_who_has_it(world, client):
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=world.volunteer_sandian, errand=errand)
    response = _post(client, world.sandian_all, "errands_claim", errand_id=errand.pk)
    assert response.status_code == 422
    assert "已被 volunteer_sandian 认领" in response.json()["detail"]


def test_cancel_needs_a_reason_and_the_list_caps_its_limit(world, client):
    errand = errand_make(household_make(world.sandian))
    empty = _post(
        client, world.cadre_sandian, "errands_cancel", {"reason": ""}, errand_id=errand.pk
    )
    assert empty.status_code == 422
    done = _post(
        client, world.cadre_sandian, "errands_cancel", {"reason": "已自购"}, errand_id=errand.pk
    )
    assert done.json()["status"] == "cancelled" and done.json()["cancel_reason"] == "已自购"
    too_many = client.get(
        reverse("api:errands_list") + "?limit=500", headers=bearer(world.cadre_sandian)
    )
    assert too_many.status_code == 422
