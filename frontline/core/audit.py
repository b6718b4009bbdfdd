"""Writing the audit log. Services call `audit_record` inside their transaction, or
`audited_insert` for a new row and its audit row in one step (the hot writes)."""

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

from frontline.core.models import AuditEvent, Node, User
from frontline.core.scoping import roles_at


def _audit_event(
    *,
    actor: User | None,
    action: str,
    obj: Model | None = None,
    node: Node | None = None,
    fields: Iterable[str] = (),
    reason: str = "",
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """The unsaved audit row; the role is the actor's nearest role covering the node."""
    if node is None and obj is not None:
        node = obj if isinstance(obj, Node) else getattr(obj, "node", None)
    role = ""
    if actor is not None and node is not None:
        held = roles_at(actor, node)
        role = held[0] if held else ""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk or ""
    return AuditEvent(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "system",
        role=role,
        node=node,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=sorted(set(fields)),
        reason=reason[:500],
    )


def audit_record(*, actor: User | None, action: str, **details: Any) -> AuditEvent:
    """Append one audit row (details: obj, node, fields, reason, object_type, object_id);
    the role is the actor's nearest role covering the node.

    Only field *names* are accepted: values of personal fields never reach the log.
    """
    event = _audit_event(actor=actor, action=action, **details)
    event.save(force_insert=True)
    return event


def audited_insert(
    obj: Model, *, actor: User, action: str, node: Node, fields: Iterable[str] = ()
) -> None:
    """Insert a new row and the audit row that records it: both, or neither.

    On PostgreSQL this is one statement (a data-modifying WITH): outside a
    transaction it needs no BEGIN and COMMIT round trips, and no second INSERT,
    which is most of the cost of the busiest writes, a door-step reading and a
    checkpoint passer (bench/README.md). Elsewhere, save() and audit_record() in one
    transaction. A unique constraint that refuses the row raises IntegrityError with
    nothing written, and the connection stays usable, as with save() in atomic().
    """
    if connection.vendor != "postgresql":
        with transaction.atomic():
            obj.save(force_insert=True)
            audit_record(actor=actor, action=action, obj=obj, node=node, fields=fields)
        return
    model = type(obj)
    pk = model._meta.pk
    event = _audit_event(actor=actor, action=action, obj=obj, node=node, fields=fields)
    row_columns, row_marks, row_params = _insert_parts(obj, exclude=pk)
    audit_columns, audit_marks, audit_params = _insert_parts(event, exclude=AuditEvent._meta.pk)
    # The audit row's object id is the new row's id, known only inside the statement.
    object_id = audit_columns.index(connection.ops.quote_name("object_id"))
    audit_marks[object_id] = "inserted.id::text"
    del audit_params[object_id]
    quote = connection.ops.quote_name
    # Identifiers come from the models' metadata, quoted; every value is a parameter.
    sql = (  # noqa: S608
        "WITH inserted AS (INSERT INTO {table} ({row_columns}) VALUES ({row_marks})"
        " RETURNING {pk} AS id),"
        " audited AS (INSERT INTO {audit} ({audit_columns}) SELECT {audit_marks} FROM inserted)"
        " SELECT id FROM inserted"
    ).format(
        table=quote(model._meta.db_table),
        row_columns=", ".join(row_columns),
        row_marks=", ".join(row_marks),
        pk=quote(pk.column),
        audit=quote(AuditEvent._meta.db_table),
        audit_columns=", ".join(audit_columns),
        audit_marks=", ".join(audit_marks),
    )
    # Inside a transaction (a caller's, or a test's), a savepoint keeps a refused row
    # from spoiling it; outside one the statement is its own transaction.
    with (
        transaction.atomic() if connection.in_atomic_block else nullcontext(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [*row_params, *audit_params])
        (new_pk,) = cursor.fetchone()
    setattr(obj, pk.attname, new_pk)
    obj._state.adding = False
    obj._state.db = connection.alias


def _insert_parts(obj: Model, *, exclude: Field) -> tuple[list[str], list[str], list[Any]]:
    """Quoted columns, placeholders and database values of a new row, as save() writes them
    (auto_now_add filled in by the fields themselves)."""
    columns, marks, params = [], [], []
    for field in obj._meta.concrete_fields:
        if field is exclude:
            continue
        columns.append(connection.ops.quote_name(field.column))
        marks.append("%s")
        params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    return columns, marks, params
