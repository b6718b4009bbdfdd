"""A care visit's need becomes an errand or a 五送 record, and publicity's loudspeaker
routes come from the teams' logs: each through the other app's public module."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.community import selectors, services
from frontline.community.models import CareVisit, HandedTo
from frontline.control.models import ServiceDelivery
from frontline.errands.models import Errand
from frontline.people.tests.factories import resident_make
from frontline.teams.tests.factories import activity_make, member_make, team_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(world):
    resident = resident_make(world.sandian_grid, name="王奶奶")
    return services.care_visit_record(
        actor=world.cadre_sandian,
        resident=resident,
        day=timezone.localdate(),
        visitor_name="董皓",
        needs="降压药快吃完了",
    )


def _deliver_by() -> str:
    return (timezone.localtime() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")


def test_a_cadre_turns_a_need_into_an_errand(world, login, visit):
    client = login(world.cadre_sandian)
    listing = client.get(reverse("community:care_visits")).text
    url = reverse("community:care_visit_errand", args=[visit.pk])
    assert url in listing
    assert "降压药快吃完了" in client.get(url).text
    answer = client.post(
        url, {"category": "medicine", "text": "降压药", "budget": "60", "deliver_by": _deliver_by()}
    )
    assert answer.status_code == 302
    errand = Errand.objects.get()
    assert errand.household.resident == visit.resident and errand.created_by == world.cadre_sandian
    assert [line.text for line in errand.lines.all()] == ["降压药"]
    visit.refresh_from_db()
    assert visit.handed_to == HandedTo.ERRAND and visit.handed_id == errand.pk
    listing = client.get(reverse("community:care_visits")).text
    assert url not in listing and "已转帮您跑腿" in listing
    # Once only: the same need is not handed on twice.
    assert client.get(url).status_code == 404


def test_a_bad_budget_is_refused_by_name_and_nothing_is_saved(world, login, visit):
    url = reverse("community:care_visit_errand", args=[visit.pk])
    answer = login(world.cadre_sandian).post(
        url,
        {"category": "medicine", "text": "降压药", "budget": "9999", "deliver_by": _deliver_by()},
    )
    assert answer.status_code == 422 and "预算" in answer.text
    assert not Errand.objects.exists()
    visit.refresh_from_db()
    assert visit.handed_to == ""


def test_a_volunteer_records_the_need_of_their_own_visit_as_a_five_services_delivery(
    world, login, visit
):
    kind = selectors.five_service_kinds()[0]
    client = login(world.volunteer_sandian)
    # The cadre's visit is not the volunteer's to read, nor to hand on.
    cadres = reverse("community:care_visit_service", args=[visit.pk])
    assert client.get(cadres).status_code == 404
    visit = services.care_visit_record(
        actor=world.volunteer_sandian,
        resident=visit.resident,
        day=timezone.localdate(),
        visitor_name="孙志强",
        needs="缺口罩",
    )
    listing = client.get(reverse("community:care_visits")).text
    # A volunteer may not ask for an errand (errands.manage), but may log a 五送.
    assert reverse("community:care_visit_errand", args=[visit.pk]) not in listing
    url = reverse("community:care_visit_service", args=[visit.pk])
    assert url in listing
    answer = client.post(
        url, {"kind_name": kind, "delivered_on": timezone.localdate().isoformat(), "quantity": 0}
    )
    assert answer.status_code == 302
    delivery = ServiceDelivery.objects.get()
    assert delivery.resident == visit.resident and delivery.description == "缺口罩"
    assert CareVisit.objects.get(pk=visit.pk).handed_to == HandedTo.FIVE_SERVICES
    assert client.get(reverse("community:care_visit_errand", args=[visit.pk])).status_code == 404


def test_another_villages_visit_cannot_be_handed_on(world, login, visit):
    url = reverse("community:care_visit_service", args=[visit.pk])
    assert login(world.cadre_zhengyuan).get(url).status_code == 404


def test_loudspeaker_routes_logged_by_teams_are_counted_in_publicity(world, login):
    today = timezone.localdate()
    services.publicity_record(
        actor=world.cadre_sandian, node=world.sandian, day=today, leaflets=10, loudspeaker_routes=1
    )
    team = team_make(world.sandian, kind="loudspeaker")
    member = member_make(team)
    for _ in range(2):
        activity_make(
            team,
            world.cadre_sandian,
            [member],
            kind="loudspeaker",
            minutes=40,
            villages_covered="三店村",
        )
    rows = selectors.publicity_rows(world.town, today, today)
    row = next(r for r in rows if r["village"] == "三店村")
    assert (row["routes"], row["routes_logged"], row["routes_total"]) == (1, 2, 3)
    page = login(world.town_leader).get(reverse("community:publicity")).text
    assert 'data-routes="3"' in page
