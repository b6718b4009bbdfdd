"""Writing the audit log. Services call `audit_record` inside their transaction."""

from collections.abc import Iterable

from django.db.models import Model

from frontline.core.models import AuditEvent, Node, User
from frontline.core.scoping import roles_at


def audit_record(
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
    """Append one audit row; the role is the actor's nearest role covering the node.

    Only field *names* are accepted: values of personal fields never reach the log.
    """
    if node is None and obj is not None:
        node = obj if isinstance(obj, Node) else getattr(obj, "node", None)
    role = ""
    if actor is not None and node is not None:
        held = roles_at(actor, node)
        role = held[0] if held else ""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
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
