"""Reads for party organisations, already scoped; the figures count the same row sets the
list pages show (`org_rows`, `member_rows`, `pledge_rows`, `post_rows`)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from frontline.core.models import Node, RoleAssignment, User
from frontline.core.roles import role_label
from frontline.core.scoping import in_scope, path_filter
from frontline.party.models import (
    MEMBER_STATUSES,
    STANDING_KINDS,
    Call,
    FlagSite,
    Membership,
    MemberStatus,
    Oath,
    OrgKind,
    PartyOrg,
    Pledge,
    PledgeStatus,
    Post,
    PostHolder,
)

# What an organisation list may show: the figures' row sets, by name.
ORG_SETS = {
    "all": "全部党组织",
    "standing": "基层党组织",
    "temporary": "临时党支部",
    "calling": "发出倡议的党组织",
}
MEMBER_SETS = {"members": "党员", "activists": "入党积极分子", "all": "党员和入党积极分子"}


def orgs_for(user: User, permission: str = "party.view") -> QuerySet[PartyOrg]:
    return in_scope(PartyOrg.objects.select_related("node", "parent"), user, permission)


def under(qs: QuerySet, node: Node | None, field: str) -> QuerySet:
    """Rows of a node's subtree (the whole queryset when no node is given)."""
    return qs if node is None else qs.filter(path_filter([node.path], field))


def org_rows(qs: QuerySet[PartyOrg], which: str, start: date, end: date) -> QuerySet[PartyOrg]:
    """Organisations of a list or figure: standing ones alive at `end`, temporary branches
    active during the span, or those that issued a call in the span."""
    alive = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    if which == "standing":
        return qs.filter(alive, kind__in=STANDING_KINDS)
    if which == "temporary":
        return qs.filter(alive, kind=OrgKind.TEMPORARY)
    if which == "calling":
        calls = Call.objects.filter(org=OuterRef("pk"), issued_on__range=(start, end))
        return qs.filter(Exists(calls))
    return qs


def with_counts(qs: QuerySet[PartyOrg]) -> QuerySet[PartyOrg]:
    current = Q(memberships__end_date__isnull=True)
    return qs.annotate(
        members=Count("memberships", filter=current & Q(memberships__status__in=MEMBER_STATUSES)),
        activists=Count(
            "memberships", filter=current & Q(memberships__status=MemberStatus.ACTIVIST)
        ),
    )


def memberships_for(user: User, permission: str = "party.view") -> QuerySet[Membership]:
    return in_scope(
        Membership.objects.select_related("org", "resident__node__parent", "resident__household"),
        user,
        permission,
        "org__node",
    )


def member_rows(qs: QuerySet[Membership], which: str) -> QuerySet[Membership]:
    """Current memberships: party members (正式 and 预备), activists, or both."""
    qs = qs.filter(end_date__isnull=True)
    if which == "members":
        return qs.filter(status__in=MEMBER_STATUSES)
    if which == "activists":
        return qs.filter(status=MemberStatus.ACTIVIST)
    return qs


def org_members(org: PartyOrg) -> tuple[list[Membership], list[Membership]]:
    """An organisation's current members, and the history of those who moved on."""
    rows = list(
        Membership.objects.filter(org=org)
        .select_related("resident__node__parent", "resident__household")
        .order_by("resident__name", "pk")
    )
    return [m for m in rows if m.is_current], [m for m in rows if not m.is_current]


def current_memberships_of(resident_ids: list[int]) -> dict[int, Membership]:
    """The current membership of each of these residents that has one, by resident id."""
    rows = Membership.objects.filter(resident_id__in=resident_ids, end_date__isnull=True)
    return {m.resident_id: m for m in rows.select_related("org")}


def history_of(membership: Membership) -> list[Membership]:
    """Every membership of the same person, oldest first (transfers keep the old ones)."""
    return list(
        Membership.objects.filter(resident_id=membership.resident_id)
        .select_related("org")
        .order_by("start_date", "pk")
    )


def membership_of_account(user: User) -> Membership | None:
    """The current membership the secretary linked to this login: who the user is as a
    party member (None for an account linked to no member)."""
    return (
        Membership.objects.select_related("org__node", "resident__node__parent")
        .filter(account=user, end_date__isnull=True)
        .first()
    )


def _role_rows_under(node: Node) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(
        path_filter([node.path], "node__path"), node__is_active=True, user__is_active=True
    )


def account_roles_under(node: Node, user_ids: list[int]) -> dict[int, list[str]]:
    """Role labels each of these users holds at the node or below it, by user id (a user
    holding none there is left out): who may be a member's own login there."""
    found: dict[int, list[str]] = {}
    rows = _role_rows_under(node).filter(user_id__in=user_ids).order_by("user_id", "role")
    for user_id, role in rows.values_list("user_id", "role"):
        labels = found.setdefault(user_id, [])
        if role_label(role) not in labels:
            labels.append(role_label(role))
    return found


