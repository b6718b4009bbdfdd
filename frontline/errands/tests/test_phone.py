"""The crew on the way may call the door: the household's whole phone, asked with a reason
and audited, for the claimer between claiming and delivering; masked for everyone else and
at every other moment. Never in a URL."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.core.models import AuditEvent, User
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.errands import services
from frontline.errands.tests.factories import errand_make
from frontline.errands.tests.test_api import bearer
from frontline.people.tests.factories import resident_make

PHONE, MASKED = "13912345678", "139****5678"


@pytest.fixture
def claimed(world):
    resident = resident_make(world.sandian, name="王奶奶", address="三店村3组18号", phone=PHONE)
    household = services.household_enroll(
        actor=User.objects.get(username="town_leader"), resident=resident
    )
    errand = errand_make(household)
    return services.errand_claim(actor=world.volunteer_sandian, errand=errand)


def _audited(errand) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action="errands.errand.phone", object_id=str(errand.pk))
        .order_by("pk")
        .values_list("actor__username", "reason")
    )


def test_the_claimer_calls_the_door_with_a_reason_and_it_is_audited(world, login, claimed):
    client = login(world.volunteer_sandian)
    page = client.get(reverse("errands:detail", args=[claimed.pk])).content.decode()
    assert MASKED in page and PHONE not in page and "查看完整电话" in page
    url = reverse("errands:phone", args=[claimed.pk])
    shown = client.post(url, {"reason": "送达前电话联系住户"})
    assert shown.status_code == 200 and f'href="tel:{PHONE}"' in shown.content.decode()
    assert PHONE not in url
    assert _audited(claimed) == [("volunteer_sandian", "送达前电话联系住户")]
    # The next look is masked again: each whole phone is asked for, and written down.
    again = client.get(reverse("errands:detail", args=[claimed.pk])).content.decode()
    assert PHONE not in again


def test_without_a_reason_the_phone_stays_masked(world, login, claimed):
    refused = login(world.volunteer_sandian).post(
        reverse("errands:phone", args=[claimed.pk]), {"reason": " "}
    )
    page = refused.content.decode()
    assert refused.status_code == 422 and "查看理由" in page and PHONE not in page
    with pytest.raises(ValidationError, match="至少 2 个字"):
        services.errand_household_phone(actor=world.volunteer_sandian, errand=claimed, reason="嗯")
    assert _audited(claimed) == []


def test_only_the_crew_and_only_on_the_way(world, login, claimed):
    other = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    with pytest.raises(ValidationError, match="只有认领人可以查看住户电话"):
        services.errand_household_phone(actor=other, errand=claimed, reason="想问问")
    page = login(other).get(reverse("errands:detail", args=[claimed.pk])).content.decode()
    assert "查看完整电话" not in page
    bought = services.errand_bought(
        actor=world.volunteer_sandian, errand=claimed, actual_cost=Decimal("20")
    )
    assert (
        services.errand_household_phone(
            actor=world.volunteer_sandian, errand=bought, reason="到门口了"
        )
        == PHONE
    )
    delivered = services.errand_deliver(actor=world.volunteer_sandian, errand=bought)
    with pytest.raises(ValidationError, match="送达前可以查看住户电话"):
        services.errand_household_phone(
            actor=world.volunteer_sandian, errand=delivered, reason="再联系一下"
        )
    assert [who for who, _ in _audited(claimed)] == ["volunteer_sandian"]


def test_the_mini_program_asks_the_same_way(world, client, claimed):
    url = reverse("api:errands_phone", args=[claimed.pk])
    headers = bearer(world.volunteer_sandian)
    answered = client.post(url, {"reason": "送达联系"}, "application/json", headers=headers)
    assert answered.status_code == 200 and answered.json() == {"phone": PHONE}
    other = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    refused = client.post(url, {"reason": "送达联系"}, "application/json", headers=bearer(other))
    assert refused.status_code == 422 and "只有认领人" in refused.json()["detail"]
    assert len(_audited(claimed)) == 1


def test_a_reason_holding_a_number_is_refused_and_nothing_is_logged(world, login, client, claimed):
    # The audit log is append-only: a phone or ID typed into the reason would stay there
    # for good. The page and the API refuse it, naming the field, and write no row.
    reason = "给王奶奶打电话 13812345678"
    page = login(world.volunteer_sandian).post(
        reverse("errands:phone", args=[claimed.pk]), {"reason": reason}
    )
    text = page.content.decode()
    assert page.status_code == 422 and "请勿在此填写身份证号或手机号" in text
    assert PHONE not in text
    api = client.post(
        reverse("api:errands_phone", args=[claimed.pk]),
        {"reason": "身份证 320721198006150012"},
        "application/json",
        headers=bearer(world.volunteer_sandian),
    )
    assert api.status_code == 422 and "身份证号或手机号" in str(api.json())
    assert _audited(claimed) == []
