"""Primary keys reserved before a roster's bulk insert: as many as asked, never anyone
else's, and a million of them kept as a few ranges."""

import threading
from itertools import chain

import pytest
from django.db import close_old_connections, connection, transaction

from frontline.core.staged_import.bulk import reserve_ids as _reserve_ids
from frontline.people.models import Household


def _ids(runs: list[range]) -> list[int]:
    return list(chain.from_iterable(runs))


def test_the_reserved_ids_are_the_ones_the_rows_get_and_the_next_ones_follow(world):
    with transaction.atomic():
        first = _ids(_reserve_ids(Household._meta.db_table, 3))
        assert len(set(first)) == 3
        Household.objects.bulk_create(
            Household(pk=pk, node=world.sandian, number=str(pk)) for pk in first
        )
        made = Household.objects.create(node=world.sandian, number="ORM")
        after = _ids(_reserve_ids(Household._meta.db_table, 2))
    assert made.pk not in first and not set(after) & {*first, made.pk}
    assert min(after) > max(first)


def test_a_million_ids_are_a_few_ranges_not_a_million_integers(world):
    with transaction.atomic():
        runs = _reserve_ids(Household._meta.db_table, 1_000_000)
    assert sum(len(r) for r in runs) == 1_000_000
    assert len(runs) <= 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_two_imports_reserving_at_once_never_share_an_id():
    barrier = threading.Barrier(2)
    drawn: list[list[int]] = []

    def reserve():
        close_old_connections()
        barrier.wait()
        try:
            with transaction.atomic():
                drawn.append(_ids(_reserve_ids(Household._meta.db_table, 50_000)))
        finally:
            connection.close()  # an open connection would keep the test database alive

    threads = [threading.Thread(target=reserve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = drawn
    assert len(first) == len(second) == 50_000
    assert len(set(first) | set(second)) == 100_000
