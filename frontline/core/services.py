"""Writes to the jurisdiction tree, users, roles and API tokens; each one transaction, audited."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import PATH_SEGMENT, ApiToken, Node, RoleAssignment, User
from frontline.core.registry import registry
from frontline.core.scoping import forget_roles, require_permission_at


def roles_changed(users) -> None:
    """Bump the roles version of these users (a queryset or a list): their cached role
    paths are stale from the next request on."""
    User.objects.filter(pk__in=users).update(roles_version=F("roles_version") + 1)


def _holders_in_subtree(node: Node) -> list[int]:
    low, high = node.bounds
    return list(
        RoleAssignment.objects.filter(node__path__gte=low, node__path__lt=high)
        .values_list("user_id", flat=True)
        .distinct()
    )


@transaction.atomic
def node_create(*, actor: User | None, kind: str, name: str, parent: Node | None) -> Node:
    """Create a node under a parent the actor manages (actor None: system, e.g. the demo)."""
    if actor is not None:
        require_permission_at(actor, "nodes.manage", parent)
    node = Node(kind=kind, name=name.strip(), parent=parent, path="pending", depth=0)
    node.full_clean(exclude=["path"])
    node.save()
    # The path holds the node's own id, known only after the insert.
    node.path = (parent.path if parent else "") + f"{node.pk:0{PATH_SEGMENT}d}"
    node.depth = parent.depth + 1 if parent else 0
    node.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor, action="core.node.create", obj=node, fields=["kind", "name", "parent"]
    )
    return node


@transaction.atomic
def node_rename(*, actor: User, node: Node, name: str) -> Node:
    """Rename a node; its records and paths are untouched."""
    require_permission_at(actor, "nodes.manage", node)
    node.name = name.strip()
    node.full_clean(exclude=["path"])
    node.save(update_fields=["name"])
    audit_record(actor=actor, action="core.node.rename", obj=node, fields=["name"])
    return node


@transaction.atomic
def node_move(*, actor: User, node: Node, new_parent: Node) -> Node:
    """Move a node and its whole subtree under another parent the actor manages."""
    require_permission_at(actor, "nodes.manage", node)
    require_permission_at(actor, "nodes.manage", new_parent)
    if new_parent.is_within(node):
        raise ValidationError({"parent": "不能移到自己或自己的下级之下"})
    holders = _holders_in_subtree(node)
    old_path, old_depth = node.path, node.depth
    node.parent = new_parent
    node.full_clean(exclude=["path"])
    new_path = new_parent.path + old_path[-PATH_SEGMENT:]
    depth_shift = new_parent.depth + 1 - old_depth
    low, high = node.bounds
    # One statement rewrites the prefix of every descendant's path.
    Node.objects.filter(path__gte=low, path__lt=high).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") + depth_shift,
    )
    Node.objects.filter(pk=node.pk).update(parent=new_parent)
    roles_changed(holders)
    node.refresh_from_db()
    audit_record(actor=actor, action="core.node.move", obj=node, fields=["parent"])
    return node


@transaction.atomic
def node_set_active(*, actor: User, node: Node, active: bool) -> Node:
    """Deactivate (or reactivate) a node; nodes are never deleted, so records keep their place.

    Deactivating a node deactivates its subtree: roles there stop granting access.
    """
    require_permission_at(actor, "nodes.manage", node)
    low, high = node.bounds
    Node.objects.filter(path__gte=low, path__lt=high).update(is_active=active)
    roles_changed(_holders_in_subtree(node))
    node.refresh_from_db()
    audit_record(
        actor=actor,
        action="core.node.activate" if active else "core.node.deactivate",
        obj=node,
        fields=["is_active"],
    )
    return node


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, full_name: str, password: str, role: str, node: Node
) -> User:
    """Create a user with a first role at a node the actor manages."""
    if actor is not None:
        require_permission_at(actor, "users.manage", node)
    user = User(username=username.strip(), full_name=full_name.strip())
    user.set_password(password)
    user.full_clean()
    user.save()
    role_assign(actor=actor, user=user, role=role, node=node)
    audit_record(
        actor=actor,
        action="core.user.create",
        obj=user,
        node=node,
        fields=["username", "full_name", "password"],
    )
    return user


@transaction.atomic
def role_assign(*, actor: User | None, user: User, role: str, node: Node) -> RoleAssignment:
    """Give a user a role at a node within the actor's own subtree."""
    if actor is not None:
        require_permission_at(actor, "users.manage", node)
    if role not in registry().roles:
        raise ValidationError({"role": "未知角色"})
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role, node=node)
    roles_changed([user.pk])
    user.refresh_from_db(fields=["roles_version"])
    forget_roles(user)
    audit_record(actor=actor, action="core.role.assign", obj=user, node=node, fields=["role"])
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    """Take a role away from a user."""
    require_permission_at(actor, "users.manage", assignment.node)
    user, node = assignment.user, assignment.node
    assignment.delete()
    roles_changed([user.pk])
    user.refresh_from_db(fields=["roles_version"])
    forget_roles(user)
    audit_record(actor=actor, action="core.role.revoke", obj=user, node=node, fields=["role"])


