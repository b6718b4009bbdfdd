"""A record written for a day already closed — a phone that synced yesterday's reading
this morning, a screening form filed the next day — must not leave the figures kept for
that day behind. Core owns only the signal, so that an app that writes such records
needs no knowledge of who keeps per-day figures (the command app's rollups listen)."""

from datetime import date

from django.dispatch import Signal
from django.utils import timezone

from frontline.core.models import Node

# Sent with `node` and `day` inside the writer's transaction.
closed_day_written = Signal()


def closed_day_touch(node: Node, day: date) -> bool:
    """Tell whoever keeps per-day figures that `node`'s `day` changed. Nothing happens
    for today, which is always counted live. Returns whether the day was closed."""
    if day >= timezone.localdate():
        return False
    closed_day_written.send(sender=Node, node=node, day=day)
    return True
