"""Reads for checkpoints, already scoped: posts, who is on duty now, rosters, passers, stats."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from frontline.checkpoints.models import (
    Checkpoint,
    CheckpointKind,
    Direction,
    Outcome,
    Passer,
    PasserKind,
    Shift,
    ShiftMember,
    ShiftTemplate,
)
from frontline.control import public as control
from frontline.core.lists import under
from frontline.core.models import Node, User
from frontline.core.roles import roles_with
from frontline.core.scoping import in_scope, path_filter, scope_paths


def checkpoints_for(user: User, permission: str = "checkpoints.view") -> QuerySet[Checkpoint]:
    """Checkpoints in the user's scope for a permission.

    Filtered on the node's path range through the join rather than `in_scope`'s
    subquery: the same rule, cheaper to build on the passer log's hot path.
    """
    return Checkpoint.objects.select_related("node").filter(
        path_filter(scope_paths(user, permission), "node__path")
    )


def manned_in_span(qs: QuerySet[Checkpoint], start: date, end: date) -> QuerySet[Checkpoint]:
    """Checkpoints where someone checked in for a shift of the span (在岗卡口): the figure
    counts these rows and its list shows them."""
    manned = ShiftMember.objects.filter(
        shift__day__range=(start, end), checked_in_at__isnull=False
    ).values("shift__checkpoint_id")
    return qs.filter(pk__in=manned)


def passers_in_span(
    qs: QuerySet[Passer], start: date, end: date, outcome: str = ""
) -> QuerySet[Passer]:
    """Passer records of the span, of one outcome when given (通行登记, 劝返)."""
    qs = qs.filter(day__range=(start, end))
    return qs.filter(outcome=outcome) if outcome else qs


def passers_for(user: User) -> QuerySet[Passer]:
    """Passer records at checkpoints in the user's scope, newest first."""
    return (
        Passer.objects.select_related("checkpoint__node", "logged_by")
        .filter(path_filter(scope_paths(user, "checkpoints.view"), "checkpoint__node__path"))
        .order_by("-day", "-logged_at", "-pk")
    )


def templates_for(checkpoint: Checkpoint) -> list[ShiftTemplate]:
    """Shift templates offered to a checkpoint: those of its node and every node above."""
    return list(ShiftTemplate.objects.filter(node_id__in=checkpoint.node.ancestor_ids()))


def templates_managed_by(user: User) -> QuerySet[ShiftTemplate]:
    return in_scope(
        ShiftTemplate.objects.select_related("node"), user, "checkpoints.manage"
    ).order_by("node__path", "start")


def on_duty_now(now: datetime | None = None) -> QuerySet[ShiftMember]:
    """Members checked in and not (yet) out at `now`, on a shift that has not ended."""
    now = now or timezone.now()
    return ShiftMember.objects.filter(
        Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=now),
        checked_in_at__isnull=False,
        checked_in_at__lte=now,
        shift__ends_at__gt=now,
    )


def with_manned(qs: QuerySet[Checkpoint], now: datetime | None = None) -> QuerySet[Checkpoint]:
    """Annotate `manned`: someone is checked in at the checkpoint right now."""
    return qs.annotate(manned=Exists(on_duty_now(now).filter(shift__checkpoint=OuterRef("pk"))))


def unmanned_now(qs: QuerySet[Checkpoint], now: datetime | None = None) -> QuerySet[Checkpoint]:
    """Open checkpoints where nobody is checked in right now (无人在岗卡口)."""
    return with_manned(qs.filter(is_open=True), now).filter(manned=False)


def checkpoints_unmanned_now(
    user: User, now: datetime | None = None, node: Node | None = None
) -> QuerySet[Checkpoint]:
    """Open checkpoints in the user's scope (under `node` when given) where nobody is
    checked in right now."""
    qs = under(checkpoints_for(user), node)
    return unmanned_now(qs, now).order_by("node__path", "name")


def shifts_of_day(checkpoint: Checkpoint, day: date) -> QuerySet[Shift]:
    """A checkpoint's roster for a day: the shifts starting that local day (night ones too)."""
    return (
        Shift.objects.filter(checkpoint=checkpoint, day=day)
        .prefetch_related("members__user")
        .order_by("starts_at")
    )


def my_duty(checkpoint: Checkpoint, user: User, now: datetime | None = None) -> ShiftMember | None:
    """The user's open check-in at this checkpoint, if any."""
    return (
        on_duty_now(now)
        .filter(shift__checkpoint=checkpoint, user=user)
        .select_related("shift")
        .first()
    )


def passers_of_day(checkpoint: Checkpoint, day: date) -> QuerySet[Passer]:
    return Passer.objects.filter(checkpoint=checkpoint, day=day).select_related("logged_by")


def passers_of_day_with_referrals(checkpoint: Checkpoint, day: date) -> QuerySet[Passer]:
    """The day's entries, each with the id of its hand-over to key-person control (or None)."""
    return passers_of_day(checkpoint, day).annotate(
        referral_id=control.referral_id_annotation(control.ReferralSource.CHECKPOINT)
    )


