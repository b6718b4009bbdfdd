"""Difficulty tickets: raised, owned, resolved."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.scoping import require_permission_at, user_can
from frontline.enterprises.models import (
    Enterprise,
    PolicyApplication,
    Ticket,
)

TICKET_DAYS = 7


@transaction.atomic
def ticket_create(
    *, actor: User, enterprise: Enterprise, kind: str, description: str, due_date=None
) -> Ticket:
    """An enterprise's difficulty, due in a week unless a date is given."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    ticket = Ticket(
        enterprise=enterprise,
        kind=kind,
        description=description.strip(),
        due_date=due_date or timezone.localdate() + timedelta(days=TICKET_DAYS),
        created_by=actor,
    )
    ticket.full_clean()
    ticket.save()
    audit_record(
        actor=actor,
        action="enterprises.ticket.create",
        obj=ticket,
        node=enterprise.node,
        fields=["kind", "description", "due_date"],
    )
    return ticket


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, owner: User) -> Ticket:
    """Name the cadre who owns the ticket until it is resolved."""
    node = ticket.enterprise.node
    require_permission_at(actor, "enterprises.tickets", node)
    if not user_can(owner, "enterprises.tickets", node):
        raise ValidationError({"owner": f"{owner} 不负责这家企业的困难"})
    ticket.owner = owner
    ticket.save(update_fields=["owner"])
    audit_record(
        actor=actor, action="enterprises.ticket.assign", obj=ticket, node=node, fields=["owner"]
    )
    return ticket


@transaction.atomic
def ticket_resolve(
    *,
    actor: User,
    ticket: Ticket,
    resolution: str,
    policy_application: PolicyApplication | None = None,
) -> Ticket:
    """Resolve a ticket with what was done, optionally by a policy application of the same
    enterprise; the resolver becomes its owner if it had none."""
    ticket = Ticket.objects.select_for_update().select_related("enterprise__node").get(pk=ticket.pk)
    node = ticket.enterprise.node
    require_permission_at(actor, "enterprises.tickets", node)
    if ticket.resolved_at is not None:
        raise ValidationError("该困难已办结")
    if not resolution.strip():
        raise ValidationError({"resolution": "请填写办理结果"})
    if policy_application is not None and policy_application.enterprise_id != ticket.enterprise_id:
        raise ValidationError({"policy_application_id": "只能关联本企业的政策申请"})
    ticket.resolution = resolution.strip()
    ticket.resolved_at = timezone.now()
    ticket.policy_application = policy_application
    ticket.owner = ticket.owner or actor
    ticket.full_clean()
    ticket.save()
    audit_record(
        actor=actor,
        action="enterprises.ticket.resolve",
        obj=ticket,
        node=node,
        fields=["resolution", "resolved_at", "policy_application"],
    )
    return ticket
