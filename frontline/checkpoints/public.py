"""What other apps may use of checkpoints; nothing else of checkpoints is theirs to import.

- One checkpoint's place and name, for an app that refers to it by id (`checkpoint_place`).
- The open checkpoints below a node (`checkpoints_under`) and on how many days of a span
  someone checked in at each (`manned_days`): supervision's 红黑榜 reads its manning here.
- Cadres who checked in for a shift (`cadres_on_duty`): the holiday duty (干部坚守).
- Shifts below a node in a span (`shifts_under`) and one shift's facts (`shift_facts`):
  a team's checkpoint duty links the shift instead of typing it again.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from frontline.checkpoints.models import Checkpoint, MemberKind, Shift, ShiftMember
from frontline.core.models import Node
from frontline.core.scoping import path_filter

__all__ = [
    "ShiftFacts",
    "cadres_on_duty",
    "checkpoint_place",
    "checkpoints_under",
    "manned_days",
    "shift_facts",
    "shifts_under",
]


def checkpoint_place(pk: int) -> tuple[Node, str] | None:
    """(node, name) of the checkpoint with this id, or None. The caller checks scope."""
    found = Checkpoint.objects.select_related("node").filter(pk=pk).first()
    return (found.node, found.name) if found else None


def checkpoints_under(node: Node) -> list[tuple[int, str, Node]]:
    """(id, name, node) of the open checkpoints at and below a node."""
    rows = Checkpoint.objects.filter(path_filter([node.path], "node__path"), is_open=True)
    return [
        (c.pk, c.name, c.node) for c in rows.select_related("node").order_by("node__path", "name")
    ]


def manned_days(ids: list[int], start: date, end: date) -> dict[int, int]:
    """For each checkpoint id, the days of start…end on which someone checked in."""
    counts = dict.fromkeys(ids, 0)
    pairs = (
        ShiftMember.objects.filter(
            shift__checkpoint_id__in=ids,
            shift__day__range=(start, end),
            checked_in_at__isnull=False,
        )
        .values_list("shift__checkpoint_id", "shift__day")
        .distinct()
    )
    for checkpoint_id, _day in pairs:
        counts[checkpoint_id] += 1
    return counts


def cadres_on_duty(node: Node, start: date, end: date) -> list[dict]:
    """Cadres (干部) who checked in at a checkpoint below the node: day, name, place, node."""
    members = (
        ShiftMember.objects.filter(
            path_filter([node.path], "shift__checkpoint__node__path"),
            kind=MemberKind.CADRE,
            shift__day__range=(start, end),
            checked_in_at__isnull=False,
        )
        .select_related("user", "shift__checkpoint__node")
        .order_by("shift__day", "pk")
    )
    seen, rows = set(), []
    for member in members:
        key = (member.shift.day, member.user_id or member.name)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "day": member.shift.day,
                "name": member.display_name,
                "place": member.shift.checkpoint.name,
                "node": member.shift.checkpoint.node,
            }
        )
    return rows


@dataclass(frozen=True)
class ShiftFacts:
    """What another app needs of one shift: where, which day, from when to when, how long."""

    id: int
    node: Node
    checkpoint: str
    day: date
    starts_at: datetime
    ends_at: datetime

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / 3600).quantize(Decimal("0.1"))


def _facts(shift: Shift) -> ShiftFacts:
    return ShiftFacts(
        shift.pk,
        shift.checkpoint.node,
        shift.checkpoint.name,
        shift.day,
        shift.starts_at,
        shift.ends_at,
    )


def shift_facts(pk: int) -> ShiftFacts | None:
    """The facts of the shift with this id, or None. The caller checks scope."""
    found = Shift.objects.select_related("checkpoint__node").filter(pk=pk).first()
    return _facts(found) if found else None


def shifts_under(node: Node, start: date, end: date, limit: int = 200) -> list[ShiftFacts]:
    """Shifts at checkpoints at and below a node on the days start…end, latest first."""
    rows = Shift.objects.filter(
        path_filter([node.path], "checkpoint__node__path"), day__range=(start, end)
    ).select_related("checkpoint__node")
    return [_facts(s) for s in rows.order_by("-starts_at", "checkpoint__name")[:limit]]
