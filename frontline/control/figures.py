"""Key-person control's figures for the command dashboard: people under control, isolation,
door-step readings, fevers and missed slots, for a node's subtree over a span of days."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from frontline.control.models import Alert, Isolation, KeyPerson, Reading, Slot
from frontline.control.rounds import slot_deadline
from frontline.core.models import Node
from frontline.core.scoping import path_filter


def _below(node: Node) -> Q:
    return path_filter([node.path], "node__path")


def _midnight(day: date) -> datetime:
    """The local midnight opening `day`. Figures compare moments with it rather than cast
    each row's moment to a local date, which no index serves and SQLite does in Python."""
    return timezone.make_aware(datetime.combine(day, time.min))


def key_persons(node: Node, start: date, end: date) -> int:
    """Key persons under control at some moment of the span (registered by its end, not
    closed before its start)."""
    return (
        KeyPerson.objects.filter(_below(node), created_at__lt=_midnight(end + timedelta(days=1)))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=_midnight(start)))
        .count()
    )


def _isolated_on(node: Node, day: date):
    return Isolation.objects.filter(_below(node), start_date__lte=day).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=_midnight(day + timedelta(days=1)))
    )


def isolated_now(node: Node, start: date, end: date) -> int:
    """People in home isolation on the span's last day."""
    return _isolated_on(node, end).count()


def readings(node: Node, start: date, end: date) -> int:
    """Door-step temperatures taken in the span (体温测量人次)."""
    return Reading.objects.filter(_below(node), local_date__range=(start, end)).count()


def fevers(node: Node, start: date, end: date) -> int:
    """Readings of 37.3 °C and above in the span."""
    return Reading.objects.filter(
        _below(node), local_date__range=(start, end), is_fever=True
    ).count()


def readings_missed(node: Node, start: date, end: date) -> int:
    """Slots of the span whose window passed with no reading (漏测), as the overdue list counts.

    Counted in SQL, two counts per day and slot: isolations in force that day, less the round
    readings they got (one per slot, by constraint), so a town's closed day costs the same at
    ten million readings as at ten thousand."""
    now = timezone.localtime()
    missed = 0
    day = start
    while day <= end:
        due = [slot for slot in (Slot.AM, Slot.PM) if now >= slot_deadline(day, slot)]
        if due:
            in_force = _isolated_on(node, day)
            expected = in_force.count() * len(due)
            taken = Reading.objects.filter(
                isolation__in=in_force.values("pk"), local_date=day, slot__in=due
            ).count()
            missed += expected - taken
        day += timedelta(days=1)
    return missed


def key_person_page(node: Node, start: date, end: date) -> str:
    return reverse("control:key_person_list")


def alert_page(node: Node, start: date, end: date) -> str:
    return reverse("control:alert_list")


def overdue_page(node: Node, start: date, end: date) -> str:
    return reverse("control:overdue_list")


def alerts_open(node: Node, start: date, end: date) -> int:
    """Fever alerts waiting to be handled right now (待处置预警)."""
    return Alert.objects.filter(_below(node), is_open=True).count()
