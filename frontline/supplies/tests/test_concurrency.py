"""Two keepers drawing the last boxes at once: one succeeds, the other is told what is
short and by how much; the balance never goes below zero (PostgreSQL, real threads)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from frontline.supplies import selectors, services
from frontline.supplies.models import Move, Stock
from frontline.supplies.tests.factories import item_make, stock_fill, warehouse_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")


def _race(works) -> list:
    """Run each callable in its own thread and connection, released together; results or
    the exception each raised."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = works[index]()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_keepers_drawing_the_last_boxes_one_wins_the_other_is_told_the_shortfall(world):
    keeper = world.supply_keeper_sandian
    second = world.sandian_all
    warehouse = warehouse_make(keeper, world.sandian)
    masks = item_make(keeper, "口罩")
    for round_ in range(5):
        stock_fill(keeper, warehouse, masks, 3, "盒")  # 150 只: enough for one draw of 3 盒

        def draw(actor, key):
            return services.move_record(
                actor=actor,
                kind="issue",
                warehouse=warehouse,
                item=masks,
                quantity=3,
                unit="盒",
                recipient_node=world.sandian_grid,
                idempotency_key=key,
            )

        results = _race([lambda: draw(keeper, f"a{round_}"), lambda: draw(second, f"b{round_}")])
        won = [r for r in results if isinstance(r, tuple)]
        lost = [r for r in results if isinstance(r, ValidationError)]
        assert len(won) == 1 and len(lost) == 1, results
        assert "口罩库存不足：物资点现有 0只，需要 150只，缺 150只" in lost[0].messages
        assert Stock.objects.get(warehouse=warehouse, item=masks).quantity == 0
    assert Move.objects.filter(kind="issue").count() == 5
    assert selectors.ledger_replay()[(warehouse.pk, masks.pk)] == Decimal(0)


def test_transfers_in_opposite_directions_at_once_do_not_deadlock(world):
    keeper = world.supply_keeper_sandian
    a = warehouse_make(keeper, world.sandian, "甲")
    b = warehouse_make(keeper, world.sandian, "乙")
    masks = item_make(keeper, "口罩")
    stock_fill(keeper, a, masks, 100)
    stock_fill(keeper, b, masks, 100)

    def move(source, target):
        return lambda: services.move_record(
            actor=keeper,
            kind="transfer",
            warehouse=source,
            item=masks,
            quantity=60,
            to_warehouse=target,
        )

    results = _race([move(a, b), move(b, a)] * 3)
    assert not [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    stock = {s.warehouse_id: s.quantity for s in Stock.objects.all()}
    assert sum(stock.values()) == 200 and min(stock.values()) >= 0
    replay = selectors.ledger_replay()
    assert stock == {a.pk: replay[(a.pk, masks.pk)], b.pk: replay[(b.pk, masks.pk)]}
