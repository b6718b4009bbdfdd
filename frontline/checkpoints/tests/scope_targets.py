"""Objects in 郑园村 for every id-taking route of the checkpoints app."""

from datetime import time

from django.utils import timezone

from frontline.checkpoints import services
from frontline.checkpoints.tests.factories import (
    checkpoint_make,
    shift_make,
    shift_member_make,
)
from frontline.core.tests.scope_registry import Call, ScopeTarget


def _checkpoint(world) -> dict:
    return {"pk": checkpoint_make(world.zhengyuan).pk}


def _checkpoint_edit(world) -> Call:
    body = {"name": "郑园村东口", "kind": "village_entrance", "is_open": "1"}
    return Call(_checkpoint(world), body=body)


PASSER = {"kind": "person", "people": 1, "direction": "in", "outcome": "pass"}


def _passer_log(world) -> Call:
    return Call(_checkpoint(world), body={**PASSER, "idempotency_key": "walk-passer-1"})


def _checked_in(world) -> dict:
    """A checkpoint where the owner stands on duty: they may check out."""
    checkpoint = checkpoint_make(world.zhengyuan)
    services.duty_check_in(actor=world.zhengyuan_all, checkpoint=checkpoint)
    return {"pk": checkpoint.pk}


def _shift_new(world) -> Call:
    template = services.shift_template_create(
        actor=world.admin, node=world.zhengyuan, name="早班", start=time(6), end=time(14)
    )
    body = {"day": timezone.localdate(), "template": template.pk}
    return Call(_checkpoint(world), body=body)


def _shift(world) -> dict:
    return {"pk": shift_make(checkpoint_make(world.zhengyuan)).pk}


def _member_add(world) -> Call:
    return Call(_shift(world), body={"user": world.volunteer_zhengyuan.pk})


def _member(world) -> dict:
    shift = shift_make(checkpoint_make(world.zhengyuan))
    return {"pk": shift_member_make(shift, name="郑志愿").pk}


def _checkpoint_new(world) -> Call:
    body = {"node": world.zhengyuan.pk, "name": "郑园村西口", "kind": "village_entrance"}
    return Call(body=body)


def _template_new(world) -> Call:
    return Call(body={"node": world.zhengyuan.pk, "name": "夜班", "start": "22:00", "end": "06:00"})


def _api(make):
    return lambda world: Call({"checkpoint_id": make(world)["pk"]})


def _api_passer_log(world) -> Call:
    body = {**PASSER, "idempotency_key": "walk-passer-2"}
    return Call({"checkpoint_id": _checkpoint(world)["pk"]}, body=body)


def _list(world) -> Call:
    """A list narrowed to a node (a figure's link): another village's node is 404."""
    checkpoint_make(world.zhengyuan)
    return Call(query={"node": world.zhengyuan.pk})


FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"

TARGETS = {
    "checkpoints:detail": ScopeTarget("checkpoints.view", get=_checkpoint),
    "checkpoints:edit": ScopeTarget("checkpoints.manage", get=_checkpoint, post=_checkpoint_edit),
    "checkpoints:log": ScopeTarget("checkpoints.duty", get=_checkpoint, post=_passer_log),
    "checkpoints:passers": ScopeTarget("checkpoints.view", get=_checkpoint),
    "checkpoints:passer_export": ScopeTarget("checkpoints.export", get=_checkpoint),
    "checkpoints:check_in": ScopeTarget("checkpoints.duty", post=_checkpoint),
    "checkpoints:check_out": ScopeTarget("checkpoints.duty", post=_checked_in),
    "checkpoints:shift_create": ScopeTarget("checkpoints.manage", get=_checkpoint, post=_shift_new),
    "checkpoints:member_add": ScopeTarget("checkpoints.manage", post=_member_add),
    "checkpoints:member_remove": ScopeTarget("checkpoints.manage", post=_member),
    "checkpoints:create": ScopeTarget(
        "checkpoints.manage", post=_checkpoint_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "checkpoints:templates": ScopeTarget(
        "checkpoints.manage", post=_template_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "checkpoints:manned": ScopeTarget("checkpoints.view", get=_list),
    "checkpoints:passers_all": ScopeTarget("checkpoints.view", get=_list),
    "checkpoints:summary": ScopeTarget("checkpoints.view", get=_list),
    "checkpoints:unmanned": ScopeTarget("checkpoints.view", get=_list),
    "api:checkpoints_detail": ScopeTarget("checkpoints.view", get=_api(_checkpoint)),
    "api:checkpoints_passer_log": ScopeTarget("checkpoints.duty", post=_api_passer_log),
    "api:checkpoints_passers": ScopeTarget("checkpoints.view", get=_api(_checkpoint)),
    "api:checkpoints_stats": ScopeTarget("checkpoints.view", get=_api(_checkpoint)),
    "api:checkpoints_shifts": ScopeTarget("checkpoints.view", get=_api(_checkpoint)),
    "api:checkpoints_check_in": ScopeTarget("checkpoints.duty", post=_api(_checkpoint)),
    "api:checkpoints_check_out": ScopeTarget("checkpoints.duty", post=_api(_checked_in)),
}
