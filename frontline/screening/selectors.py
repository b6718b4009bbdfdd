"""Reads for screening, already scoped: checklists, the coverage board, records."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from frontline.core.lists import under  # noqa: F401 (the figures narrow with it too)
from frontline.core.models import Node, NodeKind, User
from frontline.core.roles import roles_with
from frontline.core.scoping import (
    in_scope,
    nodes_visible,
    path_filter,
    roles_held,
    scope_paths,
    scope_root,
    user_can,
)
from frontline.screening.models import Assignment, ChecklistItem, ScreeningRecord

VILLAGE_GROUP = "各村（社区）"


def checklist_for(unit: Node) -> list[ChecklistItem]:
    """The active checklist items configured at the unit or any node above it."""
    return list(
        ChecklistItem.objects.filter(node_id__in=unit.ancestor_ids(), is_active=True).order_by(
            "node__depth", "position", "id"
        )
    )


def checklist_items_for(user: User) -> QuerySet[ChecklistItem]:
    """Checklist items the user manages, active first."""
    return in_scope(
        ChecklistItem.objects.select_related("node"), user, "screening.manage"
    ).order_by("node__path", "-is_active", "position", "id")


def units_under(root: Node) -> QuerySet[Node]:
    """Active villages and enterprises at or below a node: what daily screening must cover."""
    return (
        Node.objects.filter(path_filter([root.path]), is_active=True)
        .filter(kind__in=[NodeKind.VILLAGE, NodeKind.ENTERPRISE])
        .select_related("parent")
        .order_by("path")
    )


def _assigned_paths(user: User) -> list[str]:
    return list(Assignment.objects.filter(assignee=user).values_list("node__path", flat=True))


def units_for_record(user: User) -> QuerySet[Node]:
    """The villages and enterprises the user may file a screening record for.

    Those in the user's screening scope; for a role held at a grid, the units of that
    grid: the enterprises in it, or the village a village grid is part of (a grid
    worker screens the village their grid lies in); and the units assigned to the user
    (an assignment to a grid counts as one to its units in the same way).
    """
    if not user_can(user, "screening.record"):
        return Node.objects.none()
    allowed = roles_with("screening.record")
    grids = [path for role, path in roles_held(user) if role in allowed]
    assigned = _assigned_paths(user)
    villages_of_grids = Node.objects.filter(
        kind=NodeKind.VILLAGE,
        children__kind=NodeKind.GRID,
        children__path__in=grids + assigned,
    ).values("pk")
    return (
        Node.objects.filter(
            path_filter(scope_paths(user, "screening.record"))
            | path_filter(assigned)
            | Q(pk__in=villages_of_grids)
        )
        .filter(is_active=True, kind__in=[NodeKind.VILLAGE, NodeKind.ENTERPRISE])
        .order_by("path")
    )


def units_assigned(user: User, units: QuerySet[Node]) -> set[int]:
    """Which of these units the user was made responsible for (directly, or by grid)."""
    assigned = _assigned_paths(user)
    if not assigned:
        return set()
    villages_of_grids = Node.objects.filter(
        kind=NodeKind.VILLAGE, children__kind=NodeKind.GRID, children__path__in=assigned
    ).values("pk")
    return set(
        units.filter(path_filter(assigned) | Q(pk__in=villages_of_grids)).values_list(
            "pk", flat=True
        )
    )


def units_screened_on(units: QuerySet[Node], day: date) -> set[int]:
    """Which of these units someone screened on a day (whoever filed it)."""
    return set(
        ScreeningRecord.objects.filter(day=day, node__in=units.values("pk")).values_list(
            "node_id", flat=True
        )
    )


def board_roots(user: User) -> QuerySet[Node]:
    """Nodes a coverage board can be drawn for: the towns and villages the user sees, and
    the outermost node of their scope (a grid worker's grid), where their board opens."""
    kinds = Q(kind__in=[NodeKind.DISTRICT, NodeKind.TOWN, NodeKind.VILLAGE])
    return (
        nodes_visible(user, "screening.view")
        .filter(kinds | Q(path__in=scope_paths(user, "screening.view")), is_active=True)
        .order_by("path")
    )


def board_default_root(user: User) -> Node | None:
    """The outermost node of the user's screening scope."""
    return scope_root(user, "screening.view")


def _group_of(unit: Node) -> str:
    return unit.parent.name if unit.kind == NodeKind.ENTERPRISE else VILLAGE_GROUP


def _assignees_by_unit(root: Node, units: list[Node]) -> dict[int, list[User]]:
    """Who is responsible for each unit: assigned to it directly or to its grid."""
    assignments = Assignment.objects.filter(
        path_filter([root.path], "node__path") | Q(node_id__in=root.ancestor_ids())
    ).select_related("assignee")
    by_node: dict[int, list[User]] = {}
    for assignment in assignments:
        by_node.setdefault(assignment.node_id, []).append(assignment.assignee)
    return {
        unit.pk: [user for node_id in unit.ancestor_ids() for user in by_node.get(node_id, [])]
        for unit in units
    }


@dataclass
class CoverageRow:
    unit: Node
    group: str
    assignees: list[User]
    records: list[ScreeningRecord] = field(default_factory=list)

    @property
    def screened(self) -> bool:
        return bool(self.records)


@dataclass
class GroupCount:
    name: str
    screened: int = 0
    total: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.screened


@dataclass
class CoverageDay:
    root: Node
    day: date
    rows: list[CoverageRow]
    groups: list[GroupCount]

    @property
    def screened(self) -> int:
        return sum(1 for row in self.rows if row.screened)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def missing(self) -> int:
        return self.total - self.screened


def _groups(rows_with_flag: list[tuple[str, bool]]) -> list[GroupCount]:
    groups: dict[str, GroupCount] = {}
    for name, screened in rows_with_flag:
        group = groups.setdefault(name, GroupCount(name))
        group.total += 1
        group.screened += int(screened)
    # Villages first, then the enterprise grids in tree order.
    return sorted(groups.values(), key=lambda g: (g.name != VILLAGE_GROUP,))


def coverage_day(root: Node, day: date) -> CoverageDay:
    """Every unit under the node on a day: screened or not, by whom, with findings.

    Unscreened units come first, so the morning's work is at the top.
    """
    units = list(units_under(root))
    assignees = _assignees_by_unit(root, units)
    rows = {unit.pk: CoverageRow(unit, _group_of(unit), assignees[unit.pk]) for unit in units}
    records = ScreeningRecord.objects.filter(day=day, node_id__in=list(rows)).select_related(
        "screened_by"
    )
    for record in records.order_by("created_at"):
        rows[record.node_id].records.append(record)
    ordered = sorted(rows.values(), key=lambda row: (row.screened, row.unit.path))
    return CoverageDay(root, day, ordered, _groups([(r.group, r.screened) for r in ordered]))


@dataclass
class WeekRow:
    unit: Node
    group: str
    cells: list[bool]

    @property
    def count(self) -> int:
        return sum(self.cells)


@dataclass
class CoverageWeek:
    root: Node
    days: list[date]
    rows: list[WeekRow]
    groups: list[GroupCount]

    @property
    def per_day(self) -> list[int]:
        return [sum(row.cells[i] for row in self.rows) for i in range(len(self.days))]


def coverage_week(root: Node, last_day: date, length: int = 7) -> CoverageWeek:
    """Units × days, screened or not, for the `length` days ending on `last_day`."""
    days = [last_day - timedelta(days=offset) for offset in range(length - 1, -1, -1)]
    units = list(units_under(root))
    seen = set(
        ScreeningRecord.objects.filter(
            day__gte=days[0], day__lte=days[-1], node_id__in=[u.pk for u in units]
        )
        .values_list("node_id", "day")
        .distinct()
    )
    rows = [
        WeekRow(unit, _group_of(unit), [(unit.pk, day) in seen for day in days]) for unit in units
    ]
    return CoverageWeek(root, days, rows, _groups([(r.group, r.cells[-1]) for r in rows]))


def records_for(user: User) -> QuerySet[ScreeningRecord]:
    """Screening records of units in the user's screening scope, and those the user filed
    (a grid worker files for the village their grid lies in, above their scope)."""
    return ScreeningRecord.objects.select_related("node", "screened_by").filter(
        path_filter(scope_paths(user, "screening.view"), "node__path") | Q(screened_by=user)
    )


def screened_unit_days(qs: QuerySet[ScreeningRecord], start: date, end: date) -> QuerySet[dict]:
    """Units screened in the span, each once per day it was screened (unit-days): the
    已排查单位 figure counts these rows and its list shows them."""
    return qs.filter(day__range=(start, end)).values("node_id", "day").distinct()


def with_units(rows: list[dict]) -> list[dict]:
    """A page of unit-days, each with its unit (and the unit's parent) for display."""
    units = Node.objects.select_related("parent").in_bulk({row["node_id"] for row in rows})
    return [{**row, "unit": units[row["node_id"]]} for row in rows]


def records_of_day(user: User, root: Node, day: date) -> QuerySet[ScreeningRecord]:
    """The day's records of the units under a board's root, in tree order."""
    return (
        records_for(user)
        .filter(path_filter([root.path], "node__path"), day=day)
        .select_related("node__parent")
        .order_by("node__path", "created_at", "pk")
    )


def assignments_for(user: User) -> QuerySet[Assignment]:
    """Assignments the user manages, in tree order."""
    return in_scope(
        Assignment.objects.select_related("node", "assignee"), user, "screening.manage"
    ).order_by("node__path", "assignee__username")


def screeners_for(user: User) -> QuerySet[User]:
    """Who the user may make responsible for screening: holders of screening.record below."""
    return (
        User.objects.filter(
            is_active=True,
            roles__role__in=roles_with("screening.record"),
            roles__node__in=nodes_visible(user, "screening.manage").values("pk"),
        )
        .distinct()
        .order_by("username")
    )
