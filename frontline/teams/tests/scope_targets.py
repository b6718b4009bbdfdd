"""Objects in 郑园村 for every id-taking route of the teams app."""

import itertools
from datetime import date

from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.people.tests.factories import resident_make
from frontline.teams.models import TeamKind
from frontline.teams.tests.factories import member_make, team_make

_n = itertools.count(1)


def _team_of(world):
    return team_make(world.zhengyuan, name=f"郑园巡逻队{next(_n)}")


def _team(world) -> dict:
    return {"pk": _team_of(world).pk}


def _member_add(world) -> Call:
    resident = resident_make(world.zhengyuan_grid, name="郑队员")
    return Call(_team(world), body={"resident": resident.pk, "user": ""})


def _vehicle(world) -> Call:
    return Call(_team(world), body={"plate": "苏G12345"})


def _log(world) -> Call:
    team = _team_of(world)
    member = member_make(team)
    body = {
        "kind": "patrol",
        "day": date.today().isoformat(),
        "hours": "2",
        "participants": [member.pk],
        "gatherings_dispersed": 1,
        "persuaded_home": 0,
        "minutes": 0,
        "households": 0,
        "idempotency_key": f"walk-{next(_n)}",
    }
    return Call({"pk": team.pk}, body=body)


def _resident_volunteer(world) -> dict:
    member = member_make(_team_of(world))
    return {"pk": member.resident_id}


def _user_volunteer(world) -> dict:
    member = member_make(_team_of(world), user=world.volunteer_zhengyuan)
    return {"pk": member.user_id}


def _list(world) -> Call:
    _team_of(world)
    return Call(query={"node": world.zhengyuan.pk})


def _team_new(world) -> Call:
    kind = TeamKind.objects.get(code="patrol")
    return Call(body={"node": world.zhengyuan.pk, "kind": kind.pk, "name": f"新队{next(_n)}"})


def _api_team_new(world) -> Call:
    return Call(body={"node_id": world.zhengyuan.pk, "kind": "loudspeaker", "name": "郑园小喇叭"})


def _api_member(world) -> Call:
    resident = resident_make(world.zhengyuan_grid, name="郑队员")
    return Call({"team_id": _team_of(world).pk}, body={"resident_id": resident.pk})


def _api_member_user(world) -> Call:
    body = {"user_id": world.volunteer_zhengyuan.pk}
    return Call({"team_id": _team_of(world).pk}, body=body)


def _api_log(world) -> Call:
    team = _team_of(world)
    member = member_make(team)
    body = {
        "kind": "loudspeaker",
        "minutes": 40,
        "villages_covered": "郑园村",
        "member_ids": [member.pk],
        "idempotency_key": f"walk-api-{next(_n)}",
    }
    return Call({"team_id": team.pk}, body=body)


def _log_duty(world) -> Call:
    made = _api_duty(world)
    body = {
        "kind": "checkpoint_duty",
        "day": date.today().isoformat(),
        "shift_id": made.body["shift_id"],
        "participants": made.body["member_ids"],
        "idempotency_key": f"walk-duty-page-{next(_n)}",
    }
    return Call(made.kwargs and {"pk": made.kwargs["team_id"]}, body=body)


def _api_duty(world) -> Call:
    from frontline.checkpoints.tests.factories import checkpoint_make, shift_make

    team = _team_of(world)
    member = member_make(team)
    shift = shift_make(checkpoint_make(world.zhengyuan, name=f"郑园卡口{next(_n)}"))
    body = {
        "kind": "checkpoint_duty",
        "shift_id": shift.pk,
        "member_ids": [member.pk],
        "idempotency_key": f"walk-duty-{next(_n)}",
    }
    return Call({"team_id": team.pk}, body=body)


FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"

TARGETS = {
    "teams:list": ScopeTarget("teams.view", get=_list),
    "teams:volunteers": ScopeTarget("teams.view", get=_list),
    "teams:detail": ScopeTarget("teams.view", get=_team),
    "teams:member_add": ScopeTarget("teams.manage", get=_team, post=_member_add),
    "teams:vehicle_add": ScopeTarget("teams.manage", post=_vehicle),
    "teams:activity_log": ScopeTarget("teams.log", get=_team, post=(_log, _log_duty)),
    "teams:volunteer_resident": ScopeTarget("teams.view", get=_resident_volunteer),
    "teams:volunteer_user": ScopeTarget("teams.view", get=_user_volunteer),
    "teams:create": ScopeTarget(
        "teams.manage", post=_team_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "api:teams_create": ScopeTarget("teams.manage", post=_api_team_new),
    "api:teams_member_add": ScopeTarget("teams.manage", post=(_api_member, _api_member_user)),
    "api:teams_activity_log": ScopeTarget("teams.log", post=(_api_log, _api_duty)),
}
