"""Key persons and isolations in 三店村 and 郑园村; the people are the world's."""

import pytest

from frontline.control.models import KeyPersonCategory
from frontline.control.tests.factories import isolation_make


@pytest.fixture(autouse=True)
def _in_the_morning_round(round_morning):
    """Readings taken 'now' in these tests belong to the morning slot."""


@pytest.fixture
def category(db):
    return KeyPersonCategory.objects.get_or_create(name="重点地区来返人员")[0]


@pytest.fixture
def isolated_sandian(world):
    return isolation_make(world, world.sandian_grid, "王小明")


@pytest.fixture
def isolated_zhengyuan(world):
    return isolation_make(world, world.zhengyuan_grid, "郑大力")
