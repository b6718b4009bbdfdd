"""Two managers publishing one period's 红黑榜 at the same moment: one list is frozen, the
other is refused (PostgreSQL, real threads and transactions)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from frontline.core.models import AuditEvent
from frontline.supervision import ranking, services
from frontline.supervision.models import Ranking

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")


def _race(works: list) -> list:
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
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("handle_first", [False, True])
def test_two_publishers_at_once_freeze_one_list(world, handle_first):
    publishers = [world.town_leader, world.inspector]
    for round_ in range(ROUNDS):
        day = timezone.localdate() - timedelta(days=7 * (round_ + 1))
        period = ranking.period_of("week", day)
        if handle_first:
            services.ranking_handle(node=world.town, period_kind="week", day=period.start)
        results = _race(
            [
                lambda who=who: services.ranking_publish(
                    actor=who, node=world.town, period_kind="week", start=period.start
                )
                for who in publishers
            ]
        )
        won = [r for r in results if isinstance(r, Ranking)]
        lost = [r for r in results if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert "不能修改" in lost[0].messages[0]
        stored = Ranking.objects.get(node=world.town, start=period.start)
        assert stored.published_by == won[0].published_by
    assert AuditEvent.objects.filter(action="supervision.ranking.publish").count() == ROUNDS
