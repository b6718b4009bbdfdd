"""Who logs a team's outing: a volunteer (or grid worker) for a team they are in, a village
cadre for any team of the village; anyone else is refused in Chinese and nothing is written."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from frontline.teams import services
from frontline.teams.models import Activity
from frontline.teams.tests.factories import activity_make, member_make, team_make

REFUSED = "只能为自己所在的队伍登记活动"


def _api_log(client, team, members, key="k-1"):
    body = {"kind": "patrol", "hours": "2", "member_ids": [m.pk for m in members]}
    return client.post(
        reverse("api:teams_activity_log", args=[team.pk]),
        json.dumps({**body, "idempotency_key": key}),
        content_type="application/json",
    )


def _page_log(client, team, members):
    body = {
        "kind": "patrol",
        "day": timezone.localdate().isoformat(),
        "hours": "2",
        "participants": [m.pk for m in members],
        "idempotency_key": "page-1",
    }
    return client.post(reverse("teams:activity_log", args=[team.pk]), body, follow=True)


def test_a_volunteer_logs_for_the_team_they_are_in(world, login):
    team = team_make(world.sandian)
    mine = member_make(team, user=world.volunteer_sandian)
    answer = _api_log(login(world.volunteer_sandian), team, [mine, member_make(team)])
    assert answer.status_code == 201 and Activity.objects.count() == 1


def test_a_volunteer_is_refused_another_team_of_the_village_by_the_api(world, login):
    member_make(team_make(world.sandian, name="三店村志愿巡逻队"), user=world.volunteer_sandian)
    other = team_make(world.sandian, name="三店村党员代购车")
    answer = _api_log(login(world.volunteer_sandian), other, [member_make(other)])
    assert answer.status_code == 403 and REFUSED in answer.json()["detail"]
    assert not Activity.objects.exists()


def test_a_volunteer_is_refused_another_team_on_the_page(world, login):
    other = team_make(world.sandian, name="三店村党员代购车")
    member = member_make(other)
    client = login(world.volunteer_sandian)
    detail = client.get(reverse("teams:detail", args=[other.pk])).content.decode()
    assert reverse("teams:activity_log", args=[other.pk]) not in detail
    page = client.get(reverse("teams:activity_log", args=[other.pk]), follow=True)
    assert REFUSED in page.content.decode()
    answer = _page_log(client, other, [member])
    assert REFUSED in answer.content.decode() and not Activity.objects.exists()


def test_a_grid_worker_outside_the_team_is_refused_by_the_service(world):
    team = team_make(world.sandian_grid)
    with pytest.raises(PermissionDenied, match=REFUSED):
        activity_make(team, world.grid_sandian, [member_make(team)])
    assert not Activity.objects.exists()


def test_a_cadre_logs_for_any_team_of_the_village(world, login):
    team = team_make(world.sandian)
    answer = _api_log(login(world.cadre_sandian), team, [member_make(team)])
    assert answer.status_code == 201
    other = team_make(world.sandian)
    page = _page_log(login(world.cadre_sandian), other, [member_make(other)])
    assert page.status_code == 200 and Activity.objects.count() == 2
    assert services.can_log(world.cadre_sandian, other)
