"""core/fastpaths.py answers exactly as the plain ORM does, on SQLite and PostgreSQL, and the
hot writes work with it switched off (FRONTLINE_FAST_PATHS=false)."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from frontline.checkpoints.models import Checkpoint, Passer
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.control import public as control_public
from frontline.control import services as control
from frontline.control.models import Isolation, KeyPersonCategory, Reading
from frontline.core import fastpaths
from frontline.core import services as core_services
from frontline.core.models import AuditEvent
from frontline.people.tests.factories import resident_make

# Round readings recorded "now" must lie in their slot's window: the clock reads 10:00.
pytestmark = pytest.mark.usefixtures("round_morning")


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def isolation(world) -> Isolation:
    resident = resident_make(node=world.sandian_grid, name="王小明")
    person = control.key_person_register(
        actor=world.admin,
        resident=resident,
        category=KeyPersonCategory.objects.get_or_create(name="密切接触者")[0],
    )
    return control.isolation_start(
        actor=world.admin,
        key_person=person,
        address="三店村1组3号",
        start_date=timezone.localdate(),
    )


def _morning() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(8, 30)))


@pytest.mark.parametrize("model_name", ["reading", "isolation", "checkpoint"])
def test_a_row_fetched_fast_equals_the_orms(world, isolation, model_name):
    reading, _ = control.reading_record(
        actor=world.sandian_all, isolation=isolation, value="38.1", slot="am", taken_at=_morning()
    )
    checkpoint = checkpoint_make(world.sandian, party_branch="三店村党支部")
    obj = {"reading": reading, "isolation": isolation, "checkpoint": checkpoint}[model_name]
    model = type(obj)
    fast = fastpaths.row_with_node(model, "node", "default", obj.pk)
    plain = model.objects.select_related("node").get(pk=obj.pk)
    assert _fields(fast) == _fields(plain)
    assert _fields(fast.node) == _fields(plain.node)
    assert fastpaths.row_with_node(model, "node", "default", obj.pk + 10_000) is None


def test_the_fast_insert_writes_what_save_and_audit_write(world, settings):
    """One statement on PostgreSQL, two compiled INSERTs on SQLite: the same two rows."""
    checkpoint = checkpoint_make(world.sandian)
    rows = {}
    for fast in (True, False):
        settings.FAST_PATHS = fast
        passer, created = _log(world, checkpoint, key=f"key-{fast}")
        assert created
        event = AuditEvent.objects.get(action="checkpoints.passer.create", object_id=str(passer.pk))
        rows[fast] = (
            {
                k: v
                for k, v in _fields(Passer.objects.get(pk=passer.pk)).items()
                if k not in ("id", "idempotency_key", "logged_at")
            },
            {k: v for k, v in _fields(event).items() if k not in ("id", "at", "object_id")},
        )
    assert rows[True] == rows[False]


def _log(world, checkpoint: Checkpoint, key: str):
    from frontline.checkpoints import services as checkpoints

    return checkpoints.passer_log(
        actor=world.sandian_all,
        checkpoint=checkpoint,
        kind="person",
        people=1,
        direction="in",
        origin="青口镇",
        temperature=None,
        outcome="pass",
        idempotency_key=key,
    )


@pytest.mark.parametrize("fast", [True, False])
def test_the_hot_api_writes_work_either_way(world, isolation, client, settings, fast):
    settings.FAST_PATHS = fast
    token = core_services.api_token_issue(user=world.sandian_all)
    body = {
        "isolation_id": isolation.pk,
        "value": "36.6",
        "slot": "am",
        "taken_at": _morning().isoformat(),
        "idempotency_key": f"k-{fast}",
    }
    headers = {"Authorization": f"Bearer {token}"}
    url = reverse("api:control_reading_create")
    first = client.post(url, body, content_type="application/json", headers=headers)
    again = client.post(url, body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Reading.objects.count() == 1
    assert AuditEvent.objects.filter(action="control.reading.create").count() == 1
    other = {**body, "isolation_id": isolation.pk + 999}
    assert (
        client.post(url, other, content_type="application/json", headers=headers).status_code == 404
    )


def _readings_of(isolation_id: int, day: date):
    return Reading.objects.select_related("node").filter(isolation_id=isolation_id, local_date=day)


def test_a_compiled_query_gives_the_rows_the_orm_gives(world, isolation):
    reading, _ = control.reading_record(
        actor=world.sandian_all, isolation=isolation, value="38.1", slot="am", taken_at=_morning()
    )
    stand_ins = (-918_273_645, date(1, 2, 3))
    today, resident = timezone.localdate(), isolation.key_person.resident_id
    for values in [(isolation.pk, today), (isolation.pk, date(2020, 1, 1)), (0, today)]:
        fast = fastpaths.compiled_rows(_readings_of, stand_ins, values, "default")
        plain = list(_readings_of(*values))
        assert [_fields(r) for r in fast] == [_fields(r) for r in plain]
        assert [_fields(r.node) for r in fast] == [_fields(r.node) for r in plain]
    assert [
        r.pk
        for r in fastpaths.compiled_rows(_readings_of, stand_ins, (isolation.pk, today), "default")
    ] == [reading.pk]
    # Values, from a UNION ALL: control's health flags of one resident (a gate scan's).
    flags = control_public._flag_rows_of_one
    for values in [(resident, today), (resident, date(2020, 1, 1)), (resident + 999, today)]:
        fast = fastpaths.compiled_rows(flags.build, flags.stand_ins, values, "default")
        assert sorted(fast) == sorted(control_public._flag_rows([values[0]], values[1]))
    assert (
        len(fastpaths.compiled_rows(flags.build, flags.stand_ins, (resident, today), "default"))
        == 2
    )


def test_a_stand_in_that_does_not_reach_the_sql_is_refused(db):
    def folded(isolation_id: int, day: date):
        return Reading.objects.filter(isolation_id=isolation_id)

    with pytest.raises(ImproperlyConfigured):
        fastpaths.compiled_rows(folded, (-918_273_645, date(1, 2, 3)), (1, date.today()), "default")


def test_a_compiled_update_is_the_orms_update_with_the_calls_values(world):
    """A stock balance's guard: the statement compiled once with stand-ins, run with real
    values, changes exactly the rows (and by what) that QuerySet.update() changes."""
    from decimal import Decimal

    from django.db.models.sql import UpdateQuery

    from frontline.supplies.models import Item, Stock, Warehouse
    from frontline.supplies.services.ledger import _balance_guard

    item = Item.objects.create(name="口罩", node=world.sandian, base_unit="只")
    warehouse = Warehouse.objects.create(name="三店村物资点", node=world.sandian)
    Stock.objects.create(warehouse=warehouse, item=item, quantity=Decimal(5))
    for delta in [Decimal("-2.5"), Decimal(-3), Decimal(7), Decimal("999999999")]:
        queryset, values = _balance_guard.build(warehouse.pk, item.pk, delta)
        update = queryset.query.chain(UpdateQuery)
        update.add_update_values(values)
        plain_sql, plain_params = update.get_compiler("default").as_sql()
        assert _balance_guard(warehouse.pk, item.pk, delta).sql() == (
            plain_sql,
            list(plain_params),
        )
    guard = _balance_guard(warehouse.pk, item.pk, Decimal(-3))
    with override_settings(FAST_PATHS=True):
        assert guard.run() == 1  # 5 - 3
        assert guard.run() == 0  # 2 cannot give 3
    with override_settings(FAST_PATHS=False):
        assert guard.run() == 0
        assert _balance_guard(warehouse.pk, item.pk, Decimal(1)).run() == 1
        assert guard.run() == 1  # 3 - 3
    assert Stock.objects.get(warehouse=warehouse, item=item).quantity == 0
    assert _balance_guard(warehouse.pk, item.pk + 999, Decimal(1)).run() == 0


@pytest.fixture
def claimed_errand(world):
    """An errand claimed for a 党员代购车 (claimer and vehicle set), and one still waiting."""
    from frontline.errands import services as errands
    from frontline.errands.tests.factories import errand_make, household_make
    from frontline.teams.tests.factories import member_make, team_make

    vehicle = team_make(world.sandian, "purchase_vehicle", "三店村党员代购车1号")
    member_make(vehicle, user=world.volunteer_sandian, is_leader=True)
    household = household_make(world.sandian)
    claimed = errand_make(household)
    errands.errand_claim(actor=world.volunteer_sandian, errand=claimed, team=vehicle)
    waiting = errand_make(household, text="土豆三个")
    waiting.lines.create(category="medicine", text="感冒灵一盒")
    return claimed, waiting


def test_a_row_fetched_fast_with_its_other_keys_equals_the_orms(claimed_errand):
    from frontline.errands.models import Errand

    also = ("claimed_by", "claimed_team")
    for errand in claimed_errand:
        fast = fastpaths.row_with_node(Errand, "node", "default", errand.pk, also)
        plain = Errand.objects.select_related("node", *also).get(pk=errand.pk)
        assert _fields(fast) == _fields(plain)
        for name in ("node", *also):
            related = getattr(plain, name)
            assert (related and _fields(getattr(fast, name))) == (related and _fields(related))


def test_children_loaded_fast_equal_the_prefetched_ones(claimed_errand, django_assert_num_queries):
    from django.db.models import prefetch_related_objects

    from frontline.errands.models import Errand

    for errand in claimed_errand:
        fast, plain = Errand.objects.get(pk=errand.pk), Errand.objects.get(pk=errand.pk)
        prefetch_related_objects([plain], "lines")
        with django_assert_num_queries(1):
            fastpaths.children_prefetched(fast, "lines", "default")
        with django_assert_num_queries(0):
            lines = list(fast.lines.all())
            assert all(line.errand is fast for line in lines)
        assert [_fields(line) for line in lines] == [_fields(line) for line in plain.lines.all()]
    assert [line.text for line in lines] == ["土豆三个", "感冒灵一盒"]


@pytest.mark.postgres
def test_the_one_statement_update_writes_what_update_and_audit_write(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement update is PostgreSQL's")
    from frontline.core.audit import audited_update
    from frontline.errands.models import Errand, Status
    from frontline.errands.tests.factories import errand_make, household_make

    household = household_make(world.sandian)
    now = timezone.now()
    rows = {}
    for fast in (True, False):
        settings.FAST_PATHS = fast
        errand = errand_make(household)

        def claim(errand=errand) -> int:
            return audited_update(
                Errand,
                match={"pk": errand.pk, "status": Status.SUBMITTED},
                values={
                    "status": Status.CLAIMED,
                    "claimed_by": world.volunteer_sandian,
                    "claimed_team": None,
                    "claimed_at": now,
                },
                actor=world.volunteer_sandian,
                action="errands.errand.claim",
                obj=errand,
                fields=["claimed_by"],
            )

        before = AuditEvent.objects.count()
        assert claim() == 1
        assert claim() == 0  # no longer waiting: nothing written, no second audit row
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.get(action="errands.errand.claim", object_id=str(errand.pk))
        rows[fast] = (
            {
                k: v
                for k, v in _fields(Errand.objects.get(pk=errand.pk)).items()
                if k not in ("id", "created_at", "deliver_by", "address_cipher", "request_digest")
            },
            {k: v for k, v in _fields(event).items() if k not in ("id", "at", "object_id")},
        )
    assert rows[True] == rows[False]
    assert rows[True][0]["status"] == Status.CLAIMED


@pytest.mark.parametrize("fast", [True, False])
def test_a_node_checked_against_the_cached_scope_answers_as_the_scoped_query(world, settings, fast):
    settings.FAST_PATHS = fast
    from django.http import Http404

    from frontline.core.models import Node
    from frontline.core.scoping import get_node_in_scope_or_404, get_visible_or_404, nodes_visible

    inactive = world.zhengyuan_grid
    Node.objects.filter(pk=inactive.pk).update(is_active=False)

    def answer(getter):
        try:
            return _fields(getter())
        except Http404:
            return "404"

    ids = [*Node.objects.values_list("pk", flat=True), 10_000_000, -1]
    for user in (world.sandian_all, world.town_leader, world.admin, world.outsider):
        for pk in ids:
            fast_answer = answer(lambda: get_node_in_scope_or_404(user, "nodes.view", pk))
            plain = answer(lambda: get_visible_or_404(nodes_visible(user, "nodes.view"), pk=pk))
            assert fast_answer == plain, (user.username, pk)
    # Not a vacuous comparison: someone is refused, someone answered.
    assert (
        answer(lambda: get_node_in_scope_or_404(world.outsider, "nodes.view", world.sandian.pk))
        == "404"
    )
    assert (
        answer(lambda: get_node_in_scope_or_404(world.admin, "nodes.view", world.sandian.pk))[
            "name"
        ]
        == "三店村"
    )