def accounts_linkable(membership: Membership, limit: int = 300) -> list[tuple[User, list[str]]]:
    """Logins a secretary may link to this member — active, with a role at or below the
    organisation's node, linked to no other current member — with those roles' labels."""
    taken = Membership.objects.filter(end_date__isnull=True, account__isnull=False).exclude(
        pk=membership.pk
    )
    users = list(
        User.objects.filter(
            is_active=True, pk__in=_role_rows_under(membership.org.node).values("user_id")
        )
        .exclude(pk__in=taken.values("account_id"))
        .order_by("full_name", "username")[:limit]
    )
    roles = account_roles_under(membership.org.node, [u.pk for u in users])
    return [(user, roles[user.pk]) for user in users]


def calls_for(user: User, permission: str = "party.view") -> QuerySet[Call]:
    return in_scope(Call.objects.select_related("org__node"), user, permission, "org__node")


COUNT_NAMES = ("pledged", "assigned", "reserve", "waiting")


@dataclass
class CallCounts:
    pledged: int
    assigned: int
    reserve: int
    waiting: int


def call_counts(calls: QuerySet[Call] | list[Call]) -> dict[int, CallCounts]:
    """Pledged, assigned, in reserve and waiting, per call."""
    ids = [c.pk for c in calls]
    counts = {pk: CallCounts(0, 0, 0, 0) for pk in ids}
    rows = (
        Pledge.objects.filter(call_id__in=ids)
        .values("call_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        entry = counts[row["call_id"]]
        entry.pledged += row["n"]
        if row["status"] == PledgeStatus.ASSIGNED:
            entry.assigned += row["n"]
        elif row["status"] == PledgeStatus.RESERVE:
            entry.reserve += row["n"]
        else:
            entry.waiting += row["n"]
    return counts


def pledges_for(user: User, permission: str = "party.view") -> QuerySet[Pledge]:
    return in_scope(
        Pledge.objects.select_related(
            "call__org", "membership__org", "resident__node__parent", "post"
        ),
        user,
        permission,
        "membership__org__node",
    )


def pledge_rows(qs: QuerySet[Pledge], start: date, end: date) -> QuerySet[Pledge]:
    """Pledges written during the span (by the day they were entered)."""
    return qs.filter(created_at__date__range=(start, end))


def posts_for(user: User, permission: str = "party.view") -> QuerySet[Post]:
    return in_scope(Post.objects.select_related("node", "org"), user, permission)


def post_rows(qs: QuerySet[Post], kind: str | None) -> QuerySet[Post]:
    qs = qs.annotate(holder_count=Count("holders"))
    return qs.filter(kind=kind) if kind else qs


def holders_of(posts: list[Post]) -> dict[int, list[PostHolder]]:
    found: dict[int, list[PostHolder]] = {p.pk: [] for p in posts}
    for holder in (
        PostHolder.objects.filter(post__in=posts)
        .select_related("resident")
        .order_by("resident__name")
    ):
        found[holder.post_id].append(holder)
    return found


def current_members_picker(user: User, permission: str, org: PartyOrg | None = None):
    """Current memberships a form may choose (a pledge's member, a post's holder)."""
    qs = memberships_for(user, permission).filter(end_date__isnull=True)
    if org is not None:
        qs = qs.filter(path_filter([org.node.path], "org__node__path"))
    return qs.order_by("org__name", "resident__name")


def org_subtree_ids(org: PartyOrg) -> set[int]:
    """The organisation and every organisation below it (by parent), a level a query."""
    found, level = {org.pk}, {org.pk}
    while level:
        level = set(PartyOrg.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level -= found
        found |= level
    return found


def oath_members_picker(user: User, org: PartyOrg) -> QuerySet[Membership]:
    """Current members and activists of the organisation and those below it."""
    qs = memberships_for(user, "party.manage").filter(
        end_date__isnull=True, org_id__in=org_subtree_ids(org)
    )
    return qs.order_by("org__name", "resident__name")


def oaths_of(org: PartyOrg, limit: int = 100) -> list[Oath]:
    """An organisation's oath events, latest first, with who stood there."""
    return list(
        Oath.objects.filter(org=org)
        .prefetch_related("attendees__resident__node__parent", "attendees__resident__household")
        .order_by("-held_on", "-pk")[:limit]
    )


def flag_sites_for(user: User, permission: str = "party.view") -> QuerySet[FlagSite]:
    """Sites where a flag flies, scoped by the site's node."""
    return in_scope(FlagSite.objects.select_related("org", "node"), user, permission)


def flag_rows(qs: QuerySet[FlagSite], end: date) -> QuerySet[FlagSite]:
    """Sites whose flag flies on `end`: planted by then, its organisation not yet ended."""
    return qs.filter(Q(org__end_date__isnull=True) | Q(org__end_date__gt=end), since__lte=end)


def flag_of_checkpoint(user: User, checkpoint_id: int) -> FlagSite | None:
    """The site record of a checkpoint's flag, when the user may open its organisation."""
    site = FlagSite.objects.select_related("org").filter(checkpoint_id=checkpoint_id).first()
    if site is None or not orgs_for(user).filter(pk=site.org_id).exists():
        return None
    return site
