"""The twice-daily round: which slot a moment belongs to and when a slot becomes overdue."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from frontline.control.models import Slot


@dataclass(frozen=True)
class SlotWindow:
    slot: str
    start: time
    end: time


def _parse(hhmm: str) -> time:
    hours, minutes = hhmm.split(":")
    return time(int(hours), int(minutes))


def windows() -> list[SlotWindow]:
    """The morning and afternoon windows from settings (FRONTLINE_ROUND_AM / _PM, "06:00-12:00")."""
    result = []
    for slot, value in ((Slot.AM, settings.ROUND_AM_WINDOW), (Slot.PM, settings.ROUND_PM_WINDOW)):
        start, end = value.split("-")
        result.append(SlotWindow(slot, _parse(start), _parse(end)))
    return result


def slot_window(slot: str) -> SlotWindow:
    """The window of one slot."""
    return next(w for w in windows() if w.slot == slot)


def window_label(window: SlotWindow) -> str:
    """ "06:00–12:00", as the refusals and pages show it."""
    return f"{window.start:%H:%M}–{window.end:%H:%M}"


def in_window(slot: str, moment: datetime) -> bool:
    """Whether a moment (any zone) lies in the slot's window, in local time, ends included."""
    window = slot_window(slot)
    local = timezone.localtime(moment).time().replace(tzinfo=None)
    return window.start <= local <= window.end


def slot_deadline(day: date, slot: str) -> datetime:
    """The local moment after which a slot with no reading is overdue."""
    window = slot_window(slot)
    return timezone.make_aware(datetime.combine(day, window.end))


def slot_status(day: date, slot: str, done: bool, now: datetime | None = None) -> str:
    """done, due or overdue."""
    if done:
        return "done"
    now = now or timezone.localtime()
    return "overdue" if now >= slot_deadline(day, slot) else "due"
