"""Checkpoints' figures for the command dashboard: manned checkpoints, passers, turned back."""

from datetime import date

from django.urls import reverse

from frontline.checkpoints.models import Checkpoint, Outcome, Passer, ShiftMember
from frontline.checkpoints.selectors import with_manned
from frontline.core.models import Node
from frontline.core.scoping import path_filter


def checkpoints_manned(node: Node, start: date, end: date) -> int:
    """Checkpoints where someone checked in for a shift of the span (在岗卡口)."""
    manned = ShiftMember.objects.filter(
        shift__day__range=(start, end), checked_in_at__isnull=False
    ).values("shift__checkpoint_id")
    return Checkpoint.objects.filter(path_filter([node.path], "node__path"), pk__in=manned).count()


def _passers(node: Node, start: date, end: date):
    return Passer.objects.filter(
        path_filter([node.path], "checkpoint__node__path"), day__range=(start, end)
    )


def passers(node: Node, start: date, end: date) -> int:
    """Passer records of the span (通行登记)."""
    return _passers(node, start, end).count()


def turned_back(node: Node, start: date, end: date) -> int:
    """Passers persuaded to turn back (劝返)."""
    return _passers(node, start, end).filter(outcome=Outcome.TURNED_BACK).count()


def summary_page(node: Node, start: date, end: date) -> str:
    return reverse("checkpoints:summary")


def checkpoints_unmanned(node: Node, start: date, end: date) -> int:
    """Open checkpoints where nobody is checked in right now (无人在岗卡口)."""
    open_here = Checkpoint.objects.filter(path_filter([node.path], "node__path"), is_open=True)
    return with_manned(open_here).filter(manned=False).count()


def unmanned_page(node: Node, start: date, end: date) -> str:
    return reverse("checkpoints:unmanned")
