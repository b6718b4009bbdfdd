"""A person handed over at a checkpoint or in screening becomes one key person."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from frontline.control import services
from frontline.control.models import KeyPerson, Referral
from frontline.control.public import ReferralSource, referral_open
from frontline.people.tests.factories import resident_make


@pytest.fixture
def referral(world):
    return referral_open(
        actor=world.cadre_sandian,
        node=world.sandian,
        source_kind=ReferralSource.CHECKPOINT,
        source_id=1,
        source_place="三店村北卡口",
        name="王小明",
        reason="卡口测温发热",
        origin="湖北省武汉市",
        temperature=Decimal("37.6"),
    )


def test_accepting_a_referral_registers_the_resident_and_links_back(
    world, referral, category, login
):
    resident = resident_make(world.sandian_grid, name="王小明")
    client = login(world.cadre_sandian)
    page = client.get(reverse("control:referral_accept", args=[referral.pk])).content.decode()
    assert "王*明" in page  # the search starts from the referral's name
    response = client.post(
        reverse("control:referral_accept", args=[referral.pk]),
        {"resident": resident.pk, "category": category.pk},
    )
    person = KeyPerson.objects.get(resident=resident)
    assert response.status_code == 302 and person.origin == "湖北省武汉市"
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.key_person_id == person.pk
    assert "体温 37.6℃" in person.timeline.first().text


def test_a_referral_is_accepted_once(world, referral, category):
    first = resident_make(world.sandian, name="王小明")
    second = resident_make(world.sandian, name="王小明")
    services.key_person_from_referral(
        actor=world.cadre_sandian, referral=referral, resident=first, category=category
    )
    with pytest.raises(ValidationError, match="已被接收"):
        services.key_person_from_referral(
            actor=world.cadre_sandian, referral=referral, resident=second, category=category
        )
    assert KeyPerson.objects.count() == 1


def test_the_referral_list_offers_to_accept(world, referral, login):
    page = login(world.cadre_sandian).get(reverse("screening:referrals")).content.decode()
    assert reverse("control:referral_accept", args=[referral.pk]) in page


def test_a_checkpoint_entry_is_handed_over_once(world, referral):
    with pytest.raises(IntegrityError), transaction.atomic():
        referral_open(
            actor=world.cadre_sandian,
            node=world.sandian,
            source_kind=ReferralSource.CHECKPOINT,
            source_id=1,
            name="王小明",
            reason="再次转交",
        )
    # A screening visit hands over as many persons as it found.
    for name in ("甲某", "乙某"):
        referral_open(
            actor=world.cadre_sandian,
            node=world.sandian,
            source_kind=ReferralSource.SCREENING,
            source_id=1,
            name=name,
            reason="排查发现",
        )
    assert Referral.objects.count() == 3


def test_the_list_and_the_api_name_where_the_person_was_handed_over(world, referral, login):
    client = login(world.cadre_sandian)
    page = client.get(reverse("screening:referrals")).content.decode()
    assert "三店村北卡口" in page and "王小明" in page
    (item,) = client.get(reverse("api:screening_referrals")).json()["items"]
    assert item["source"] == "checkpoint" and item["passer_id"] == 1
    assert item["screening_record_id"] is None and item["id"] == referral.pk


def test_a_referral_outside_the_users_scope_is_not_listed(world, referral, login):
    page = login(world.cadre_zhengyuan).get(reverse("screening:referrals")).content.decode()
    assert "王小明" not in page
