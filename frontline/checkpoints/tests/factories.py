"""Checkpoints, shifts and passers for tests, made through the services as users make them."""

import itertools
from datetime import date, time

from django.utils import timezone

from frontline.checkpoints import services
from frontline.checkpoints.models import Checkpoint, CheckpointKind, Shift, ShiftMember
from frontline.core.models import Node, User

_names = itertools.count(1)


def checkpoint_make(node: Node, name: str = "", **fields) -> Checkpoint:
    return services.checkpoint_create(
        actor=_admin(),
        node=node,
        name=name or f"卡口{next(_names)}",
        kind=fields.pop("kind", CheckpointKind.VILLAGE_ENTRANCE),
        **fields,
    )


def _admin() -> User:
    # Checkpoints are set up by whoever manages the node; tests use the world's admin.
    return User.objects.get(username="admin")


def shift_make(
    checkpoint: Checkpoint, day: date | None = None, start=time(6), end=time(14)
) -> Shift:
    return services.shift_create(
        actor=None,
        checkpoint=checkpoint,
        day=day or timezone.localdate(),
        start=start,
        end=end,
    )


def shift_member_make(shift: Shift, user: User | None = None, name: str = "") -> ShiftMember:
    return services.shift_member_add(actor=None, shift=shift, user=user, name=name)
