"""Two phones sending the same reading at the same moment store one (PostgreSQL, real
concurrent transactions)."""

import threading

import pytest
from django.db import close_old_connections, connection

from frontline.control import services
from frontline.control.models import Reading
from frontline.control.tests.factories import isolation_make
from frontline.core.tests.fixtures import build_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
]


def _race(count: int, send) -> list:
    barrier = threading.Barrier(count)
    results: list = []

    def run():
        close_old_connections()
        barrier.wait()
        try:
            results.append(send())
        except Exception as error:  # the loser's error is part of the result
            results.append(error)
        finally:
            # Closed, not left to CONN_MAX_AGE: an open connection keeps the test
            # database from being dropped at the end of the run.
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_key_from_two_connections_stores_one_reading():
    world = build_world()
    health = world.health_sandian
    isolation = isolation_make(world, world.sandian, "并发人")
    results = _race(
        2,
        lambda: services.reading_record(
            actor=health, isolation=isolation, value="36.6", slot="am", idempotency_key="race-1"
        ),
    )
    assert Reading.objects.count() == 1
    assert {r[0].pk for r in results if isinstance(r, tuple)} == {Reading.objects.get().pk}


def test_two_different_readings_for_one_slot_store_one():
    world = build_world()
    health = world.health_sandian
    isolation = isolation_make(world, world.sandian, "并发人")
    keys = iter(["a", "b"])
    lock = threading.Lock()

    def send():
        with lock:
            key = next(keys)
        return services.reading_record(
            actor=health, isolation=isolation, value="36.6", slot="am", idempotency_key=key
        )

    results = _race(2, send)
    assert Reading.objects.count() == 1
    assert sum(isinstance(r, tuple) for r in results) == 1
