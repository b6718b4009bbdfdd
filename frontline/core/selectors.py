"""Reads of the tree, users and audit log, already scoped to the asking user."""

from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from frontline.core.models import ApiToken, AuditEvent, Node, NodeKind, RoleAssignment, User
from frontline.core.scoping import in_scope, nodes_visible, path_filter, scope_paths


def node_roots_for(user: User) -> QuerySet[Node]:
    """The outermost nodes the user may see: where the tree page starts."""
    return Node.objects.filter(path__in=scope_paths(user, "nodes.view")).order_by("path")


def node_children(node: Node) -> QuerySet[Node]:
    """A node's direct children with how many children each has in turn."""
    return node.children.annotate(child_count=Count("children")).order_by(
        "-is_active", "kind", "name"
    )


def node_breadcrumbs(node: Node, user: User) -> list[Node]:
    """The visible ancestors of a node, root first, for the breadcrumb trail."""
    ids = node.ancestor_ids()[:-1]
    visible = nodes_visible(user).filter(pk__in=ids)
    return sorted(visible, key=lambda n: n.depth)


def node_counts_below(user: User) -> dict[str, int]:
    """How many active towns, villages, grids and enterprises the user's scope holds."""
    rows = nodes_visible(user).filter(is_active=True).values("kind").annotate(n=Count("pk"))
    counts = {kind: 0 for kind in NodeKind.values}
    counts.update({row["kind"]: row["n"] for row in rows})
    return counts


def users_manageable_by(user: User) -> QuerySet[User]:
    """Users whose every role lies inside the admin's subtrees (and who hold at least one)."""
    paths = scope_paths(user, "users.manage")
    inside = path_filter(paths, "node__path")
    outside_holders = RoleAssignment.objects.exclude(inside).values("user_id")
    return (
        User.objects.filter(pk__in=RoleAssignment.objects.filter(inside).values("user_id"))
        .exclude(pk__in=outside_holders)
        .order_by("-is_active", "username")
    )


def role_assignments_manageable_by(user: User) -> QuerySet[RoleAssignment]:
    """Roles the admin may revoke: held at their nodes, by users they manage."""
    return in_scope(
        RoleAssignment.objects.select_related("user", "node"), user, "users.manage"
    ).filter(user__in=users_manageable_by(user))


def api_token_live(digest: str, now) -> ApiToken | None:
    """The live token (neither expired nor idle too long) of an active user with this digest."""
    found = ApiToken.objects.live(now).select_related("user").filter(digest=digest).first()
    return found if found is not None and found.user.is_active else None


def user_roles(user: User) -> QuerySet[RoleAssignment]:
    return user.roles.select_related("node").order_by("node__path", "role")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own live API tokens, most recently used first: nobody sees another's."""
    return ApiToken.objects.live(timezone.now()).filter(user=user).order_by("-last_used_at", "-pk")


def audit_events_for(
    user: User,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows about nodes in the user's audit scope, filtered as the page asks."""
    paths = scope_paths(user, "audit.view")
    qs = AuditEvent.objects.filter(path_filter(paths, "node__path"))
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("node")
