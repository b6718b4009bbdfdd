"""Hand-overs made while screening held them survive their move to key-person control,
and moving back returns them as they were."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from frontline.checkpoints import services as checkpoints
from frontline.checkpoints.models import CheckpointKind
from frontline.control import public as control
from frontline.control import services
from frontline.control.models import KeyPersonCategory, Referral
from frontline.people.tests.factories import resident_make
from frontline.screening.services import record_create

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("control", "0004_reading_indexes_only_used"),
    ("screening", "0002_idempotency_key_unique_without_like_index"),
]
AFTER = [
    ("control", "0005_referral_from_screening"),
    ("screening", "0003_referral_moved_to_control"),
]
OLD_COLUMNS = ("pk", "node_id", "screening_record_id", "passer_id", "name", "status")


def _migrate(targets):
    """Migrate the test database to `targets`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Leave the database at the latest migrations, whatever the test stopped at: the
    migrations after AFTER (a lead list's move into staged imports …) are undone by BEFORE."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _sources(world):
    """A screening record, a checkpoint passer and a key person, made by today's code."""
    record, _ = record_create(
        actor=world.cadre_sandian, unit=world.sandian, day=timezone.localdate(), checks={}
    )
    checkpoint = checkpoints.checkpoint_create(
        actor=world.admin,
        node=world.sandian,
        name="三店村东村口",
        kind=CheckpointKind.VILLAGE_ENTRANCE,
    )
    passer, _ = checkpoints.passer_log(
        actor=world.cadre_sandian,
        checkpoint=checkpoint,
        idempotency_key="before-move",
        kind="person",
        outcome="pass",
    )
    person = services.key_person_register(
        actor=world.admin,
        resident=resident_make(node=world.sandian_grid, name="王小明"),
        # get_or_create: a transactional test's flush empties the seeded categories.
        category=KeyPersonCategory.objects.get_or_create(name="密切接触者")[0],
    )
    return record, passer, person


def test_hand_overs_keep_their_ids_sources_and_key_persons_across_the_move(world):
    record, passer, person = _sources(world)
    old = _migrate(BEFORE).get_model("screening", "Referral")
    common = {"node_id": world.sandian.pk, "created_by_id": world.cadre_sandian.pk}
    old.objects.create(
        pk=7, screening_record_id=record.pk, name="王某", reason="排查发现", **common
    )
    old.objects.create(
        pk=8,
        passer_id=passer.pk,
        name="李某",
        reason="卡口测温发热",
        temperature=Decimal("37.8"),
        status="accepted",
        key_person_id=person.pk,
        **common,
    )
    old.objects.create(pk=9, name="赵某", reason="群众报告", **common)
    before = sorted(old.objects.values_list(*OLD_COLUMNS))

    _migrate(AFTER)
    moved = {r.pk: r for r in Referral.objects.all()}
    assert sorted(moved) == [7, 8, 9]
    assert (moved[7].source_kind, moved[7].source_id) == ("screening", record.pk)
    assert (moved[8].source_kind, moved[8].source_id) == ("checkpoint", passer.pk)
    assert moved[8].source_place == "三店村东村口" and moved[8].key_person == person
    assert moved[8].status == "accepted" and moved[8].temperature == Decimal("37.8")
    assert (moved[9].source_kind, moved[9].source_id) == ("other", None)
    # The next hand-over gets a new id, past the copied ones (PostgreSQL's sequence).
    new = control.referral_open(
        actor=world.cadre_sandian,
        node=world.sandian,
        source_kind="screening",
        source_id=record.pk,
        name="孙某",
        reason="排查发现",
    )
    assert new.pk > 9

    back = _migrate(BEFORE).get_model("screening", "Referral")
    assert sorted(back.objects.exclude(pk=new.pk).values_list(*OLD_COLUMNS)) == before
    _migrate(AFTER)
    assert Referral.objects.count() == 4
