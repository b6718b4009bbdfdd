"""预约办: service-hall slots, bookings, cancellations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.enterprises.models import (
    Appointment,
    Enterprise,
    ServiceSlot,
)


@transaction.atomic
def slot_create(*, actor: User, node: Node, starts_at, capacity: int) -> ServiceSlot:
    """Open a service-hall time for `capacity` enterprises."""
    require_permission_at(actor, "enterprises.manage", node)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "预约时段应在将来"})
    slot = ServiceSlot(node=node, starts_at=starts_at, capacity=capacity)
    slot.full_clean()
    slot.save()
    audit_record(actor=actor, action="enterprises.slot.create", obj=slot, fields=["starts_at"])
    return slot


@transaction.atomic
def appointment_book(*, actor: User, enterprise: Enterprise, slot: ServiceSlot) -> Appointment:
    """Book a slot for the enterprise; the slot row is locked so that concurrent bookings
    queue and the last place is given once."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    slot = ServiceSlot.objects.select_for_update().get(pk=slot.pk)
    if not enterprise.node.is_within(slot.node):
        raise ValidationError({"slot_id": "该时段不受理本企业"})
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot_id": "该时段已过"})
    active = slot.appointments.filter(cancelled_at__isnull=True)
    if active.filter(enterprise=enterprise).exists():
        raise ValidationError({"slot_id": "本企业已预约这个时段"})
    if active.count() >= slot.capacity:
        raise ValidationError({"slot_id": "该时段已约满，请选择其他时段"})
    appointment = Appointment(slot=slot, enterprise=enterprise, booked_by=actor)
    appointment.full_clean()
    appointment.save()
    audit_record(
        actor=actor,
        action="enterprises.appointment.book",
        obj=appointment,
        node=enterprise.node,
        fields=["slot"],
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment) -> Appointment:
    """Cancel a booking: the place is free for another enterprise (or a rebooking)."""
    require_permission_at(actor, "enterprises.file", appointment.enterprise.node)
    if appointment.cancelled_at is not None:
        raise ValidationError("该预约已取消")
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action="enterprises.appointment.cancel",
        obj=appointment,
        node=appointment.enterprise.node,
        fields=["cancelled_at"],
    )
    return appointment


@transaction.atomic
def appointment_rebook(*, actor: User, appointment: Appointment, slot: ServiceSlot) -> Appointment:
    """Move a booking to another slot: the old place is freed and the new one taken in one
    transaction, so a full slot leaves the old booking standing."""
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("enterprise__node")
        .get(pk=appointment.pk)
    )
    if appointment.slot_id == slot.pk:
        raise ValidationError({"slot_id": "这就是已预约的时段"})
    appointment_cancel(actor=actor, appointment=appointment)
    return appointment_book(actor=actor, enterprise=appointment.enterprise, slot=slot)
