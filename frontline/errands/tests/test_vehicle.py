"""Claiming for a 党员代购车: the claimer's crew carries the errand through; anyone outside
the vehicle is refused, and another village's vehicle is not one to choose."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.errands import selectors, services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import errand_make, household_make
from frontline.errands.tests.test_api import _post, bearer
from frontline.teams.tests.factories import member_make, team_make


@pytest.fixture
def crew(world):
    """三店村党员代购车1号 with the demo volunteer (its leader) and a second volunteer."""
    vehicle = team_make(world.sandian, "purchase_vehicle", "三店村党员代购车1号")
    second = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    member_make(vehicle, user=world.volunteer_sandian, is_leader=True)
    member_make(vehicle, user=second)
    return vehicle, world.volunteer_sandian, second


def test_a_vehicle_claims_and_another_of_its_crew_buys_and_delivers(world, crew):
    vehicle, driver, second = crew
    errand = errand_make(household_make(world.sandian))
    claimed = services.errand_claim(actor=driver, errand=errand, team=vehicle)
    assert (claimed.status, claimed.claimed_by, claimed.claimed_team) == (
        Status.CLAIMED,
        driver,
        vehicle,
    )
    assert selectors.address_visible(second, claimed)
    assert claimed in selectors.errands_mine(second)
    services.errand_bought(actor=second, errand=claimed, actual_cost=Decimal("18.50"))
    done = services.errand_deliver(actor=second, errand=claimed)
    assert done.status == Status.DELIVERED


def test_outside_the_vehicle_one_may_not_buy_nor_see_the_address(world, crew):
    vehicle, driver, _ = crew
    other = user_make("volunteer3_sandian", (Role.VOLUNTEER, world.sandian))
    errand = services.errand_claim(
        actor=driver, errand=errand_make(household_make(world.sandian)), team=vehicle
    )
    assert not selectors.address_visible(other, errand)
    with pytest.raises(ValidationError) as refused:
        services.errand_bought(actor=other, errand=errand, actual_cost=Decimal("10"))
    assert "三店村党员代购车1号" in refused.value.messages[0]
    assert Errand.objects.get(pk=errand.pk).status == Status.CLAIMED


def test_a_volunteer_claims_only_for_a_vehicle_they_are_in(world, crew, client):
    vehicle, _, _ = crew
    outsider = user_make("volunteer3_sandian", (Role.VOLUNTEER, world.sandian))
    errand = errand_make(household_make(world.sandian))
    with pytest.raises(ValidationError) as refused:
        services.errand_claim(actor=outsider, errand=errand, team=vehicle)
    assert "team" in refused.value.message_dict
    response = _post(
        client, outsider, "errands_claim", {"team_id": vehicle.pk}, errand_id=errand.pk
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["team"]
    assert "党员代购车" in response.json()["errors"][0]["message"]
    assert Errand.objects.get(pk=errand.pk).status == Status.SUBMITTED


def test_another_villages_vehicle_is_refused_without_telling_whose(world, crew, client):
    _, driver, _ = crew
    theirs = team_make(world.zhengyuan, "purchase_vehicle", "郑园村党员代购车1号")
    errand = errand_make(household_make(world.sandian))
    for team_id in (theirs.pk, 999_999):
        response = _post(client, driver, "errands_claim", {"team_id": team_id}, errand_id=errand.pk)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["team"]
        assert "郑园村" not in str(response.json())
    assert Errand.objects.get(pk=errand.pk).claimed_by is None


def test_a_vehicle_elsewhere_the_volunteer_is_in_does_not_serve_this_village(world, crew):
    _, driver, _ = crew
    theirs = team_make(world.zhengyuan, "purchase_vehicle", "郑园村党员代购车1号")
    member_make(theirs, user=driver)
    errand = errand_make(household_make(world.sandian))
    with pytest.raises(ValidationError) as refused:
        services.errand_claim(actor=driver, errand=errand, team=theirs)
    assert "team" in refused.value.message_dict


def test_the_api_claims_for_the_vehicle_and_names_it(world, crew, client):
    vehicle, driver, second = crew
    errand = errand_make(household_make(world.sandian))
    response = _post(client, driver, "errands_claim", {"team_id": vehicle.pk}, errand_id=errand.pk)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["claimed_team"] == "三店村党员代购车1号" and body["address"]
    seen = client.get(
        reverse("api:errands_detail", kwargs={"errand_id": errand.pk}),
        headers={"Authorization": _post.__globals__["bearer"](second)["Authorization"]},
    )
    assert seen.json()["address"] == "三店村3组18号"
    plain = errand_make(household_make(world.sandian, name="李奶奶"))
    alone = _post(client, second, "errands_claim", errand_id=plain.pk)
    assert alone.status_code == 200 and alone.json()["claimed_team"] == ""


def test_the_loser_is_told_which_vehicle_has_it(world, crew):
    vehicle, driver, _ = crew
    other = user_make("volunteer3_sandian", (Role.VOLUNTEER, world.sandian))
    errand = errand_make(household_make(world.sandian))
    services.errand_claim(actor=driver, errand=errand, team=vehicle)
    with pytest.raises(ValidationError) as lost:
        services.errand_claim(actor=other, errand=errand)
    assert f"已被 {driver}（三店村党员代购车1号）认领" in lost.value.messages[0]


def test_the_page_offers_the_vehicle_and_lists_it_with_the_claimer(world, crew, login):
    vehicle, driver, second = crew
    errand = errand_make(household_make(world.sandian), text="鸡蛋一板")
    client = login(driver)
    page = client.get(reverse("errands:detail", args=[errand.pk])).content.decode()
    assert 'name="team"' in page and "三店村党员代购车1号" in page
    response = client.post(
        reverse("errands:claim", args=[errand.pk]), {"team": vehicle.pk}, follow=True
    )
    assert "已认领" in response.content.decode()
    mine = login(second).get(reverse("errands:mine")).content.decode()
    assert f"{driver} · 三店村党员代购车1号" in mine
    outsider = user_make("volunteer3_sandian", (Role.VOLUNTEER, world.sandian))
    other = errand_make(household_make(world.sandian, name="李奶奶"))
    refused = login(outsider).post(
        reverse("errands:claim", args=[other.pk]), {"team": vehicle.pk}, follow=True
    )
    assert "认领失败" in refused.content.decode()
    assert (
        'name="team"'
        not in login(outsider).get(reverse("errands:detail", args=[other.pk])).content.decode()
    )


def test_a_refused_vehicle_is_named_as_the_volunteer_knows_it(world, crew, client):
    """A 422 about the claim's vehicle speaks of the 代购车: the field `team` is labelled by
    the claim's own schema, not by another app's model that has a `team` (工作专班)."""
    vehicle, _, _ = crew
    outsider = user_make("volunteer3_sandian", (Role.VOLUNTEER, world.sandian))
    errand = errand_make(household_make(world.sandian))
    refused = _post(client, outsider, "errands_claim", {"team_id": vehicle.pk}, errand_id=errand.pk)
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "只能为您所在的党员代购车认领，请重新选择代购车",
        "errors": [{"field": "team", "message": "只能为您所在的党员代购车认领，请重新选择代购车"}],
    }
    typed = _post(client, outsider, "errands_claim", {"team_id": "一号车"}, errand_id=errand.pk)
    assert typed.status_code == 422
    assert typed.json()["detail"] == "代购车：须为整数"
    assert Errand.objects.get(pk=errand.pk).status == Status.SUBMITTED


def test_the_api_lists_my_errands_with_their_doors_reading_the_vehicles_once(
    world, crew, client, django_assert_max_num_queries
):
    # The mini-program's 我的跑腿: mine=true gives what the caller carries (here, through
    # the vehicle another member claimed for), each with its address; the whole list
    # gives the village's, the address only on those. A page of vehicle claims reads the
    # caller's vehicles once, not once a row.
    vehicle, driver, second = crew
    carried = [
        services.errand_claim(
            actor=driver,
            errand=errand_make(household_make(world.sandian, name=f"住户{n}"), text=f"米{n}袋"),
            team=vehicle,
        )
        for n in range(3)
    ]
    errand_make(household_make(world.sandian, name="赵阿姨", address="三店村1组1号"))
    headers = bearer(second)
    url = reverse("api:errands_list")
    mine = client.get(url + "?mine=true", headers=headers).json()
    assert sorted(row["id"] for row in mine) == sorted(e.pk for e in carried)
    assert {row["address"] for row in mine} == {"三店村3组18号"}
    with django_assert_max_num_queries(4):
        every = client.get(url, headers=headers).json()
    assert len(every) == 4
    assert {row["address"] for row in every if row["status"] == "submitted"} == {""}
    claimed_only = client.get(url + "?mine=true&status=submitted", headers=headers).json()
    assert claimed_only == []
    outsider = user_make("volunteer3_sandian", (Role.VOLUNTEER, world.sandian))
    assert client.get(url + "?mine=true", headers=bearer(outsider)).json() == []
