"""Checkpoints' figures for the command dashboard: manned checkpoints, passers, turned back.
Each counts the rows its list page shows for the same node and span (the selectors' row sets)."""

from datetime import date

from frontline.checkpoints import selectors
from frontline.checkpoints.models import Checkpoint, Outcome, Passer
from frontline.core.lists import list_url, node_url
from frontline.core.models import Node


def _checkpoints(node: Node):
    return selectors.under(Checkpoint.objects.all(), node)


def _passers(node: Node, start: date, end: date, outcome: str = ""):
    qs = selectors.under(Passer.objects.all(), node, "checkpoint__node__path")
    return selectors.passers_in_span(qs, start, end, outcome)


def checkpoints_manned(node: Node, start: date, end: date) -> int:
    """Checkpoints where someone checked in for a shift of the span (在岗卡口)."""
    return selectors.manned_in_span(_checkpoints(node), start, end).count()


def passers(node: Node, start: date, end: date) -> int:
    """Passer records of the span (通行登记)."""
    return _passers(node, start, end).count()


def turned_back(node: Node, start: date, end: date) -> int:
    """Passers persuaded to turn back (劝返)."""
    return _passers(node, start, end, Outcome.TURNED_BACK).count()


def manned_page(node: Node, start: date, end: date) -> str:
    return list_url("checkpoints:manned", node, start, end)


def passer_page(node: Node, start: date, end: date) -> str:
    return list_url("checkpoints:passers_all", node, start, end)


def turned_back_page(node: Node, start: date, end: date) -> str:
    return list_url("checkpoints:passers_all", node, start, end, outcome=Outcome.TURNED_BACK)


def checkpoints_unmanned(node: Node, start: date, end: date) -> int:
    """Open checkpoints where nobody is checked in right now (无人在岗卡口)."""
    return selectors.unmanned_now(_checkpoints(node)).count()


def unmanned_page(node: Node, start: date, end: date) -> str:
    return node_url("checkpoints:unmanned", node)