def _end_sessions(user: User) -> int:
    """Delete every stored session of this user; returns how many ended."""
    ended = 0
    # Sessions are keyed by an opaque id, so the owner is found by decoding;
    # this runs once per deactivation, never on a request path.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _home_node(user: User) -> Node | None:
    """The node of a user's first role: where events about the account itself are logged."""
    first_role = user.roles.select_related("node").first()
    return first_role.node if first_role else None


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (ending every session and API token) or reactivate a user."""
    for assignment in user.roles.select_related("node"):
        require_permission_at(actor, "users.manage", assignment.node)
    if actor.pk == user.pk and not active:
        raise ValidationError("不能停用自己的账号")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_sessions(user)
        api_tokens_revoke_all(actor=actor, user=user)
    audit_record(
        actor=actor,
        action="core.user.activate" if active else "core.user.deactivate",
        obj=user,
        node=_home_node(user),
        fields=["is_active"],
    )
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """Change one's own password. Every API token is revoked; every other session ends by
    itself (Django checks each session against the password hash) unless the caller keeps
    its own with update_session_auth_hash."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    api_tokens_revoke_all(actor=user, user=user)
    audit_record(
        actor=user,
        action="core.user.password_change",
        obj=user,
        node=_home_node(user),
        fields=["password"],
    )
    return user


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> int:
    """End every session and revoke every API token of this user (a phone lost, a password
    seen); returns how many sessions ended."""
    ended = _end_sessions(user)
    api_tokens_revoke_all(actor=user, user=user)
    audit_record(
        actor=user, action="core.user.sign_out_everywhere", obj=user, node=_home_node(user)
    )
    return ended


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, label: str = "") -> str:
    """Issue a bearer token for the mobile API; the raw token is returned once, never stored.

    The owner's dead tokens (idle or expired) are cleared on the way, so the list of their
    devices holds what can still be used.
    """
    now = timezone.now()
    ApiToken.objects.filter(user=user).exclude(pk__in=ApiToken.objects.live(now)).delete()
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        digest=token_digest(raw),
        label=" ".join(label.split())[:100],
        last_used_at=now,
        expires_at=now + timedelta(seconds=settings.API_TOKEN_SECONDS),
    )
    token.full_clean()
    token.save()
    node = _home_node(user)
    audit_record(actor=user, action="core.api_token.issue", obj=token, node=node, fields=["label"])
    return raw


# The idle clock moves at most once a minute: the busiest endpoints (a reading, a passer)
# must not pay a write per request for it.
TOKEN_TOUCH_INTERVAL = timedelta(seconds=60)


def api_token_touch(*, token: ApiToken, now: datetime) -> None:
    """Note that a token was used, so that its idle timeout starts again (not audited)."""
    if now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one of the actor's own tokens: the next request carrying it gets 401."""
    if token.user_id != actor.pk:
        raise PermissionDenied("只能注销自己的令牌")
    token_id = token.pk
    token.delete()
    audit_record(
        actor=actor,
        action="core.api_token.revoke",
        node=_home_node(actor),
        object_type="core.apitoken",
        object_id=token_id,
    )


@transaction.atomic
def api_tokens_revoke_all(*, actor: User, user: User) -> int:
    """Revoke every API token of a user (password change, deactivation, sign-out
    everywhere); returns how many there were."""
    revoked, _ = ApiToken.objects.filter(user=user).delete()
    if revoked:
        audit_record(
            actor=actor, action="core.api_token.revoke_all", obj=user, node=_home_node(user)
        )
    return revoked
