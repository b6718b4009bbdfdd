"""Reads for supervision, every one scoped to the user (outside scope is 404)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from frontline.core.models import PATH_SEGMENT, Node, NodeKind, RoleAssignment, User
from frontline.core.roles import roles_with
from frontline.core.scoping import in_scope, nodes_visible, path_filter, scope_paths, user_can
from frontline.supervision.models import (
    CadreRecord,
    Finding,
    FindingStatus,
    HolidayDuty,
    Honour,
    HonourKind,
    Inspection,
    InspectionGroup,
    Ranking,
    Rubric,
    RubricItem,
    TargetKind,
)


def groups_for(user: User, permission: str = "supervision.view") -> QuerySet[InspectionGroup]:
    return in_scope(InspectionGroup.objects.all(), user, permission).prefetch_related(
        "members", "scope"
    )


def groups_of_member(user: User) -> QuerySet[InspectionGroup]:
    """The groups the user is a member of (none without the inspect permission anywhere).

    A member may belong to a group set up above their own node; what they may inspect is
    still checked against their own scope and the group's for each target.
    """
    if not user_can(user, "supervision.inspect"):
        return InspectionGroup.objects.none()
    return InspectionGroup.objects.filter(members=user).prefetch_related("scope")


def inspectors_for(user: User) -> QuerySet[User]:
    """Who may be made a member of a group the user sets up: active users holding the
    inspect permission at a node the user manages."""
    paths = scope_paths(user, "supervision.manage")
    return (
        User.objects.filter(
            path_filter(paths, "roles__node__path"),
            roles__role__in=roles_with("supervision.inspect"),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def group_places_for(user: User) -> QuerySet[Node]:
    """The places a group may be given to inspect: towns, villages and grids the user manages."""
    return (
        nodes_visible(user, "supervision.manage")
        .filter(kind__in=[NodeKind.TOWN, NodeKind.VILLAGE, NodeKind.GRID], is_active=True)
        .order_by("path")
    )


def rubrics_managed(user: User) -> QuerySet[Rubric]:
    """Rubrics set up at nodes the user manages, stopped ones included."""
    return (
        in_scope(Rubric.objects.filter(node__isnull=False), user, "supervision.manage")
        .select_related("node")
        .prefetch_related("items")
    )


def group_covers(group: InspectionGroup, node: Node) -> bool:
    """Whether a node lies in the group's scope (one of its nodes or below one)."""
    return any(node.path.startswith(place.path) for place in group.scope.all())


def rubrics_for(user: User, target_kind: str | None = None) -> QuerySet[Rubric]:
    """Active rubrics set up at or above the user's nodes (a town's rubric serves its villages)."""
    visible = list(nodes_visible(user, "supervision.view").values_list("path", flat=True)[:1000])
    ancestors = {path[:end] for path in visible for end in range(10, len(path) + 1, 10)}
    rubrics = Rubric.objects.filter(
        Q(node__isnull=True) | Q(node__path__in=ancestors), is_active=True
    ).select_related("node")
    rubrics = rubrics.prefetch_related(
        Prefetch("items", queryset=RubricItem.objects.order_by("order", "id"))
    )
    if target_kind:
        rubrics = rubrics.filter(target_kind=target_kind)
    return rubrics.order_by("target_kind", "name")


def inspections_for(user: User, permission: str = "supervision.view") -> QuerySet[Inspection]:
    return in_scope(Inspection.objects.all(), user, permission).select_related(
        "node", "group", "rubric", "inspector"
    )


def findings_for(user: User, permission: str = "supervision.view") -> QuerySet[Finding]:
    return in_scope(Finding.objects.all(), user, permission).select_related(
        "node", "owner", "inspection", "inspection__group"
    )


def overdue(qs: QuerySet[Finding], today: date | None = None) -> QuerySet[Finding]:
    """Open findings past their deadline (逾期未整改): the figure counts these rows and the
    overdue list shows them."""
    today = today or timezone.localdate()
    return qs.filter(status=FindingStatus.OPEN, deadline__lt=today)


def findings_overdue(user: User, today: date | None = None) -> QuerySet[Finding]:
    """Open findings past their deadline: flagged to the owner's leader."""
    return overdue(findings_for(user), today)


# Stated on the page, and what `findings_flagged` does.
LEADER_RULE = (
    "逾期提醒给责任人的上级：问题所在村（社区）及其上级辖区中负责督促整改的领导"
    "（村书记、镇领导）都会看到；责任人本人，以及与您同级或比您更高的领导作责任人的问题，"
    "不在这里提醒您。没有指定责任人的逾期问题，提醒给该辖区及以上的领导。"
)


