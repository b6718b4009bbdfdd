"""Key persons and isolations in 三店村 and 郑园村, with a health worker for each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.control import services
from frontline.control.models import KeyPersonCategory
from frontline.core.roles import Role
from frontline.core.tests.fixtures import make_user
from frontline.people.tests.factories import resident_make


@pytest.fixture
def health_sandian(world):
    user = make_user("health_sandian", (Role.HEALTH_WORKER, world.sandian))
    world.users["health_sandian"] = user
    return user


@pytest.fixture
def health_zhengyuan(world):
    user = make_user("health_zhengyuan", (Role.HEALTH_WORKER, world.zhengyuan))
    world.users["health_zhengyuan"] = user
    return user


@pytest.fixture
def category(db):
    return KeyPersonCategory.objects.get_or_create(name="重点地区来返人员")[0]


def isolate(world, node, name: str, *, days_ago: int = 3, category=None):
    """A resident of `node` registered as a key person and isolated `days_ago` days ago."""
    resident = resident_make(node=node, name=name)
    actor = world.admin
    person = services.key_person_register(
        actor=actor,
        resident=resident,
        # get_or_create: a transactional test's flush empties the seeded categories.
        category=category or KeyPersonCategory.objects.get_or_create(name="密切接触者")[0],
    )
    return services.isolation_start(
        actor=actor,
        key_person=person,
        address=f"{node.name}1组{days_ago}号",
        start_date=timezone.localdate() - timedelta(days=days_ago),
    )


@pytest.fixture
def isolated_sandian(world):
    return isolate(world, world.sandian_grid, "王小明")


@pytest.fixture
def isolated_zhengyuan(world):
    return isolate(world, world.zhengyuan_grid, "郑大力")
