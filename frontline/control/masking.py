"""Whom a user sees in full in key-person control: the people on their own round.

A key person's name and isolation address are health data's way in: masked for everyone
who does not do the door-step job. The village's own workers (their roles there grant
control.reading) and the 六包一 of an isolation under way do that job, and a health
worker handling a fever alert or a cadre opening the case must know which door to knock
on. One rule, for every page, Excel sheet and API answer of control (SECURITY 3: the same
fields for the same user and record, whether listed, opened, exported or fetched).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest

from frontline.control.models import Isolation, IsolationStatus, KeyPerson, Responsible
from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import address_mask, name_mask
from frontline.core.roles import roles_with
from frontline.core.scoping import roles_held

_REQUEST_ATTR = "_frontline_own_round"


def own_village_paths(user: User, permission: str = "control.reading") -> list[str]:
    """The paths of the villages the user works in with a permission: the village where
    a role granting it is held, or the village a grid of theirs lies in."""
    paths = [path for role, path in roles_held(user) if role in roles_with(permission)]
    ancestors = {pk for node in Node.objects.filter(path__in=paths) for pk in node.ancestor_ids()}
    return list(
        Node.objects.filter(pk__in=ancestors, kind=NodeKind.VILLAGE).values_list("path", flat=True)
    )


@dataclass(frozen=True)
class OwnRound:
    """The places and people a user measures: the nodes of the villages they work in, and
    the key persons whose isolation under way has them among its 六包一."""

    node_ids: frozenset[int]
    key_person_ids: frozenset[int]

    def covers(self, key_person_id: int, node_id: int) -> bool:
        return key_person_id in self.key_person_ids or node_id in self.node_ids

    def person_name(self, person: KeyPerson) -> str:
        name = person.resident.name
        return name if self.covers(person.pk, person.node_id) else name_mask(name)

    def isolation_name(self, isolation: Isolation) -> str:
        return self.person_name(isolation.key_person)

    def isolation_address(self, isolation: Isolation) -> str:
        address = isolation.address
        # An isolation's node is its key person's (services.isolation_start).
        if self.covers(isolation.key_person_id, isolation.node_id):
            return address
        return address_mask(address)


def own_round(user: User) -> OwnRound:
    """The user's own round, read now: a few short queries (the villages their roles lie
    in, those villages' nodes, their places among the 六包一 of isolations under way)."""
    paths = own_village_paths(user)
    nodes = Node.objects.filter(_any_under(paths)).values_list("pk", flat=True) if paths else []
    among = Responsible.objects.filter(
        user=user, isolation__status=IsolationStatus.ACTIVE
    ).values_list("isolation__key_person_id", flat=True)
    return OwnRound(frozenset(nodes), frozenset(among))


def own_round_for(request: HttpRequest) -> OwnRound:
    """The signed-in user's own round, read once per request (a list's rows share it)."""
    found = getattr(request, _REQUEST_ATTR, None)
    if found is None:
        found = own_round(request.user)
        setattr(request, _REQUEST_ATTR, found)
    return found


def _any_under(paths: list[str]) -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition
