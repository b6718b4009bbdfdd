"""The 123456 checklist the town edits."""

from django.db import transaction

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.enterprises.models import (
    ChecklistItem,
)


@transaction.atomic
def checklist_item_create(
    *, actor: User, node: Node, heading: int, text: str, evidence_required: bool = True, order=0
) -> ChecklistItem:
    """Add an item under one of the six fixed headings, for the enterprises below the node."""
    require_permission_at(actor, "enterprises.manage", node)
    item = ChecklistItem(
        node=node,
        heading=heading,
        text=text.strip(),
        evidence_required=evidence_required,
        order=order,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, action="enterprises.item.create", obj=item, fields=["heading", "text"]
    )
    return item


@transaction.atomic
def checklist_item_update(
    *, actor: User, item: ChecklistItem, text: str, evidence_required: bool, is_active: bool
) -> ChecklistItem:
    """Reword an item, or retire it (answers already given keep pointing at it)."""
    require_permission_at(actor, "enterprises.manage", item.node)
    changes = {"text": text.strip(), "evidence_required": evidence_required, "is_active": is_active}
    fields = [key for key, value in changes.items() if getattr(item, key) != value]
    for key, value in changes.items():
        setattr(item, key, value)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="enterprises.item.update", obj=item, fields=fields)
    return item
