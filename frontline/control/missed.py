"""Missed round slots (漏测): the slots of a span whose window passed with no reading. The
漏测 figure counts them and the overdue list pages through them, from this one reckoning."""

from datetime import date, timedelta
from functools import cached_property

from django.db.models import Q, QuerySet
from django.utils import timezone

from frontline.control.models import Isolation, Reading, Slot
from frontline.control.rounds import slot_deadline
from frontline.control.selectors import OverdueItem, isolations_for, local_midnight
from frontline.core.lists import under
from frontline.core.models import Node, User


def isolated_on(isolations: QuerySet[Isolation], day: date) -> QuerySet[Isolation]:
    """Isolations in force on `day`: begun by then and not ended before it was over."""
    return isolations.filter(start_date__lte=day).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=local_midnight(day + timedelta(days=1)))
    )


class MissedSlots:
    """The missed slots of `isolations` over start…end, newest day first (afternoon before
    morning), as OverdueItem rows: `count()` is two counts per day in SQL, so a town's closed
    day costs the same at ten million readings as at ten thousand; a slice fetches only the
    days a page shows. Django's Paginator takes it as it takes a queryset."""

    def __init__(self, isolations: QuerySet[Isolation], start: date, end: date):
        self.isolations = isolations
        self.start, self.end = start, end
        self.now = timezone.localtime()

    def _due(self, day: date) -> list[str]:
        return [slot for slot in (Slot.PM, Slot.AM) if self.now >= slot_deadline(day, slot)]

    def _days(self) -> list[date]:
        return [self.end - timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def count_of(self, day: date) -> int:
        """Slots of one day missed: isolations in force less the round readings they got (one
        per slot, by constraint)."""
        due = self._due(day)
        if not due:
            return 0
        in_force = isolated_on(self.isolations, day)
        taken = Reading.objects.filter(
            isolation__in=in_force.values("pk"), local_date=day, slot__in=due
        ).count()
        return in_force.count() * len(due) - taken

    @cached_property
    def _counts(self) -> dict[date, int]:
        return {day: self.count_of(day) for day in self._days()}

    def count(self) -> int:
        return sum(self._counts.values())

    def __len__(self) -> int:
        return self.count()

    def items_of(self, day: date) -> list[OverdueItem]:
        due = self._due(day)
        if not due:
            return []
        in_force = list(
            isolated_on(self.isolations, day)
            .select_related("key_person__resident", "node")
            .order_by("node__path", "pk")
        )
        taken = set(
            Reading.objects.filter(
                isolation_id__in=[i.pk for i in in_force], local_date=day, slot__in=due
            ).values_list("isolation_id", "slot")
        )
        return [
            OverdueItem(isolation, day, slot)
            for slot in due
            for isolation in in_force
            if (isolation.pk, slot) not in taken
        ]

    def __getitem__(self, index: slice) -> list[OverdueItem]:
        if not isinstance(index, slice):
            raise TypeError("MissedSlots is read a page (a slice) at a time")
        low = index.start or 0
        high = self.count() if index.stop is None else index.stop
        rows: list[OverdueItem] = []
        seen = 0
        for day, missed in self._counts.items():
            if seen + missed > low and seen < high and missed:
                items = self.items_of(day)
                rows.extend(items[max(low - seen, 0) : high - seen])
            seen += missed
            if seen >= high:
                break
        return rows


def missed_under(user: User, node: Node | None, start: date, end: date) -> MissedSlots:
    """The 漏测 list's slots: the user's isolations under `node` (all of them without one)
    over start…end. The list pages through them and its Excel sheet lists them."""
    return MissedSlots(under(isolations_for(user), node), start, end)
