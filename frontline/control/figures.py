"""Key-person control's figures for the command dashboard: people under control, isolation,
door-step readings, fevers and missed slots, for a node's subtree over a span of days. Each
counts the rows its list page shows for the same node and span (the selectors' row sets)."""

from datetime import date

from frontline.control import selectors
from frontline.control.missed import MissedSlots, isolated_on
from frontline.control.models import Alert, Isolation, KeyPerson, Reading
from frontline.core.lists import list_url, node_url
from frontline.core.models import Node


def key_persons(node: Node, start: date, end: date) -> int:
    """Key persons under control at some moment of the span (registered by its end, not
    closed before its start)."""
    qs = selectors.under(KeyPerson.objects.all(), node)
    return selectors.controlled_in_span(qs, start, end).count()


def isolated_now(node: Node, start: date, end: date) -> int:
    """People in home isolation on the span's last day (one isolation in force a person)."""
    return isolated_on(selectors.under(Isolation.objects.all(), node), end).count()


def readings(node: Node, start: date, end: date) -> int:
    """Door-step temperatures taken in the span (体温测量人次)."""
    return selectors.readings_in_span(
        selectors.under(Reading.objects.all(), node), start, end
    ).count()


def fevers(node: Node, start: date, end: date) -> int:
    """Readings of 37.3 °C and above in the span."""
    qs = selectors.under(Reading.objects.all(), node)
    return selectors.readings_in_span(qs, start, end, fevers_only=True).count()


def readings_missed(node: Node, start: date, end: date) -> int:
    """Slots of the span whose window passed with no reading (漏测), as the overdue list
    pages through them: two counts per day and slot in SQL."""
    return MissedSlots(selectors.under(Isolation.objects.all(), node), start, end).count()


def key_person_page(node: Node, start: date, end: date) -> str:
    return list_url("control:key_person_list", node, start, end, set="controlled")


def isolated_page(node: Node, start: date, end: date) -> str:
    return list_url("control:key_person_list", node, start, end, set="isolated")


def reading_page(node: Node, start: date, end: date) -> str:
    return list_url("control:reading_list", node, start, end)


def fever_page(node: Node, start: date, end: date) -> str:
    return list_url("control:reading_list", node, start, end, fever=1)


def overdue_page(node: Node, start: date, end: date) -> str:
    return list_url("control:overdue_list", node, start, end)


def alert_page(node: Node, start: date, end: date) -> str:
    return node_url("control:alert_list", node)


def alerts_open(node: Node, start: date, end: date) -> int:
    """Fever alerts waiting to be handled right now (待处置预警)."""
    return selectors.under(Alert.objects.all(), node).filter(is_open=True).count()
