"""Writing the audit log. Services call `audit_record` inside their transaction, or
`audited_insert` / `audited_update` for a new or changed row and its audit row in one step
(the hot writes); pages and endpoints that show health, travel or quarantine data call
`audit_read`.

Every action name is declared in its app's manifest (`<app>.<entity>.<verb>`); writing an
undeclared one raises, outside production (where it is logged and written as given).
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.db.models import Model

from frontline.core import fastpaths
from frontline.core.compiled import BoundUpdate
from frontline.core.models import AuditEvent, Node, User
from frontline.core.registry import registry
from frontline.core.scoping import roles_at, scope_root
from frontline.core.validators import no_id_or_phone

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
    """The unsaved audit row; the role is the actor's nearest role covering the node.

    A typed reason holding an ID or phone number is refused (ValidationError on
    `reason`, so the caller's transaction rolls back): the log is append-only, and a
    number written into it could never be taken out again (SECURITY 9)."""
    _check_action(action)
    if reason:
        try:
            no_id_or_phone(reason)
        except ValidationError as error:
            raise ValidationError({"reason": error.messages}) from None
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

    With core.fastpaths on this is one statement on PostgreSQL, two INSERTs compiled once
    on SQLite; otherwise save() and audit_record() in one transaction. A unique
    constraint that refuses the row raises IntegrityError with nothing written.
    """
    if fastpaths.enabled():
        event = _audit_event(actor=actor, action=action, obj=obj, node=node, fields=fields)
        fastpaths.insert_with_audit(obj, event)
        return
    with transaction.atomic():
        obj.save(force_insert=True)
        audit_record(actor=actor, action=action, obj=obj, node=node, fields=fields)


class _Unmatched(Exception):
    """The guard of audited_insert_if matched no row: roll the inserts back."""


def audited_insert_if(
    obj: Model,
    *,
    actor: User,
    action: str,
    node: Node,
    fields: Iterable[str] = (),
    guard: BoundUpdate,
) -> bool:
    """Insert a new row and its audit row, and run `guard` (a core.compiled update whose
    queryset holds a condition, e.g. a balance covering a draw): all of it, or — when the
    guard matches no row — nothing, and False.

    On PostgreSQL with core.fastpaths on this is one statement; otherwise the two inserts
    and then the conditional update, last, in one transaction (a row lock taken by the
    update is held only from there to the commit). IntegrityError as audited_insert.
    """
    if connection.vendor == "postgresql" and fastpaths.enabled():
        event = _audit_event(actor=actor, action=action, obj=obj, node=node, fields=fields)
        return fastpaths.insert_with_audit_if(obj, event, *guard.sql())
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
            audit_record(actor=actor, action=action, obj=obj, node=node, fields=fields)
            if not guard.run():
                raise _Unmatched
    except _Unmatched:
        obj.pk = None
        obj._state.adding = True
        return False
    return True


def audited_update(
    model: type[Model],
    *,
    match: dict[str, Any],
    values: dict[str, Any],
    actor: User,
    action: str,
    obj: Model,
    fields: Iterable[str] = (),
) -> int:
    """Change one row if it still matches (`match`: its pk and the state it must be in)
    and record the change in the audit log: both, or neither. Returns 1 if it changed,
    0 if it no longer matched (nothing written, no audit row, no gap in the log's ids).

    On PostgreSQL with core.fastpaths on this is one statement (the row lock held only
    for it and its commit); otherwise the UPDATE and then, if it hit, the audit row, in
    one transaction. Of two callers at once exactly one changes the row either way.
    """
    if "pk" not in match:
        raise ValueError("audited_update changes one row: match its pk")
    event = _audit_event(actor=actor, action=action, obj=obj, fields=fields)
    if connection.vendor == "postgresql" and fastpaths.enabled():
        return fastpaths.update_with_audit(model, match=match, values=values, event=event)
    with transaction.atomic():
        changed = model._default_manager.filter(**match).update(**values)
        if changed:
            event.save(force_insert=True)
    return changed
