import pytest

from frontline.core.roles import Role
from frontline.core.tests.fixtures import make_user


@pytest.fixture
def volunteer(world):
    """A party-member volunteer of 三店村: stands at its checkpoints, manages nothing."""
    return make_user("volunteer_sandian", (Role.VOLUNTEER, world.sandian))
