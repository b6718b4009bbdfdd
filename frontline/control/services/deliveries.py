"""五送 services (送菜、送药、送餐…) delivered to isolated and vulnerable households."""

from datetime import date

from django.db import transaction

from frontline.control.models import (
    KeyPerson,
    KeyPersonStatus,
    ServiceDelivery,
    ServiceKind,
    TimelineKind,
)
from frontline.control.services.timeline import timeline_add
from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.scoping import require_permission_at


@transaction.atomic
def service_record(
    *,
    actor: User,
    resident,
    kind: ServiceKind,
    delivered_on: date,
    description: str = "",
    quantity: int = 0,
) -> ServiceDelivery:
    """Log one 五送 service to a household; it shows on the key person's timeline too."""
    require_permission_at(actor, "control.service", resident.node)
    delivery = ServiceDelivery(
        node=resident.node,
        resident=resident,
        kind=kind,
        description=description.strip(),
        quantity=quantity,
        delivered_on=delivered_on,
        delivered_by=actor,
    )
    delivery.full_clean()
    delivery.save()
    active = KeyPerson.objects.filter(resident=resident, status=KeyPersonStatus.ACTIVE).first()
    if active is not None:
        amount = f" {quantity}{kind.quantity_label}" if quantity and kind.quantity_label else ""
        timeline_add(
            active, TimelineKind.SERVICE, f"{kind.name}{amount}：{delivery.description}", actor
        )
    audit_record(
        actor=actor,
        action="control.service.create",
        obj=delivery,
        fields=["kind", "description", "quantity"],
    )
    return delivery
