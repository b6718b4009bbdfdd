"""Enterprises, checklists, applications and employees for tests, made through the services."""

import itertools
from datetime import timedelta

from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from frontline.core import services as core_services
from frontline.core.models import Node, NodeKind
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.enterprises import selectors, services
from frontline.enterprises.models import Enterprise, Heading, Sector
from frontline.people.tests.factories import resident_make

_serial = itertools.count(1)


def uscc_next() -> str:
    """A fresh valid unified social credit code (9132070 + serial + check character)."""
    body = f"91320707MA{next(_serial):07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def sector_make(name: str = "机械制造", is_key: bool = False) -> Sector:
    # get_or_create: a transactional test's flush empties the seeded sectors.
    return Sector.objects.get_or_create(name=name, defaults={"is_key": is_key})[0]


def enterprise_make(world, grid: Node | None = None, name: str = "", **fields) -> Enterprise:
    """A new enterprise node under a grid (the world's enterprise grid) with its record."""
    grid = grid or world.enterprise_grid
    node = core_services.node_create(
        actor=None,
        kind=NodeKind.ENTERPRISE,
        name=name or f"测试企业{next(_serial)}有限公司",
        parent=grid,
    )
    return services.enterprise_register(
        actor=world.town_leader,
        node=node,
        uscc=fields.pop("uscc", None) or uscc_next(),
        sector=fields.pop("sector", None) or sector_make(),
        planned_headcount=fields.pop("planned_headcount", 50),
        onsite_headcount=fields.pop("onsite_headcount", 30),
        **fields,
    )


def checklist_make(world, node: Node | None = None) -> list:
    """One item per heading (the first without required evidence), at the town."""
    node = node or world.town
    return [
        services.checklist_item_create(
            actor=world.town_leader,
            node=node,
            heading=heading,
            text=f"{label}检查项",
            evidence_required=heading != Heading.CARD,
        )
        for heading, label in Heading.choices
    ]


def application_filled(world, enterprise: Enterprise, actor=None, items=None):
    """An application with every item met and evidenced, still a draft."""
    actor = actor or world.town_leader
    if items is None:
        items = selectors.checklist_for(enterprise) or checklist_make(world)
    app = services.application_start(actor=actor, enterprise=enterprise)
    for item in items:
        services.answer_save(
            actor=actor, application=app, item=item, meets=True, evidence="已落实，见台账"
        )
    return app


def reviewer_make(world):
    """The enterprise grid's grid leader (网格长), who reviews applications item by item."""
    user = world.users.get("grid_enterprise")
    if user is None:
        user = user_make("grid_enterprise", (Role.GRID_WORKER, world.enterprise_grid))
        world.users["grid_enterprise"] = user
    return user


def application_reviewed(world, enterprise: Enterprise, reviewer=None):
    """An application filled, submitted and passed by the grid: it waits for the town."""
    app = application_filled(world, enterprise)
    services.application_submit(actor=world.town_leader, application=app)
    app.refresh_from_db()
    verdicts = {a.item_id: ("ok", "") for a in app.answers.filter(round=app.round)}
    return services.application_review(
        actor=reviewer or reviewer_make(world), application=app, verdicts=verdicts
    )


def employee_make(world, enterprise: Enterprise, node: Node | None = None, name="李四", **fields):
    """A resident of a village put on the enterprise's roster."""
    resident = resident_make(node=node or world.sandian, name=name)
    return services.employee_add(
        actor=world.town_leader, enterprise=enterprise, resident=resident, **fields
    )


def slot_make(world, capacity: int = 1, hours: int = 24):
    """A service-hall slot at the town, `hours` from now."""
    return services.slot_create(
        actor=world.town_leader,
        node=world.town,
        starts_at=timezone.now() + timedelta(hours=hours),
        capacity=capacity,
    )
