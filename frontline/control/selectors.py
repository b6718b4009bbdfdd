"""Reads for key persons, rounds, alerts, overdue slots and gaps, scoped to the user."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone

from frontline.control.models import (
    Alert,
    Isolation,
    IsolationStatus,
    KeyPerson,
    KeyPersonStatus,
    Reading,
    Responsible,
    ServiceDelivery,
    SixRole,
    Slot,
)
from frontline.control.rounds import slot_deadline, slot_status
from frontline.core.models import User
from frontline.core.scoping import in_scope


def key_persons_for(user: User, permission: str = "control.view") -> QuerySet[KeyPerson]:
    return in_scope(KeyPerson.objects.all(), user, permission).select_related(
        "resident", "category", "leader", "node"
    )


def isolations_for(user: User, permission: str = "control.view") -> QuerySet[Isolation]:
    return in_scope(Isolation.objects.all(), user, permission).select_related(
        "key_person__resident", "node"
    )


def alerts_for(user: User, *, is_open: bool | None = True) -> QuerySet[Alert]:
    qs = in_scope(Alert.objects.all(), user, "control.view").select_related(
        "reading", "isolation__key_person__resident", "node"
    )
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    return qs.order_by("-opened_at")


def key_person_list(
    user: User,
    *,
    status: str = KeyPersonStatus.ACTIVE,
    category: int | None = None,
    gaps_only: bool = False,
) -> QuerySet[KeyPerson]:
    qs = key_persons_for(user)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category_id=category)
    if gaps_only:
        qs = qs.filter(Q(leader__isnull=True) | Q(team="") | Q(plan=""))
    return qs.annotate(
        active_isolations=Count("isolations", filter=Q(isolations__status=IsolationStatus.ACTIVE))
    ).order_by("-created_at", "-pk")


@dataclass
class SlotState:
    status: str  # done, due, overdue
    value: object = None
    is_fever: bool = False


@dataclass
class RoundItem:
    isolation: Isolation
    am: SlotState
    pm: SlotState

    @property
    def slots(self) -> list[tuple[str, SlotState, str]]:
        return [(Slot.AM, self.am, Slot.AM.label), (Slot.PM, self.pm, Slot.PM.label)]


def round_items(user: User, day: date | None = None) -> list[RoundItem]:
    """Today's isolated persons the user measures, each with its morning and afternoon state."""
    day = day or timezone.localdate()
    isolations = list(
        isolations_for(user, "control.reading")
        .filter(status=IsolationStatus.ACTIVE, start_date__lte=day)
        .order_by("node__path", "address", "pk")
    )
    readings = {
        (r.isolation_id, r.slot): r
        for r in Reading.objects.filter(
            isolation_id__in=[i.pk for i in isolations], local_date=day
        ).only("isolation_id", "slot", "value", "is_fever")
    }
    now = timezone.localtime()
    items = []
    for isolation in isolations:
        states = []
        for slot in (Slot.AM, Slot.PM):
            reading = readings.get((isolation.pk, slot))
            states.append(
                SlotState(
                    slot_status(day, slot, reading is not None, now),
                    reading.value if reading else None,
                    reading.is_fever if reading else False,
                )
            )
        items.append(RoundItem(isolation, *states))
    return items


def readings_by_day(isolation: Isolation, days: int = 14) -> list[tuple[date, list]]:
    """The last `days` days of an isolation, newest first: (day, morning, afternoon reading)."""
    today = timezone.localdate()
    first = max(isolation.start_date, today - timedelta(days=days - 1))
    found = {(r.local_date, r.slot): r for r in isolation.readings.filter(local_date__gte=first)}
    result = []
    day = today
    while day >= first:
        result.append((day, [found.get((day, Slot.AM)), found.get((day, Slot.PM))]))
        day -= timedelta(days=1)
    return result


@dataclass
class OverdueItem:
    isolation: Isolation
    day: date
    slot: str

    @property
    def slot_label(self) -> str:
        return Slot(self.slot).label


