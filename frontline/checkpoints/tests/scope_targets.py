"""Objects in 郑园村 for every id-taking route of the checkpoints app."""

from frontline.checkpoints.tests.factories import checkpoint_make, shift_make, shift_member_make
from frontline.core.tests.scope_registry import ScopeTarget


def _checkpoint(world) -> dict:
    return {"pk": checkpoint_make(world.zhengyuan).pk}


def _api_checkpoint(world) -> dict:
    return {"checkpoint_id": checkpoint_make(world.zhengyuan).pk}


def _shift(world) -> dict:
    return {"pk": shift_make(checkpoint_make(world.zhengyuan)).pk}


def _member(world) -> dict:
    shift = shift_make(checkpoint_make(world.zhengyuan))
    return {"pk": shift_member_make(shift, name="郑志愿").pk}


TARGETS = {
    "checkpoints:detail": ScopeTarget(_checkpoint, methods=("get",)),
    "checkpoints:edit": ScopeTarget(_checkpoint),
    "checkpoints:log": ScopeTarget(_checkpoint),
    "checkpoints:passers": ScopeTarget(_checkpoint, methods=("get",)),
    "checkpoints:check_in": ScopeTarget(_checkpoint, methods=("post",)),
    "checkpoints:check_out": ScopeTarget(_checkpoint, methods=("post",)),
    "checkpoints:shift_create": ScopeTarget(_checkpoint),
    "checkpoints:member_add": ScopeTarget(_shift, methods=("post",)),
    "checkpoints:member_remove": ScopeTarget(_member, methods=("post",)),
    "api:checkpoints_detail": ScopeTarget(_api_checkpoint, methods=("get",)),
    # GET and POST share this path; an empty POST is refused by schema validation
    # (422) before scope is reached, so POST's 404 is proven with a full payload in
    # test_passers.test_logging_at_another_villages_checkpoint_is_404.
    "api:checkpoints_passer_log": ScopeTarget(_api_checkpoint, methods=("get",)),
    "api:checkpoints_passers": ScopeTarget(_api_checkpoint, methods=("get",)),
    "api:checkpoints_stats": ScopeTarget(_api_checkpoint, methods=("get",)),
    "api:checkpoints_shifts": ScopeTarget(_api_checkpoint, methods=("get",)),
    "api:checkpoints_check_in": ScopeTarget(_api_checkpoint, methods=("post",)),
    "api:checkpoints_check_out": ScopeTarget(_api_checkpoint, methods=("post",)),
}