@dataclass
class PasserDefaults:
    """What the next entry starts with: the user's last origin and destination here,
    today's direction, and the kind this checkpoint mostly sees."""

    origin: str = ""
    destination: str = ""
    direction: str = Direction.IN
    kind: str = PasserKind.PERSON


def passer_defaults(checkpoint: Checkpoint, user: User, day: date) -> PasserDefaults:
    # Same kind every time (vehicles at a traffic crossing, people elsewhere), so the
    # cursor always starts in the same field and typing never lands in the wrong one.
    kind = PasserKind.VEHICLE if checkpoint.kind == CheckpointKind.TRAFFIC else PasserKind.PERSON
    last = (
        Passer.objects.filter(checkpoint=checkpoint, logged_by=user)
        .order_by("-logged_at", "-id")
        .values("origin", "destination", "direction", "day")
        .first()
    )
    if last is None:
        return PasserDefaults(kind=kind)
    # The direction changes with the day (out in the morning, back at night); keep it only today.
    direction = last["direction"] if last["day"] == day else Direction.IN
    return PasserDefaults(last["origin"], last["destination"], direction, kind)


@dataclass
class DayStats:
    entries: int = 0
    people: int = 0
    vehicles: int = 0
    fevers: int = 0
    turned_back: int = 0
    handed_over: int = 0


def day_stats(checkpoint_ids: list[int], day: date) -> dict[int, DayStats]:
    """Per checkpoint on a day: entries, people, vehicles, fevers, turned back, handed over."""
    rows = (
        Passer.objects.filter(checkpoint_id__in=checkpoint_ids, day=day)
        .values("checkpoint_id")
        .annotate(
            entries=Count("id"),
            people=Sum("people"),
            vehicles=Count("id", filter=Q(kind=PasserKind.VEHICLE)),
            fevers=Count("id", filter=Q(is_fever=True)),
            turned_back=Count("id", filter=Q(outcome=Outcome.TURNED_BACK)),
            handed_over=Count("id", filter=Q(outcome=Outcome.HANDED_OVER)),
        )
    )
    stats = {pk: DayStats() for pk in checkpoint_ids}
    for row in rows:
        pk = row.pop("checkpoint_id")
        stats[pk] = DayStats(**row)
    return stats


@dataclass
class SummaryRow:
    checkpoint: Checkpoint
    stats: DayStats


def town_summary(
    user: User, day: date, node: Node | None = None
) -> tuple[list[SummaryRow], DayStats]:
    """Every checkpoint in scope (under `node` when given) with its figures for a day, and
    the totals."""
    checkpoints = list(under(checkpoints_for(user), node).order_by("node__path", "name"))
    stats = day_stats([c.pk for c in checkpoints], day)
    rows = [SummaryRow(c, stats[c.pk]) for c in checkpoints]
    total = DayStats()
    for row in rows:
        for name in DayStats.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(row.stats, name))
    return rows, total


def on_duty_at(checkpoint: Checkpoint, now: datetime | None = None) -> QuerySet[ShiftMember]:
    """Who is checked in at this checkpoint now."""
    return on_duty_now(now).filter(shift__checkpoint=checkpoint).select_related("user")


def duty_users(checkpoint: Checkpoint) -> QuerySet[User]:
    """Accounts that may stand at this checkpoint: duty roles at its node or above or below."""
    low, high = checkpoint.node.bounds
    return (
        User.objects.filter(is_active=True, roles__role__in=roles_with("checkpoints.duty"))
        .filter(
            Q(roles__node_id__in=checkpoint.node.ancestor_ids())
            | Q(roles__node__path__gte=low, roles__node__path__lt=high)
        )
        .distinct()
        .order_by("username")
    )


def shifts_managed_by(user: User) -> QuerySet[Shift]:
    """Shifts at checkpoints the user manages."""
    return in_scope(
        Shift.objects.select_related("checkpoint__node"),
        user,
        "checkpoints.manage",
        node_field="checkpoint__node",
    )


def shift_members_managed_by(user: User) -> QuerySet[ShiftMember]:
    """Members of shifts at checkpoints the user manages."""
    return in_scope(
        ShiftMember.objects.select_related("shift__checkpoint__node"),
        user,
        "checkpoints.manage",
        node_field="shift__checkpoint__node",
    )


def passers_due_for_retention(cutoff: date) -> QuerySet[Passer]:
    """Passers logged before the cutoff day that still hold a plate or a place (anonymised
    ones are not due again)."""
    return Passer.objects.filter(day__lt=cutoff).exclude(
        plate="", origin="", destination="", note=""
    )


def passers_past_retention(cutoff: date) -> int:
    """Passers logged before the cutoff day that still name a plate or a place."""
    return passers_due_for_retention(cutoff).count()
