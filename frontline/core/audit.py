"""Writing the audit log. Services call `audit_record` inside their transaction, or
`audited_insert` for a new row and its audit row in one step (the hot writes); pages and
endpoints that show health, travel or quarantine data call `audit_read`.

Every action name is declared in its app's manifest (`<app>.<entity>.<verb>`); writing an
undeclared one raises, outside production (where it is logged and written as given).
"""

import logging
from collections.abc import Iterable
from contextlib import nullcontext
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Field, Model

from frontline.core.models import AuditEvent, Node, User
from frontline.core.registry import registry
from frontline.core.scoping import roles_at, scope_root

logger = logging.getLogger(__name__)


def _check_action(action: str) -> None:
    if action in registry().audit_actions:
        return
    if settings.AUDIT_ACTIONS_STRICT:
        raise ImproperlyConfigured(
            f"audit action {action!r} is not declared: add it to its app's manifest.py"
        )
    logger.error("undeclared audit action %s", action)


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
    _check_action(action)
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


def audit_read(
    *, actor: User, action: str, obj: Model | None = None, permission: str | None = None
) -> AuditEvent:
    """Record that a page or endpoint showed health, travel or quarantine data (SECURITY 7
    and 40): one object, or a list — logged at the reader's outermost node holding
    `permission` — never a name or an ID."""
    if obj is not None:
        return audit_record(actor=actor, action=action, obj=obj)
    if permission is None:
        raise ValueError("a list read names the permission it was read under")
    return audit_record(
        actor=actor,
        action=action,
        node=scope_root(actor, permission),
        object_type=action.rsplit(".", 1)[0],
    )


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
    event = _audit_event(actor=actor, action=action, obj=obj, node=node, fields=fields)
    sql, row_fields, audit_fields = _audited_insert_statement(type(obj))
    params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in row_fields]
    params += [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in audit_fields]
    # Inside a transaction (a caller's, or a test's), a savepoint keeps a refused row
    # from spoiling it; outside one the statement is its own transaction.
    with (
        transaction.atomic() if connection.in_atomic_block else nullcontext(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
        (new_pk,) = cursor.fetchone()
    setattr(obj, obj._meta.pk.attname, new_pk)
    obj._state.adding = False
    obj._state.db = connection.alias


@lru_cache(maxsize=16)
def _audited_insert_statement(model: type[Model]) -> tuple[str, list[Field], list[Field]]:
    """The WITH statement for a model, and the fields whose values it takes, in order."""
    quote = connection.ops.quote_name
    row_fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    audit_all = [f for f in AuditEvent._meta.concrete_fields if f is not AuditEvent._meta.pk]
    # The audit row's object id is the new row's id, known only inside the statement.
    audit_values = ["inserted.id::text" if f.name == "object_id" else "%s" for f in audit_all]
    audit_fields = [f for f in audit_all if f.name != "object_id"]
    # Identifiers come from the models' metadata, quoted; every value is a parameter.
    sql = (  # noqa: S608
        "WITH inserted AS (INSERT INTO {table} ({row_columns}) VALUES ({row_marks})"
        " RETURNING {pk} AS id),"
        " audited AS (INSERT INTO {audit} ({audit_columns}) SELECT {audit_values} FROM inserted)"
        " SELECT id FROM inserted"
    ).format(
        table=quote(model._meta.db_table),
        row_columns=", ".join(quote(f.column) for f in row_fields),
        row_marks=", ".join(["%s"] * len(row_fields)),
        pk=quote(model._meta.pk.column),
        audit=quote(AuditEvent._meta.db_table),
        audit_columns=", ".join(quote(f.column) for f in audit_all),
        audit_values=", ".join(audit_values),
    )
    return sql, row_fields, audit_fields
