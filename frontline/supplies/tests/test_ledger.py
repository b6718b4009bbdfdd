"""The ledger never lies: units convert exactly, a draw below zero is refused with the
shortfall, a repeated key stores one move, and the balance always equals the replay."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.core.models import AuditEvent
from frontline.core.tests.fixtures import build_world
from frontline.supplies import selectors, services
from frontline.supplies.models import Move, MoveKind, Stock
from frontline.supplies.tests.factories import item_make, stock_fill, warehouse_make


@pytest.fixture
def store(world):
    keeper = world.supply_keeper_sandian
    return keeper, warehouse_make(keeper, world.sandian), item_make(keeper, "口罩")


def _qty(warehouse, item) -> Decimal:
    return Stock.objects.get(warehouse=warehouse, item=item).quantity


def test_units_convert_to_the_base_unit_exactly(world, store):
    keeper, warehouse, masks = store
    alcohol = item_make(keeper, "酒精")
    stock_fill(keeper, warehouse, masks, 3, "箱")
    stock_fill(keeper, warehouse, masks, "2", "盒")
    stock_fill(keeper, warehouse, alcohol, "22.5", "吨")
    assert _qty(warehouse, masks) == Decimal(6100)
    assert _qty(warehouse, alcohol) == Decimal("22500")
    move = Move.objects.filter(item=alcohol).get()
    assert (move.entered_quantity, move.unit) == (Decimal("22.5"), "吨")


@pytest.mark.parametrize(
    ("quantity", "unit", "field", "message"),
    [
        (0, "只", "quantity", "须大于 0"),
        (-5, "只", "quantity", "须大于 0"),
        ("abc", "只", "quantity", "须为数字"),
        (5, "吨", "unit", "口罩不能以“吨”计量"),
        ("0.0001", "只", "quantity", "0.001"),
    ],
)
def test_bad_quantities_and_units_are_refused_and_nothing_is_written(
    world, store, quantity, unit, field, message
):
    keeper, warehouse, masks = store
    with pytest.raises(ValidationError) as refused:
        stock_fill(keeper, warehouse, masks, quantity, unit)
    assert message in str(refused.value.message_dict[field])
    assert not Move.objects.exists()


def test_an_issue_beyond_stock_names_the_item_and_the_shortfall(world, store):
    keeper, warehouse, masks = store
    stock_fill(keeper, warehouse, masks, 300)
    services.move_record(
        actor=keeper,
        kind=MoveKind.ISSUE,
        warehouse=warehouse,
        item=masks,
        quantity=1,
        unit="盒",
        recipient_node=world.sandian_grid,
    )
    with pytest.raises(ValidationError) as refused:
        services.move_record(
            actor=keeper,
            kind=MoveKind.ISSUE,
            warehouse=warehouse,
            item=masks,
            quantity=10,
            unit="盒",
            recipient_node=world.sandian_grid,
        )
    assert "口罩库存不足：物资点现有 250只，需要 500只，缺 250只" in refused.value.messages
    assert _qty(warehouse, masks) == Decimal(250)
    assert Move.objects.count() == 2


def test_transfer_and_adjustment_move_stock_and_an_adjustment_needs_a_reason(world, store):
    keeper, warehouse, masks = store
    other = warehouse_make(keeper, world.sandian, "三店村二号点")
    stock_fill(keeper, warehouse, masks, 1000)
    services.move_record(
        actor=keeper,
        kind="transfer",
        warehouse=warehouse,
        item=masks,
        quantity=400,
        to_warehouse=other,
    )
    with pytest.raises(ValidationError) as refused:
        services.move_record(
            actor=keeper, kind="adjustment", warehouse=other, item=masks, quantity="-10"
        )
    assert "原因" in str(refused.value.message_dict["reason"])
    services.move_record(
        actor=keeper, kind="adjustment", warehouse=other, item=masks, quantity="-10", reason="盘亏"
    )
    assert (_qty(warehouse, masks), _qty(other, masks)) == (Decimal(600), Decimal(390))


def test_a_repeated_key_stores_one_move_and_another_body_is_a_conflict(world, store):
    keeper, warehouse, masks = store
    first, created = services.move_record(
        actor=keeper,
        kind="receipt",
        warehouse=warehouse,
        item=masks,
        quantity=10,
        source="purchase",
        idempotency_key="k1",
    )
    again, created_again = services.move_record(
        actor=keeper,
        kind="receipt",
        warehouse=warehouse,
        item=masks,
        quantity=10,
        source="purchase",
        idempotency_key="k1",
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    with pytest.raises(services.IdempotencyConflict):
        services.move_record(
            actor=keeper,
            kind="receipt",
            warehouse=warehouse,
            item=masks,
            quantity=11,
            source="purchase",
            idempotency_key="k1",
        )
    # Keys belong to their user: another keeper's k1 is a move of its own.
    _, created_other = services.move_record(
        actor=world.sandian_all,
        kind="receipt",
        warehouse=warehouse,
        item=masks,
        quantity=10,
        source="purchase",
        idempotency_key="k1",
    )
    assert created_other and _qty(warehouse, masks) == Decimal(20)


def _issue(keeper, warehouse, item, quantity, key):
    return services.move_record(
        actor=keeper,
        kind="issue",
        warehouse=warehouse,
        item=item,
        quantity=quantity,
        recipient_node=warehouse.node,
        idempotency_key=key,
    )


@pytest.mark.parametrize("fast", [True, False], ids=["fast-paths", "plain-orm"])
def test_an_issue_is_written_with_its_balance_checked_last_in_one_go(world, store, fast):
    keeper, warehouse, masks = store
    stock_fill(keeper, warehouse, masks, 10)
    with (
        override_settings(FAST_PATHS=fast),
        CaptureQueriesContext(connection) as ran,
    ):
        _issue(keeper, warehouse, masks, 1, "draw-1")
    statements = [q["sql"] for q in ran.captured_queries if "SAVEPOINT" not in q["sql"]]
    if fast and connection.vendor == "postgresql":
        # One statement: the conditional update of the balance, and only if it matched,
        # the move and its audit row — no BEGIN/COMMIT round trips, nothing to look up.
        (sql,) = statements
        assert sql.startswith('WITH guarded AS (UPDATE "supplies_stock"')
        assert 'INSERT INTO "supplies_move"' in sql and 'INSERT INTO "core_auditevent"' in sql
    else:
        # No look-up of the key, no lock taken before the writes: the two inserts, then
        # the balance's conditional update, last — its row locked from there to the commit.
        kinds = [sql.split()[0] + " " + sql.split('"')[1] for sql in statements]
        assert kinds == ["INSERT supplies_move", "INSERT core_auditevent", "UPDATE supplies_stock"]
        # The guard: the balance after the draw must lie between zero and the limit.
        assert " BETWEEN " in statements[2].split(" WHERE ")[1]
    assert _qty(warehouse, masks) == Decimal(9)
    assert Move.objects.filter(idempotency_key="draw-1").count() == 1


@pytest.mark.parametrize("fast", [True, False], ids=["fast-paths", "plain-orm"])
def test_a_refused_issue_writes_nothing_either_way(world, store, fast):
    keeper, warehouse, masks = store
    stock_fill(keeper, warehouse, masks, 2)
    events = AuditEvent.objects.count()
    with override_settings(FAST_PATHS=fast), pytest.raises(ValidationError) as refused:
        _issue(keeper, warehouse, masks, 3, "too-many")
    assert refused.value.messages == ["口罩库存不足：物资点现有 2只，需要 3只，缺 1只"]
    assert not Move.objects.filter(idempotency_key="too-many").exists()
    assert AuditEvent.objects.count() == events
    assert _qty(warehouse, masks) == Decimal(2)


def test_the_one_statement_issue_writes_what_the_plain_orm_writes(world, store):
    """core.fastpaths equivalence: the same moves, audit rows and balances either way."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement issue is PostgreSQL's")
    keeper, warehouse, masks = store
    stock_fill(keeper, warehouse, masks, 10)
    rows = {}
    for fast in (True, False):
        with override_settings(FAST_PATHS=fast):
            move, created = _issue(keeper, warehouse, masks, 4, f"same-{fast}")
            again, repeated = _issue(keeper, warehouse, masks, 4, f"same-{fast}")
            assert (created, again.pk, repeated) == (True, move.pk, False)
        event = AuditEvent.objects.get(action="supplies.move.create", object_id=str(move.pk))
        rows[fast] = (
            _fields(Move.objects.get(pk=move.pk), "id", "created_at", "idempotency_key"),
            _fields(move, "id", "created_at", "idempotency_key"),
            _fields(event, "id", "at", "object_id"),
        )
    assert rows[True] == rows[False]
    # Both drew: 10 − 4 − 4, and the replay agrees.
    assert _qty(warehouse, masks) == Decimal(2)
    assert selectors.ledger_replay([warehouse.pk])[(warehouse.pk, masks.pk)] == Decimal(2)


