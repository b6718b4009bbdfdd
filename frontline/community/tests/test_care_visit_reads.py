"""Who reads care visits (a resident's temperature and needs): the village's cadres, grid
workers and leaders read every visit of their places; a volunteer the visits they made; the
inspector only the figures. The list, the API and the hand-on pages by id agree."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.command import selectors as command
from frontline.community import figures, services
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.people.tests.factories import resident_make

pytestmark = pytest.mark.django_db


def _visit(actor, resident, visitor: str, needs: str):
    return services.care_visit_record(
        actor=actor,
        resident=resident,
        day=timezone.localdate(),
        visitor_name=visitor,
        temperature="36.8",
        needs=needs,
    )


@pytest.fixture
def visits(world):
    """One visit by the world's volunteer of 三店村, one by a second volunteer there."""
    grandma = resident_make(world.sandian_grid, name="孙奶奶")
    other = user_make("volunteer_sandian_2", (Role.VOLUNTEER, world.sandian))
    mine = _visit(world.volunteer_sandian, grandma, "孙志强", "缺口罩")
    theirs = _visit(other, grandma, "刘晓燕", "需代购降压药")
    return mine, theirs


def _api(client):
    return client.get("/api/v1/community/care-visits")


def test_a_volunteer_reads_their_own_visits_only(world, login, visits):
    mine, theirs = visits
    client = login(world.volunteer_sandian)
    listing = client.get(reverse("community:care_visits"))
    assert listing.status_code == 200
    assert "缺口罩" in listing.text and "需代购降压药" not in listing.text
    assert "这里只列您本人记录的走访" in listing.text  # so that fewer rows read as a rule
    assert [row["id"] for row in _api(client).json()["items"]] == [mine.pk]
    # A visit's need by id: their own opens, another volunteer's is not found.
    own = client.get(reverse("community:care_visit_service", args=[mine.pk]))
    assert own.status_code == 200
    other = client.get(reverse("community:care_visit_service", args=[theirs.pk]))
    assert other.status_code == 404


def test_a_cadre_reads_every_visit_of_the_village(world, login, visits):
    client = login(world.cadre_sandian)
    listing = client.get(reverse("community:care_visits")).text
    assert "缺口罩" in listing and "需代购降压药" in listing
    assert "这里只列您本人记录的走访" not in listing
    assert len(_api(client).json()["items"]) == 2


def test_the_inspector_gets_the_figures_but_not_the_rows(world, login, visits):
    mine, _theirs = visits
    client = login(world.inspector)
    assert client.get(reverse("community:care_visits")).status_code == 404
    assert _api(client).status_code == 404
    url = reverse("community:care_visit_service", args=[mine.pk])
    assert client.get(url).status_code == 404
    # The counts stay on the inspector's dashboard, as a number that links nowhere.
    today = timezone.localdate()
    values = {v.key: v for v in command.figure_values(world.inspector, world.town, today, today)}
    assert values["care_visits"].value == 2 and values["care_visits"].url is None
    assert values["care_volunteers"].value == 2
    assert client.get(figures.volunteers_page(world.town, today, today)).status_code == 200
    leader = {v.key: v for v in command.figure_values(world.town_leader, world.town, today, today)}
    assert leader["care_visits"].url == figures.care_page(world.town, today, today)


def test_the_inspectors_pages_offer_no_link_to_the_rows(world, login, visits):
    client = login(world.inspector)
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    for name in ("community:home", "community:publicity", "community:care_volunteers"):
        page = client.get(reverse(name), {"since": since})
        assert page.status_code == 200
        assert reverse("community:care_visits") not in page.text, name
