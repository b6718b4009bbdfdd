"""Checkpoint duty is the checkpoint's own shift, linked: its day, hours and place are not
typed again, a shift is logged once per team, and its hours count as volunteer hours."""

import json
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.checkpoints.tests.factories import checkpoint_make, shift_make
from frontline.teams import selectors, services
from frontline.teams.models import Activity
from frontline.teams.tests.factories import member_make, team_make


def _duty(client, team, shift, members, key="duty-1", **extra):
    body = {
        "kind": "checkpoint_duty",
        "shift_id": shift.pk,
        "member_ids": [m.pk for m in members],
        "idempotency_key": key,
        **extra,
    }
    return client.post(
        reverse("api:teams_activity_log", args=[team.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def test_duty_takes_day_hours_and_place_from_the_shift(world, login):
    team = team_make(world.sandian, "patrol", "三店村防控志愿队")
    member = member_make(team, user=world.volunteer_sandian)
    yesterday = timezone.localdate() - timedelta(days=1)
    shift = shift_make(checkpoint_make(world.sandian, "三店村东卡口"), yesterday, time(22), time(6))
    client = login(world.volunteer_sandian)
    answer = _duty(client, team, shift, [member], hours=2)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["kind"], body["day"], body["hours"], body["shift_id"]) == (
        "checkpoint_duty",
        yesterday.isoformat(),
        "8.0",
        shift.pk,
    )
    assert Activity.objects.get().area == "三店村东卡口"
    # The same key again is the same record; the same shift under a new key is refused.
    assert _duty(client, team, shift, [member], hours=2).status_code == 200
    twice = _duty(client, team, shift, [member], key="duty-2")
    assert twice.status_code == 422
    assert twice.json()["errors"] == [
        {"field": "shift_id", "message": "这支队伍已登记过这个班次的值守"}
    ]
    members = selectors.members_for(world.cadre_sandian)
    assert selectors.hours_total(members, yesterday, yesterday) == Decimal("8.0")


def test_duty_without_a_shift_or_a_shift_on_other_work_is_refused(world):
    team = team_make(world.sandian)
    member = member_make(team)
    shift = shift_make(checkpoint_make(world.sandian))
    common = {"actor": world.volunteer_sandian, "team": team, "participants": [member]}
    with pytest.raises(ValidationError) as refused:
        services.activity_log(kind="checkpoint_duty", idempotency_key="a", **common)
    assert refused.value.message_dict == {"shift_id": ["卡口值守请选择所值守的卡口班次"]}
    with pytest.raises(ValidationError, match="只有卡口值守"):
        services.activity_log(
            kind="patrol", hours=Decimal(2), shift_id=shift.pk, idempotency_key="b", **common
        )
    assert not Activity.objects.exists()


def test_a_shift_of_another_village_is_404_in_the_api(world, login):
    team = team_make(world.sandian)
    member = member_make(team)
    theirs = shift_make(checkpoint_make(world.zhengyuan, "郑园村卡口"))
    answer = _duty(login(world.volunteer_sandian), team, theirs, [member])
    assert answer.status_code == 404 and not Activity.objects.exists()


def test_the_log_page_offers_the_teams_checkpoint_shifts(world, login):
    team = team_make(world.sandian)
    member = member_make(team, user=world.volunteer_sandian)
    shift = shift_make(checkpoint_make(world.sandian, "三店村南卡口"))
    shift_make(checkpoint_make(world.zhengyuan, "郑园村北卡口"))
    client = login(world.volunteer_sandian)
    page = client.get(reverse("teams:activity_log", args=[team.pk])).content.decode()
    assert "三店村南卡口" in page and "郑园村北卡口" not in page
    answer = client.post(
        reverse("teams:activity_log", args=[team.pk]),
        {
            "kind": "checkpoint_duty",
            "day": timezone.localdate().isoformat(),
            "shift_id": shift.pk,
            "participants": [member.pk],
            "idempotency_key": "page-duty",
        },
    )
    assert answer.status_code == 302
    assert Activity.objects.get().hours == Decimal("8.0")