def _fields(obj, *leave_out: str) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in leave_out
    }


def test_a_repeated_issue_answers_the_stored_move_even_once_the_stock_ran_out(world, store):
    keeper, warehouse, masks = store
    stock_fill(keeper, warehouse, masks, 5)
    first, _ = _issue(keeper, warehouse, masks, 5, "last-5")
    again, created = _issue(keeper, warehouse, masks, 5, "last-5")
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(services.IdempotencyConflict):
        _issue(keeper, warehouse, masks, 4, "last-5")
    with pytest.raises(ValidationError) as short:
        _issue(keeper, warehouse, masks, 1, "one-more")
    assert "缺 1只" in str(short.value)
    assert not Move.objects.filter(idempotency_key="one-more").exists()
    assert _qty(warehouse, masks) == 0
    assert selectors.ledger_replay([warehouse.pk])[(warehouse.pk, masks.pk)] == 0


def test_the_ledger_is_append_only(world, store):
    keeper, warehouse, masks = store
    move = stock_fill(keeper, warehouse, masks, 5)
    with pytest.raises(ValidationError):
        move.save()
    with pytest.raises(ValidationError):
        move.delete()
    with pytest.raises(ValidationError):
        Move.objects.all().update(quantity=1)
    with pytest.raises(ValidationError):
        Move.objects.all().delete()


