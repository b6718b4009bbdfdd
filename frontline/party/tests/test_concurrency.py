"""Two phones at once (PostgreSQL, real transactions): one pledge per member per call, one
current organisation per resident — the loser is told in Chinese and nothing half-written."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from frontline.party import services
from frontline.party.models import Membership, Pledge
from frontline.party.tests.factories import call_make, member_make, org_make
from frontline.people.tests.factories import resident_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")


def _race(works: list) -> list:
    """Run each work in its own thread, released together, each on its own connection;
    a ValidationError is returned as the result."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = works[index]()
        except ValidationError as refused:
            results[index] = refused
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_pledges_of_one_member_at_once_store_one(world):
    org = org_make(world.sandian, "三店村党支部")
    call = call_make(org, world.cadre_sandian)
    previous = None
    for round_ in range(ROUNDS):
        member = member_make(org, f"党员{round_}")
        # The member on a phone (their linked login) and the secretary at the desk.
        if previous is not None:
            services.membership_account_set(
                actor=world.cadre_sandian, membership=previous, account=None
            )
        services.membership_account_set(
            actor=world.cadre_sandian, membership=member, account=world.volunteer_sandian
        )
        previous = member

        def pledge(actor, key, member=member):
            return lambda: services.pledge_submit(
                actor=actor, call=call, membership=member, idempotency_key=key
            )

        results = _race(
            [
                pledge(world.volunteer_sandian, f"phone-{round_}"),
                pledge(world.cadre_sandian, f"desk-{round_}"),
            ]
        )
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, results
        assert refused[0].message_dict["member"] == [
            "这名党员已经响应过这份倡议，一份倡议只能交一份请战书"
        ]
        assert Pledge.objects.filter(call=call, membership=member).count() == 1


def test_one_resident_added_to_two_organisations_at_once_joins_one(world):
    first, second = org_make(world.sandian, "第一支部"), org_make(world.sandian, "第二支部")
    for round_ in range(ROUNDS):
        resident = resident_make(world.sandian, name=f"新党员{round_}")

        def add(org, resident=resident):
            return lambda: services.member_add(
                actor=world.cadre_sandian, org=org, resident=resident, status="full"
            )

        results = _race([add(first), add(second)])
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, results
        assert "组织关系转接" in refused[0].message_dict["resident"][0]
        assert Membership.objects.filter(resident=resident).count() == 1
