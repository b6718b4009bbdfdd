"""A reading as a server records it, with no transaction around the service: the
reading and its audit row are written together or not at all (on PostgreSQL as one
statement, elsewhere in one transaction)."""

import pytest
from django.db import DatabaseError, connection

from frontline.control import services
from frontline.control.models import Reading
from frontline.control.tests.factories import isolation_make
from frontline.core.audit import audited_insert
from frontline.core.models import AuditEvent, User
from frontline.core.roles import Role
from frontline.core.tests.fixtures import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_ready():
    world = build_world()
    return world.health_sandian, isolation_make(world, world.sandian_grid, "王小明")


def _audit_rows(reading: Reading):
    return AuditEvent.objects.filter(action="control.reading.create", object_id=str(reading.pk))


def test_a_reading_and_its_audit_row_are_written_together(round_ready):
    health, isolation = round_ready
    assert not connection.in_atomic_block
    reading, created = services.reading_record(
        actor=health, isolation=isolation, value="36.6", slot="am", idempotency_key="k-1"
    )
    assert created
    stored = Reading.objects.get(pk=reading.pk)
    assert (stored.value, stored.taken_by, stored.created_at) == (
        reading.value,
        health,
        reading.created_at,
    )
    event = _audit_rows(reading).get()
    assert (event.actor, event.actor_name, event.role, event.node) == (
        health,
        "health_sandian",
        Role.HEALTH_WORKER,
        isolation.node,
    )
    assert event.object_type == "control.reading"
    assert event.fields == ["slot", "symptoms", "value"]


def test_a_repeat_writes_neither_a_second_reading_nor_a_second_audit_row(round_ready):
    health, isolation = round_ready
    first, _ = services.reading_record(
        actor=health, isolation=isolation, value="36.6", slot="am", idempotency_key="k-2"
    )
    again, created = services.reading_record(
        actor=health, isolation=isolation, value="36.6", slot="am", idempotency_key="k-2"
    )
    assert (again.pk, created) == (first.pk, False)
    assert Reading.objects.count() == 1
    assert AuditEvent.objects.filter(action="control.reading.create").count() == 1


def test_when_the_audit_row_cannot_be_written_the_reading_is_not_either(round_ready):
    health, isolation = round_ready
    services.reading_record(actor=health, isolation=isolation, value="36.6", slot="am")
    ghost = User(pk=987_654, username="ghost")  # no such user: the audit row's key fails
    reading = Reading(
        isolation=isolation,
        node_id=isolation.node_id,
        local_date=isolation.start_date,
        slot="pm",
        value="36.7",
        taken_at=isolation.created_at,
        taken_by=health,
    )
    with pytest.raises(DatabaseError):
        audited_insert(reading, actor=ghost, action="control.reading.create", node=isolation.node)
    assert Reading.objects.count() == 1
    assert AuditEvent.objects.filter(action="control.reading.create").count() == 1
    # The connection is still usable after the refusal.
    assert Reading.objects.filter(slot="pm").count() == 0
