"""Objects in 郑园村 for every id-taking route of the core app."""

from frontline.core import selectors, services
from frontline.core.models import NodeKind
from frontline.core.roles import Role
from frontline.core.tests.scope_registry import Call, ScopeTarget


def _grid(world) -> dict:
    return {"pk": world.zhengyuan_grid.pk}


def _grid_rename(world) -> Call:
    return Call(_grid(world), body={"name": "郑园村第一网格"})


def _village_new_grid(world) -> Call:
    return Call({"pk": world.zhengyuan.pk}, body={"kind": NodeKind.GRID, "name": "第二网格"})


def _enterprise_move(world) -> Call:
    enterprise = services.node_create(
        actor=None, kind=NodeKind.ENTERPRISE, name="郑园村砖厂", parent=world.zhengyuan_grid
    )
    second = services.node_create(
        actor=None, kind=NodeKind.GRID, name="第二网格", parent=world.zhengyuan
    )
    return Call({"pk": enterprise.pk}, body={"parent": second.pk})


def _grid_deactivate(world) -> Call:
    return Call(_grid(world), body={"active": "0"})


def _user(world) -> dict:
    return {"pk": world.cadre_zhengyuan.pk}


def _user_role_assign(world) -> Call:
    return Call(_user(world), body={"role": Role.GRID_WORKER, "node": world.zhengyuan_grid.pk})


def _user_deactivate(world) -> Call:
    return Call(_user(world), body={"active": "0"})


def _role(world) -> dict:
    assignment = services.role_assign(
        actor=None, user=world.cadre_zhengyuan, role=Role.GRID_WORKER, node=world.zhengyuan_grid
    )
    return {"pk": assignment.pk}


def _user_new(world) -> Call:
    body = {
        "username": "zheng_new",
        "full_name": "郑新人",
        "password": "a-long-enough-42",
        "role": Role.GRID_WORKER,
        "node": world.zhengyuan_grid.pk,
    }
    return Call(body=body)


def _own_token(world) -> int:
    services.api_token_issue(user=world.zhengyuan_all, label="郑园村的手机")
    return selectors.api_tokens_of(world.zhengyuan_all).get().pk


FORM_CHOICE = 422  # another village's node is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the node comes with the POST"

TARGETS = {
    "core:node_detail": ScopeTarget("nodes.view", get=_grid),
    "core:node_below": ScopeTarget(
        "nodes.view", get=lambda world: Call({"pk": world.zhengyuan.pk}, query={"kind": "village"})
    ),
    "core:node_create": ScopeTarget("nodes.manage", get=_grid, post=_village_new_grid),
    "core:node_rename": ScopeTarget("nodes.manage", get=_grid, post=_grid_rename),
    "core:node_move": ScopeTarget("nodes.manage", get=_grid, post=_enterprise_move),
    "core:node_set_active": ScopeTarget("nodes.manage", post=_grid_deactivate),
    "core:user_create": ScopeTarget(
        "users.manage", post=_user_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "core:user_detail": ScopeTarget("users.manage", get=_user, post=_user_role_assign),
    "core:user_set_active": ScopeTarget("users.manage", post=_user_deactivate),
    "core:role_revoke": ScopeTarget("users.manage", post=_role),
    # One's own tokens: no permission beyond being signed in (nodes.view is every role's);
    # another user's token, even in the same village, is not found.
    "core:api_token_revoke": ScopeTarget(
        "nodes.view", post=lambda world: {"pk": _own_token(world)}
    ),
    "api:api_token_revoke": ScopeTarget(
        "nodes.view", delete=lambda world: {"token_id": _own_token(world)}
    ),
    "api:node_detail": ScopeTarget(
        "nodes.view", get=lambda world: {"node_id": world.zhengyuan_grid.pk}
    ),
}