def test_a_keeper_of_another_village_cannot_move_stock(world, store):
    _, warehouse, masks = store
    with pytest.raises(Exception) as refused:
        stock_fill(world.supply_keeper_zhengyuan, warehouse, masks, 5)
    assert "管辖范围" in str(refused.value)


# ---------------------------------------------------------------- property

MOVES = st.lists(
    st.tuples(
        st.sampled_from(["receipt", "issue", "transfer", "adjustment"]),
        st.integers(0, 2),  # warehouse
        st.integers(0, 1),  # item
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal(5000), places=3),
        st.booleans(),  # an adjustment found less
        st.integers(0, 2),  # transfer destination
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=MOVES, fast=st.booleans())
def test_any_sequence_of_moves_keeps_balance_equal_to_the_replay_and_never_negative(moves, fast):
    from django.db import transaction

    # Both ways of writing a move (core.fastpaths' one statement on PostgreSQL, the ORM's).
    with override_settings(FAST_PATHS=fast), transaction.atomic():
        world = build_world()
        keeper = world.supply_keeper_sandian
        houses = [warehouse_make(keeper, world.sandian, f"点{n}") for n in range(3)]
        things = [item_make(keeper, "口罩"), item_make(keeper, "酒精")]
        accepted = 0
        for kind, w, i, quantity, less, to in moves:
            try:
                services.move_record(
                    actor=keeper,
                    kind=kind,
                    warehouse=houses[w],
                    item=things[i],
                    quantity=f"-{quantity}" if kind == "adjustment" and less else quantity,
                    to_warehouse=houses[to],
                    recipient_node=world.sandian_grid,
                    source="donation",
                    reason="盘点",
                )
                accepted += 1
            except ValidationError:
                pass
        replay = selectors.ledger_replay()
        balances = {(s.warehouse_id, s.item_id): s.quantity for s in Stock.objects.all()}
        for key, quantity in balances.items():
            assert quantity >= 0
            assert replay.get(key, Decimal(0)) == quantity
        assert {k for k, v in replay.items() if v} <= set(balances)
        assert Move.objects.count() == accepted
        transaction.set_rollback(True)


def test_tenths_drawn_one_by_one_empty_the_store_exactly(world, store):
    # 0.3 L in, three draws of 0.1 L: on SQLite's floats the last draw found −2.8e-17 and
    # was refused as short; the balance and the replay must both read exactly 0.
    keeper, warehouse, masks = store
    stock_fill(keeper, warehouse, masks, Decimal("0.3"))
    for n in range(3):
        _issue(keeper, warehouse, masks, Decimal("0.1"), f"tenth-{n}")
    assert _qty(warehouse, masks) == Decimal(0)
    assert selectors.ledger_replay([warehouse.pk])[(warehouse.pk, masks.pk)] == Decimal(0)
    for n in range(109):
        stock_fill(keeper, warehouse, masks, Decimal("0.001"))
    assert selectors.ledger_replay([warehouse.pk])[(warehouse.pk, masks.pk)] == Decimal("0.109")
    _issue(keeper, warehouse, masks, Decimal("0.109"), "all-of-it")
    assert _qty(warehouse, masks) == Decimal(0)