def overdue_items(user: User, days: int = 3) -> list[OverdueItem]:
    """Slots of the last `days` days whose window has passed with no reading, newest first."""
    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    now = timezone.localtime()
    isolations = list(
        isolations_for(user)
        .filter(start_date__lte=today)
        .filter(Q(status=IsolationStatus.ACTIVE) | Q(ended_at__date__gte=since))
    )
    done = set(
        Reading.objects.filter(
            isolation_id__in=[i.pk for i in isolations], local_date__gte=since
        ).values_list("isolation_id", "local_date", "slot")
    )
    items = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        for isolation in isolations:
            if day < isolation.start_date:
                continue
            if isolation.ended_at and timezone.localdate(isolation.ended_at) <= day:
                continue
            for slot in (Slot.PM, Slot.AM):
                if (isolation.pk, day, slot) not in done and now >= slot_deadline(day, slot):
                    items.append(OverdueItem(isolation, day, slot))
    return items


@dataclass
class SixGap:
    isolation: Isolation
    missing: list[str]

    @property
    def village(self) -> str:
        """The village's name, for the per-village coverage page (a grid shows its village)."""
        node = self.isolation.node
        return node.parent.name if node.kind == "grid" and node.parent_id else node.name


def six_gaps(user: User) -> list[SixGap]:
    """Active isolations with any of the six 六包一 roles empty."""
    isolations = (
        isolations_for(user)
        .filter(status=IsolationStatus.ACTIVE)
        .prefetch_related(
            Prefetch("six", queryset=Responsible.objects.only("isolation_id", "role"))
        )
    )
    gaps = []
    for isolation in isolations.order_by("node__path", "pk"):
        named = {r.role for r in isolation.six.all()}
        missing = [role.label for role in SixRole if role.value not in named]
        if missing:
            gaps.append(SixGap(isolation, missing))
    return gaps


def six_of(isolation: Isolation) -> list[tuple[str, str, Responsible | None]]:
    """The six roles in order, each with its named person or None."""
    named = {r.role: r for r in isolation.six.select_related("user", "resident")}
    return [(role.value, role.label, named.get(role.value)) for role in SixRole]


def services_for(user: User) -> QuerySet[ServiceDelivery]:
    return (
        in_scope(ServiceDelivery.objects.all(), user, "control.view")
        .select_related("kind", "resident", "delivered_by")
        .order_by("-delivered_on", "-pk")
    )


def service_counts_by_village(user: User, since: date | None = None) -> list[dict]:
    """Counts (and quantities) of 五送 services per village node and kind, for the dashboard."""
    qs = services_for(user)
    if since:
        qs = qs.filter(delivered_on__gte=since)
    # A grid's services count for its village.
    village = Case(When(node__kind="grid", then=F("node__parent__name")), default=F("node__name"))
    return list(
        qs.order_by()
        .annotate(village=village)
        .values("village", "kind__name")
        .annotate(times=Count("pk"), quantity=Sum("quantity"))
        .order_by("village", "kind__name")
    )


def service_counts(user: User, since: date | None = None) -> list[dict]:
    """Counts (and quantities) of 五送 services per kind, for the dashboard."""
    qs = services_for(user)
    if since:
        qs = qs.filter(delivered_on__gte=since)
    return list(
        qs.order_by().values("kind__name").annotate(times=Count("pk"), quantity=Sum("quantity"))
    )


def open_alert_count(user: User) -> int:
    return alerts_for(user).count()


def key_person_count(user: User) -> int:
    return key_persons_for(user).filter(status=KeyPersonStatus.ACTIVE).count()


def isolated_count(user: User) -> int:
    return isolations_for(user).filter(status=IsolationStatus.ACTIVE).count()


def six_gap_count(user: User) -> int:
    return len(six_gaps(user))


def overdue_count(user: User) -> int:
    return len(overdue_items(user))


def round_due_count(user: User) -> int:
    """Slots of today's round still to measure (due or overdue)."""
    return sum(
        (item.am.status != "done") + (item.pm.status != "done") for item in round_items(user)
    )


def control_counts(user: User) -> dict[str, int]:
    """The numbers the home cards show: under control, isolated, open alerts."""
    return {
        "key_persons": key_person_count(user),
        "isolated": isolated_count(user),
        "open_alerts": open_alert_count(user),
    }
