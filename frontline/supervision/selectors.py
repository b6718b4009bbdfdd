"""Reads for supervision, every one scoped to the user (outside scope is 404)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from frontline.core.models import Node, NodeKind, User
from frontline.core.scoping import in_scope, nodes_visible, path_filter, user_can
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


def group_covers(group: InspectionGroup, node: Node) -> bool:
    """Whether a node lies in the group's scope (one of its nodes or below one)."""
    return any(node.path.startswith(place.path) for place in group.scope.all())


def rubrics_for(user: User, target_kind: str | None = None) -> QuerySet[Rubric]:
    """Active rubrics set up at or above the user's nodes (a town's rubric serves its villages)."""
    visible = list(nodes_visible(user, "supervision.view").values_list("path", flat=True)[:1000])
    ancestors = {path[:end] for path in visible for end in range(10, len(path) + 1, 10)}
    rubrics = Rubric.objects.filter(
        Q(node__isnull=True) | Q(node__path__in=ancestors), is_active=True
    ).prefetch_related(Prefetch("items", queryset=RubricItem.objects.order_by("order", "id")))
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


def findings_overdue(user: User, today: date | None = None) -> QuerySet[Finding]:
    """Open findings past their deadline: flagged to the owner's leader."""
    today = today or timezone.localdate()
    return findings_for(user).filter(status=FindingStatus.OPEN, deadline__lt=today)


def findings_owned(user: User) -> QuerySet[Finding]:
    """Open findings the user must rectify."""
    return findings_for(user, "supervision.rectify").filter(owner=user, status=FindingStatus.OPEN)


def rankings_for(user: User) -> QuerySet[Ranking]:
    return in_scope(Ranking.objects.all(), user, "supervision.view").select_related(
        "node", "published_by"
    )


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
    from frontline.core.roles import roles_with
    from frontline.core.scoping import scope_paths

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
