"""Two volunteers claiming one errand at the same moment: one wins, the other is told who
has it (PostgreSQL, real threads and transactions) — with core's fast paths on (the claim
and its audit row one statement) and off (an UPDATE and an INSERT in one transaction)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from frontline.core.models import AuditEvent
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.errands import services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import errand_make, household_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")


@pytest.fixture(params=[True, False], ids=["fast", "plain"])
def fast(request, settings):
    settings.FAST_PATHS = request.param
    return request.param


def _race(works: list) -> list:
    """Run each of `works` in its own thread, released together, each on its own connection;
    returns what each returned or raised."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = works[index]()
        except Exception as error:  # the loser's refusal is a result here
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _as_read(errand: Errand) -> list[Errand]:
    """The errand as each of two phones read it before claiming (still waiting): each
    claim then reaches the database, where the row lock decides."""
    return [Errand.objects.select_related("node").get(pk=errand.pk) for _ in range(2)]


def test_two_volunteers_claim_at_once_one_wins_the_other_is_told_who(world, fast):
    second = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    household = household_make(world.sandian)
    volunteers = [world.volunteer_sandian, second]
    for _ in range(ROUNDS):
        errand = errand_make(household)
        results = _race(
            [
                lambda who=who, seen=seen: services.errand_claim(actor=who, errand=seen)
                for who, seen in zip(volunteers, _as_read(errand), strict=True)
            ]
        )
        won = [r for r in results if isinstance(r, Errand)]
        lost = [r for r in results if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(lost) == 1, results
        winner = won[0].claimed_by
        assert f"已被 {winner} 认领" in lost[0].messages[0]
        stored = Errand.objects.get(pk=errand.pk)
        assert (stored.status, stored.claimed_by) == (Status.CLAIMED, winner)
        claims = AuditEvent.objects.filter(action="errands.errand.claim", object_id=errand.pk)
        assert claims.count() == 1


def test_two_phones_sending_one_key_at_once_store_one_errand(world):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    household = household_make(world.sandian)
    deliver_by = timezone.now() + timedelta(hours=3)
    for round_ in range(ROUNDS):
        results = _race(
            [
                lambda round_=round_: services.errand_create(
                    actor=world.cadre_sandian,
                    household=household,
                    lines=[("vegetables", "白菜")],
                    budget=Decimal("30"),
                    deliver_by=deliver_by,
                    idempotency_key=f"race-{round_}",
                )
            ]
            * 2
        )
        assert all(isinstance(r, tuple) for r in results), results
        assert results[0][0].pk == results[1][0].pk
        assert sorted(created for _, created in results) == [False, True]
    assert Errand.objects.count() == ROUNDS


def test_a_vehicle_and_a_volunteer_claim_at_once_one_wins(world, fast):
    from frontline.teams.tests.factories import member_make, team_make

    vehicle = team_make(world.sandian, "purchase_vehicle", "三店村党员代购车1号")
    member_make(vehicle, user=world.volunteer_sandian, is_leader=True)
    second = user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian))
    household = household_make(world.sandian)
    for _ in range(ROUNDS):
        errand = errand_make(household)
        mine, theirs = _as_read(errand)
        results = _race(
            [
                lambda mine=mine: services.errand_claim(
                    actor=world.volunteer_sandian, errand=mine, team=vehicle
                ),
                lambda theirs=theirs: services.errand_claim(actor=second, errand=theirs),
            ]
        )
        won = [r for r in results if isinstance(r, Errand)]
        lost = [r for r in results if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(lost) == 1, results
        stored = Errand.objects.get(pk=errand.pk)
        assert stored.status == Status.CLAIMED
        if stored.claimed_team_id:
            assert stored.claimed_by == world.volunteer_sandian
            assert f"已被 {stored.claimed_by}（三店村党员代购车1号）认领" in lost[0].messages[0]
        else:
            assert stored.claimed_by == second
            assert f"已被 {second} 认领" in lost[0].messages[0]
        claims = AuditEvent.objects.filter(action="errands.errand.claim", object_id=errand.pk)
        assert claims.count() == 1
