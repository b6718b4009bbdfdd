"""Teams as a village cadre and a volunteer use them: members in several teams counted once,
hours adding up, activity logged once per key, plates and ranges refused in Chinese."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.core.registry import registry
from frontline.people.tests.factories import resident_make
from frontline.teams import services
from frontline.teams.tests.factories import activity_make, member_make, team_make


def _log(client, team, **body):
    payload = {"kind": "patrol", "hours": "2", "idempotency_key": "k-1", **body}
    return client.post(
        reverse("api:teams_activity_log", args=[team.pk]),
        json.dumps(payload),
        content_type="application/json",
    )


def test_a_volunteer_in_two_teams_is_one_volunteer_with_all_their_hours(world, login):
    patrol = team_make(world.sandian, "patrol", "三店村志愿巡逻队")
    loud = team_make(world.sandian, "loudspeaker", "三店村小喇叭宣传队")
    person = resident_make(world.sandian_grid, name="周志愿")
    in_patrol = member_make(patrol, resident=person, is_leader=True)
    in_loud = member_make(loud, resident=person)
    other = member_make(patrol)
    activity_make(patrol, world.cadre_sandian, [in_patrol, other], hours=Decimal("3"))
    activity_make(loud, world.cadre_sandian, [in_loud], kind="loudspeaker", hours=None, minutes=90)
    client = login(world.cadre_sandian)
    page = client.get(reverse("teams:volunteers"))
    assert page.context["count"] == 2 and page.context["hours"] == Decimal("7.5")
    row = next(r for r in page.context["rows"] if r.resident_id == person.pk)
    assert (row.teams, row.activities, row.hours) == (2, 2, Decimal("4.5"))
    mine = client.get(reverse("teams:volunteer_resident", args=[person.pk]))
    assert mine.context["hours"] == Decimal("4.5") and "三店村小喇叭宣传队" in mine.content.decode()


def test_an_activity_is_logged_once_per_key_and_user(world, login):
    team = team_make(world.sandian)
    member = member_make(team, user=world.volunteer_sandian)
    client = login(world.volunteer_sandian)
    first = _log(client, team, member_ids=[member.pk], gatherings_dispersed=2)
    again = _log(client, team, member_ids=[member.pk], gatherings_dispersed=2)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    changed = _log(client, team, member_ids=[member.pk], gatherings_dispersed=3)
    assert changed.status_code == 409
    other = _log(login(world.cadre_sandian), team, member_ids=[member.pk])
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_implausible_activity_is_refused(world, login):
    team = team_make(world.sandian)
    member = member_make(team, user=world.volunteer_sandian)
    stranger = member_make(team_make(world.sandian))
    client = login(world.volunteer_sandian)
    too_long = _log(client, team, member_ids=[member.pk], hours="30")
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "hours"
    assert _log(client, team, member_ids=[stranger.pk], idempotency_key="k-2").status_code == 404
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = _log(client, team, member_ids=[member.pk], day=tomorrow, idempotency_key="k-3")
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "day"


def test_members_plates_and_kinds(world, login):
    team = team_make(world.sandian, "purchase_vehicle", "三店村党员代购车")
    resident = resident_make(world.sandian, name="吴代购")
    member_make(team, resident=resident)
    with pytest.raises(ValidationError, match="此人已在这支队伍"):
        services.member_add(actor=world.cadre_sandian, team=team, resident=resident)
    with pytest.raises(ValidationError, match="二选一"):
        services.member_add(
            actor=world.cadre_sandian, team=team, resident=resident, user=world.volunteer_sandian
        )
    client = login(world.cadre_sandian)
    client.post(reverse("teams:vehicle_add", args=[team.pk]), {"plate": "苏g·12345"})
    bad = client.post(reverse("teams:vehicle_add", args=[team.pk]), {"plate": "12345"}, follow=True)
    assert "车辆未登记" in bad.content.decode() and "省份简称" in bad.content.decode()
    assert "苏G12345" in bad.content.decode()
    assert list(team.vehicles.values_list("plate", flat=True)) == ["苏G12345"]
    created = client.post(
        reverse("api:teams_create"),
        json.dumps({"node_id": world.sandian.pk, "kind": "no_such_kind", "name": "X"}),
        content_type="application/json",
    )
    assert created.status_code == 404


FIGURES = {
    "purchase_vehicles": "purchase_vehicle",
    "service_squads": "service_squad",
    "patrol_teams": "patrol",
    "loudspeaker_teams": "loudspeaker",
    "prevention_teams": "prevention",
    "volunteer_service_teams": "volunteer_service",
}


def test_each_figure_counts_the_rows_its_list_shows(world, login):
    today = timezone.localdate()
    for n, code in enumerate(FIGURES.values(), start=1):
        for _ in range(n):
            team_make(world.sandian, code)
    team_make(world.zhengyuan, "patrol")
    patrol = team_make(world.sandian, "patrol", "巡逻一队")
    members = [member_make(patrol) for _ in range(3)]
    member_make(team_make(world.sandian, "loudspeaker"), resident=members[0].resident)
    activity_make(patrol, world.cadre_sandian, members, hours=Decimal("1.5"))
    old = today - timedelta(days=20)
    activity_make(patrol, world.cadre_sandian, members[:1], hours=Decimal("4"), day=old)
    client = login(world.town_leader)
    for n, (key, code) in enumerate(FIGURES.items(), start=1):
        figure = registry().figures[key]
        expected = n + (key == "patrol_teams") + (key == "loudspeaker_teams")
        assert figure.compute(world.sandian, today, today) == expected
        page = client.get(figure.url(world.sandian, today, today))
        assert len(page.context["teams"]) == expected
    week = today - timedelta(days=6)
    volunteers, hours = (registry().figures[k] for k in ("volunteers", "volunteer_hours"))
    assert volunteers.compute(world.sandian, week, today) == 3
    assert client.get(volunteers.url(world.sandian, week, today)).context["count"] == 3
    # Whole hours on the dashboard; the list shows the tenths it rounds.
    assert hours.compute(world.sandian, week, today) == 5
    assert client.get(hours.url(world.sandian, week, today)).context["hours"] == Decimal("4.5")
    assert registry().figures["patrol_teams"].compute(world.town, today, today) == 5
    # The list's summary by kind: a team counts once; members, activities and hours add up.
    summary = {row.kind.code: row for row in client.get("/teams/").context["summary"]}
    patrols = summary["patrol"]
    assert (patrols.teams, patrols.members, patrols.activities) == (5, 3, 1)
    assert patrols.hours == Decimal("4.5")
