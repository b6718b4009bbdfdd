"""The one scoping rule: a user sees and acts on the subtrees of the nodes where
a role grants the permission, and an object outside them does not exist (404).

Every app reads through `nodes_visible` / `in_scope` and fetches objects through
`get_visible_or_404` (or, on the hottest API paths, `get_by_pk_in_scope_or_404`,
the same rule checked in Python); nothing else decides scope.
"""

from functools import reduce
from operator import or_
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import Model, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from frontline.core import fastpaths
from frontline.core.compiled import compiled_query
from frontline.core.models import Node, RoleAssignment, User, subtree_bounds
from frontline.core.roles import roles_with

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_frontline_role_paths"
ROLE_CACHE_SECONDS = 300


def _role_paths(user: User) -> list[tuple[str, str]]:
    """(role, node path) pairs of an active user.

    Cached on the user object for the request, and in the process cache under the
    user's `roles_version`, which every change of what the roles grant bumps (core
    services): every request reads the user row anyway, so a stale entry is never used.
    """
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        if not (user and user.is_authenticated and user.is_active):
            cached = []
        else:
            key = f"frontline:roles:{user.pk}:{user.roles_version}"
            cached = cache.get(key)
            if cached is None:
                cached = list(
                    RoleAssignment.objects.filter(user=user, node__is_active=True).values_list(
                        "role", "node__path"
                    )
                )
                cache.set(key, cached, ROLE_CACHE_SECONDS)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def roles_held(user: User) -> list[tuple[str, str]]:
    """The (role code, node path) pairs the user holds at active nodes."""
    return list(_role_paths(user))


def forget_roles(user: User) -> None:
    """Drop the cached roles after they change within one request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: User, permission: str) -> list[str]:
    """The outermost node paths where the user holds the permission (nested ones dropped)."""
    allowed = roles_with(permission)
    paths = sorted({path for role, path in _role_paths(user) if role in allowed})
    outermost: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in outermost):
            outermost.append(path)
    return outermost


def path_filter(paths: list[str], field: str = "path") -> Q:
    """Q matching rows whose `field` holds a path at or below any of `paths`."""
    if not paths:
        return Q(pk__in=[])
    return reduce(
        or_,
        (
            Q(**{f"{field}__gte": low, f"{field}__lt": high})
            for low, high in map(subtree_bounds, paths)
        ),
    )


def nodes_visible(user: User, permission: str = "nodes.view") -> QuerySet[Node]:
    """Nodes at and below the user's role nodes that grant the permission."""
    return Node.objects.filter(path_filter(scope_paths(user, permission)))


def in_scope(
    queryset: QuerySet[M], user: User, permission: str, node_field: str = "node"
) -> QuerySet[M]:
    """Rows of `queryset` whose node (reached through `node_field`) the user may see."""
    if queryset.model is Node and node_field in ("", "self"):
        return queryset.filter(path_filter(scope_paths(user, permission)))
    # A join on the node's path range, not `node IN (subquery)`: planners then walk the
    # path index and each node's rows, instead of scanning the whole table.
    return queryset.filter(path_filter(scope_paths(user, permission), f"{node_field}__path"))


def get_visible_or_404(queryset: QuerySet[M], **lookup) -> M:
    """The one object matching `lookup` within an already scoped queryset, else 404.

    Outside the user's scope answers exactly as a missing id does: existence is
    not disclosed.
    """
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到") from None


def get_by_pk_in_scope_or_404(
    model: type[M],
    user: User,
    permission: str,
    pk: int,
    node_field: str = "node",
    also: tuple[str, ...] = (),
) -> M:
    """One row by primary key, its node checked against the user's scope in Python; the
    foreign keys named in `also` come joined in the same statement.

    The same answer as `get_visible_or_404(in_scope(...))`, for hot API paths (a
    reading, a checkpoint entry): a primary-key look-up with its node joined costs far
    less than the scope subquery (and, with core.fastpaths on, its SQL is compiled once).
    """
    try:
        pk = int(pk)
        if fastpaths.enabled():
            obj = fastpaths.row_with_node(model, node_field, router.db_for_read(model), pk, also)
        else:
            related = model._default_manager.select_related(node_field, *also)
            obj = related.filter(pk=pk).first()
    except (ValueError, TypeError, OverflowError):
        obj = None
    if obj is None:
        raise Http404("未找到")
    node = getattr(obj, node_field)
    if not (node.is_active and user_can(user, permission, node)):
        raise Http404("未找到")
    return obj


def children_prefetched(obj: M, name: str) -> M:
    """A row's reverse foreign key rows (e.g. an errand's `lines`), loaded as
    `prefetch_related_objects([obj], name)` loads them, for a row the hot paths fetched
    with `get_by_pk_in_scope_or_404`; returns the row."""
    if fastpaths.enabled():
        fastpaths.children_prefetched(obj, name, router.db_for_read(type(obj)))
    else:
        prefetch_related_objects([obj], name)
    return obj


@compiled_query(stand_ins=(-918_273_645,))
def _node_by_pk(pk: int) -> QuerySet[Node]:
    return Node.objects.filter(pk=pk)


def get_node_in_scope_or_404(user: User, permission: str, pk: int) -> Node:
    """The node with this id if the user's scope for the permission holds it, else 404.

    The same answer as `get_visible_or_404(nodes_visible(user, permission), pk=pk)`, for
    hot API paths: the node by primary key (compiled once with core.fastpaths on), its
    path checked against the cached scope in Python instead of a range query.
    """
    try:
        found = _node_by_pk(int(pk))
    except (ValueError, TypeError, OverflowError):
        found = []
    if not found or not user_can(user, permission, found[0]):
        raise Http404("未找到")
    return found[0]


def scope_root(user: User, permission: str) -> Node | None:
    """The outermost node where the user holds a permission: where list reads are logged."""
    return Node.objects.filter(path__in=scope_paths(user, permission)).order_by("path").first()


def user_can(user: User, permission: str, node: Node | None = None) -> bool:
    """Whether the user holds the permission anywhere, or at/above a given node."""
    paths = scope_paths(user, permission)
    if node is None:
        return bool(paths)
    return any(node.path.startswith(path) for path in paths)


def require_permission_at(user: User, permission: str, node: Node | None) -> None:
    """The guard every service starts with: the permission at (or above) this node."""
    if not user_can(user, permission, node):
        raise PermissionDenied("不在您的管辖范围内，或没有这项权限")


def require_permission_or_404(user: User, permission: str) -> None:
    """A page for a permission the user holds nowhere does not exist for them."""
    if not user_can(user, permission):
        raise Http404("未找到")


def roles_at(user: User, node: Node) -> list[str]:
    """The user's role codes held at this node or above it, nearest first."""
    pairs = [(path, role) for role, path in _role_paths(user) if node.path.startswith(path)]
    return [role for _, role in sorted(pairs, reverse=True)]
