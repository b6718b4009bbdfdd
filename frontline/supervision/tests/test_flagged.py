"""Overdue findings are flagged to the owner's leader, with the rule stated on the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.supervision.tests.factories import finding_spec, group_make, inspection_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(world):
    """Two overdue findings at 三店村: one owned by a cadre, one by the village leader."""
    group = group_make(world.town, [world.inspector], [world.town], name="第一督察组")
    past = timezone.now() - timedelta(days=5)
    due = timezone.localdate(past) + timedelta(days=1)
    inspection_make(
        inspector=world.inspector,
        group=group,
        target=world.sandian,
        at=past,
        findings=[
            finding_spec(world.cadre_sandian, deadline=due, text="卡口登记不全"),
            finding_spec(world.village_leader_sandian, deadline=due, text="值班表未上墙"),
        ],
    )


def _flagged(login, user) -> str:
    return login(user).get(reverse("supervision:findings_flagged")).text


def test_a_cadres_overdue_finding_is_flagged_to_the_village_leader(world, login, overdue):
    page = _flagged(login, world.village_leader_sandian)
    assert "卡口登记不全" in page
    # Their own is theirs to rectify (待我整改), not flagged to themselves.
    assert "值班表未上墙" not in page
    assert "谁会看到" in page and "村书记、镇领导" in page


def test_the_village_leaders_own_overdue_finding_is_flagged_to_the_town_leader(
    world, login, overdue
):
    page = _flagged(login, world.town_leader)
    assert "值班表未上墙" in page and "卡口登记不全" in page


def test_no_one_else_is_flagged(world, login, overdue):
    assert "卡口登记不全" not in _flagged(login, world.village_leader_zhengyuan)
    # The owner is no leader: the page is not theirs at all.
    assert (
        login(world.cadre_sandian).get(reverse("supervision:findings_flagged")).status_code == 404
    )


def test_the_leaders_home_card_counts_what_is_flagged_to_them(world, login, overdue):
    cards = login(world.village_leader_sandian).get(reverse("core:home")).context["cards"]
    card = next(card for card in cards if card["card"].key == "supervision.findings_overdue")
    assert card["count"] == 1
    assert card["card"].url_name == "supervision:findings_flagged"
    cards = login(world.town_leader).get(reverse("core:home")).context["cards"]
    card = next(card for card in cards if card["card"].key == "supervision.findings_overdue")
    assert card["count"] == 2


def test_a_rectified_finding_is_no_longer_flagged(world, login, overdue):
    from frontline.supervision import services
    from frontline.supervision.models import Finding

    finding = Finding.objects.get(text="卡口登记不全")
    services.finding_rectify(actor=world.cadre_sandian, finding=finding, evidence="已补登")
    assert "卡口登记不全" not in _flagged(login, world.village_leader_sandian)
