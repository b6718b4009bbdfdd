"""Teams, members and activities for tests, made through the services."""

import importlib
import itertools
from decimal import Decimal

from django.apps import apps

from frontline.core.models import Node, User
from frontline.teams import services
from frontline.teams.models import Activity, Team, TeamKind, TeamMember

_n = itertools.count(1)


def team_make(node: Node, kind: str = "patrol", name: str = "") -> Team:
    # The kinds come from a migration; a transactional test's flush empties the table.
    importlib.import_module("frontline.teams.migrations.0002_seed_kinds").seed(apps, None)
    return services.team_create(
        actor=None,
        node=node,
        kind=TeamKind.objects.get(code=kind),
        name=name or f"{node.name}队伍{next(_n)}",
    )


def member_make(team: Team, resident=None, user: User | None = None, **fields) -> TeamMember:
    if resident is None and user is None:
        from frontline.people.tests.factories import resident_make

        resident = resident_make(team.node, name=f"队员{next(_n)}")
    return services.member_add(actor=None, team=team, resident=resident, user=user, **fields)


def activity_make(team: Team, actor: User, members: list[TeamMember], **fields) -> Activity:
    activity, _ = services.activity_log(
        actor=actor,
        team=team,
        kind=fields.pop("kind", "patrol"),
        hours=fields.pop("hours", Decimal("2.0")),
        participants=members,
        idempotency_key=fields.pop("idempotency_key", f"act-{next(_n)}"),
        **fields,
    )
    return activity