def findings_flagged(user: User, today: date | None = None) -> QuerySet[Finding]:
    """Overdue findings flagged to the user as the owner's leader (`LEADER_RULE`): overdue in
    the places the user oversees, owned by no one, or by someone who oversees nothing at or
    above the user's own place."""
    paths = scope_paths(user, "supervision.oversee")
    if not paths:
        return Finding.objects.none()
    step = PATH_SEGMENT
    at_or_above = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    peers = RoleAssignment.objects.filter(
        role__in=roles_with("supervision.oversee"), node__path__in=at_or_above
    ).values("user_id")
    today = today or timezone.localdate()
    return (
        findings_for(user, "supervision.oversee")
        .filter(status=FindingStatus.OPEN, deadline__lt=today)
        .exclude(owner=user)
        .exclude(owner_id__in=peers)
    )


def findings_owned(user: User) -> QuerySet[Finding]:
    """Open findings the user must rectify."""
    return findings_for(user, "supervision.rectify").filter(owner=user, status=FindingStatus.OPEN)


def rankings_for(user: User) -> QuerySet[Ranking]:
    """Published lists the user may read."""
    return in_scope(
        Ranking.objects.filter(published_at__isnull=False), user, "supervision.view"
    ).select_related("node", "published_by")


def ranking_handles_for(user: User, permission: str = "supervision.manage") -> QuerySet[Ranking]:
    """Every list row, published or not, at nodes where the user holds the permission."""
    return in_scope(Ranking.objects.all(), user, permission).select_related("node")


def honour_kinds() -> QuerySet[HonourKind]:
    return HonourKind.objects.all()


def honours_for(user: User, node: Node | None = None) -> QuerySet[Honour]:
    honours = in_scope(Honour.objects.all(), user, "supervision.view").select_related(
        "kind", "ranking", "node"
    )
    if node is not None:
        honours = honours.filter(path_filter([node.path], "node__path"))
    return honours


def cadre_records_for(user: User) -> QuerySet[CadreRecord]:
    return in_scope(CadreRecord.objects.all(), user, "supervision.cadre_records").select_related(
        "node", "created_by"
    )


def holiday_duty_for(user: User) -> QuerySet[HolidayDuty]:
    return in_scope(HolidayDuty.objects.all(), user, "supervision.view").select_related("node")


def villages_for(user: User, permission: str = "supervision.view") -> QuerySet[Node]:
    return nodes_visible(user, permission).filter(kind=NodeKind.VILLAGE, is_active=True)


def target_node_choices(user: User, target_kind: str) -> QuerySet[Node]:
    """Villages or enterprises the user may inspect (the page's choices for those kinds)."""
    kind = NodeKind.VILLAGE if target_kind == TargetKind.VILLAGE else NodeKind.ENTERPRISE
    return nodes_visible(user, "supervision.inspect").filter(kind=kind, is_active=True)


@dataclass
class Period:
    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y年%m月}"
        return f"{self.start:%m月%d日}–{self.end:%m月%d日}"


def can_publish(user: User, node: Node) -> bool:
    return user_can(user, "supervision.manage", node)


def owners_for(user: User) -> QuerySet[User]:
    """Users who may be made owner of a finding: they rectify somewhere the user inspects."""
    paths = scope_paths(user, "supervision.inspect")
    return (
        User.objects.filter(
            path_filter(paths, "roles__node__path"),
            roles__role__in=roles_with("supervision.rectify"),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def targets_for(
    user: User, groups: list[InspectionGroup], target_kind: str
) -> list[tuple[int, str]]:
    """(id, label) of what the user's groups may inspect of a kind (checkpoints, villages,
    enterprises); isolations are chosen by number."""
    from frontline.checkpoints import public as checkpoints

    scope_nodes = [place for group in groups for place in group.scope.all()]
    found: dict[int, str] = {}
    if target_kind == TargetKind.CHECKPOINT:
        for place in scope_nodes:
            for pk, name, node in checkpoints.checkpoints_under(place):
                if user_can(user, "supervision.inspect", node):
                    found[pk] = f"{name}（{node.name}）"
    elif target_kind in (TargetKind.VILLAGE, TargetKind.ENTERPRISE):
        nodes = target_node_choices(user, target_kind).filter(
            path_filter([place.path for place in scope_nodes])
        )
        found = {node.pk: node.name for node in nodes.order_by("path")}
    return list(found.items())
