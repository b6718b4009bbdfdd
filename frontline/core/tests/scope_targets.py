"""Objects in 郑园村 for every id-taking route of the core app."""

from frontline.core import services
from frontline.core.roles import Role
from frontline.core.tests.scope_registry import ScopeTarget


def _zhengyuan_grid(world) -> dict:
    return {"pk": world.zhengyuan_grid.pk}


def _zhengyuan_user(world) -> dict:
    return {"pk": world.cadre_zhengyuan.pk}


def _zhengyuan_role(world) -> dict:
    assignment = services.role_assign(
        actor=None, user=world.cadre_zhengyuan, role=Role.GRID_WORKER, node=world.zhengyuan_grid
    )
    return {"pk": assignment.pk}


TARGETS = {
    "core:node_detail": ScopeTarget(_zhengyuan_grid, methods=("get",)),
    "core:node_create": ScopeTarget(_zhengyuan_grid),
    "core:node_rename": ScopeTarget(_zhengyuan_grid),
    "core:node_move": ScopeTarget(_zhengyuan_grid),
    "core:node_set_active": ScopeTarget(_zhengyuan_grid, methods=("post",)),
    "core:user_detail": ScopeTarget(_zhengyuan_user),
    "core:user_set_active": ScopeTarget(_zhengyuan_user, methods=("post",)),
    "core:role_revoke": ScopeTarget(_zhengyuan_role, methods=("post",)),
    "api:node_detail": ScopeTarget(
        lambda world: {"node_id": world.zhengyuan_grid.pk}, methods=("get",)
    ),
}
