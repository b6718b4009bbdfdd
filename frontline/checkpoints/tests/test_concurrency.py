"""Two phones sending the same entry at once store it once (SECURITY 31, PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from frontline.checkpoints import services
from frontline.checkpoints.models import Passer
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.control.models import Referral
from frontline.core.idempotency import IdempotencyConflict
from frontline.screening.models import ScreeningRecord
from frontline.screening.services import PersonFound, record_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")


def _race(work, count: int = 2) -> list:
    """Run `work` in `count` threads released together, each on its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_two_concurrent_posts_with_one_key_store_one_passer_and_one_referral(world):
    checkpoint = checkpoint_make(world.sandian)
    for round_ in range(ROUNDS):
        key = f"race-{round_}"
        results = _race(
            lambda key=key: services.passer_log(
                actor=world.cadre_sandian,
                checkpoint=checkpoint,
                idempotency_key=key,
                kind="person",
                temperature=Decimal("38.0"),
                outcome="handed_over",
                name="王某",
            )
        )
        (first, first_created), (second, second_created) = results
        assert first.pk == second.pk
        assert sorted([first_created, second_created]) == [False, True]
        assert Passer.objects.filter(idempotency_key=key).count() == 1
    assert Referral.objects.count() == ROUNDS


def test_two_concurrent_screening_submissions_store_one_record(world):
    for round_ in range(ROUNDS):
        key = f"screen-{round_}"
        results = _race(
            lambda key=key: record_create(
                actor=world.cadre_sandian,
                unit=world.sandian,
                day=timezone.localdate(),
                checks={},
                persons=[PersonFound(name="李某", reason="返乡")],
                idempotency_key=key,
            )
        )
        assert results[0][0].pk == results[1][0].pk
    assert ScreeningRecord.objects.count() == ROUNDS
    assert Referral.objects.count() == ROUNDS


def test_one_key_with_two_bodies_at_once_stores_one_and_refuses_the_other(world):
    checkpoint = checkpoint_make(world.sandian)
    for round_ in range(ROUNDS):
        key = f"clash-{round_}"
        temperatures = iter([Decimal("36.5"), Decimal("36.9")])
        lock = threading.Lock()

        def work(key=key):
            with lock:
                temperature = next(temperatures)
            try:
                return services.passer_log(
                    actor=world.cadre_sandian,
                    checkpoint=checkpoint,
                    idempotency_key=key,
                    kind="person",
                    temperature=temperature,
                    outcome="pass",
                )
            except IdempotencyConflict:
                return "409"

        results = _race(work)
        assert sorted(map(str, (r if r == "409" else r[1] for r in results))) == ["409", "True"]
        assert Passer.objects.filter(idempotency_key=key).count() == 1


def test_two_users_with_one_key_at_once_store_two_passers(world):
    checkpoint = checkpoint_make(world.sandian)
    users = iter([world.cadre_sandian, world.volunteer_sandian])
    lock = threading.Lock()

    def work():
        with lock:
            actor = next(users)
        return services.passer_log(
            actor=actor,
            checkpoint=checkpoint,
            idempotency_key="shared",
            kind="person",
            outcome="pass",
        )

    results = _race(work)
    assert all(created for _, created in results)
    assert Passer.objects.filter(idempotency_key="shared").count() == 2
