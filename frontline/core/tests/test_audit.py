"""The audit log is append-only, down to raw SQL on both databases, and readable by admins
(SECURITY 8)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from frontline.core import services
from frontline.core.models import AuditEvent
from frontline.core.roles import Role


@pytest.fixture
def event(world) -> AuditEvent:
    return AuditEvent.objects.filter(action="core.node.create").first()


def test_the_model_refuses_an_update(event):
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()


def test_the_model_refuses_a_delete(event):
    with pytest.raises(PermissionError):
        event.delete()


def test_the_queryset_refuses_bulk_update_and_delete(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s OR 1 = 1",
    ],
    ids=["update", "delete", "delete-all"],
)
def test_the_database_refuses_raw_sql_changes(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "core.node.create"
    assert AuditEvent.objects.count() > 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_postgresql_refuses_truncate(event):
    before = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The world's rows wait on deferred foreign-key checks, which TRUNCATE would
        # refuse on its own ("pending trigger events"): run them first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE core_auditevent CASCADE")
    assert AuditEvent.objects.count() == before > 0


def test_the_admin_filters_the_log_by_action(world, login):
    services.role_assign(
        actor=world.admin, user=world.cadre_sandian, role=Role.GRID_WORKER, node=world.sandian_grid
    )
    assert AuditEvent.objects.exclude(action="core.role.assign").exists()
    page = login(world.admin).get(reverse("core:audit_list"), {"action": "core.role."})
    actions = {e.action for e in page.context["page"]}
    assert actions == {"core.role.assign"}


def test_a_village_admin_sees_only_events_of_the_village(world, login):
    page = login(world.admin_sandian).get(reverse("core:audit_list"))
    nodes = {e.node_id for e in page.context["page"]}
    assert nodes and nodes <= {world.sandian.pk, world.sandian_grid.pk}


def test_a_cadre_has_no_audit_page(world, login):
    assert login(world.cadre_sandian).get(reverse("core:audit_list")).status_code == 404


@pytest.mark.parametrize(
    "reason",
    ["核对 13912345678", "身份证３２０７２１１９８００６１５００１２", "电话 139-1234-5678"],
)
def test_a_reason_holding_a_number_is_refused_before_it_is_written(world, reason):
    # Nothing typed into the log can be taken out again: a whole phone or ID in a reason
    # is refused, naming the field, whichever service passed it on.
    from django.core.exceptions import ValidationError

    from frontline.core.audit import audit_record

    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        audit_record(actor=world.town_leader, action="people.resident.unmask", reason=reason)
    assert "身份证号或手机号" in refused.value.message_dict["reason"][0]
    assert AuditEvent.objects.count() == before
    audit_record(actor=world.town_leader, action="people.resident.unmask", reason="核对尾号5678")
    assert AuditEvent.objects.count() == before + 1
