"""Requests and allocation runs (enterprises first), approval and confirmation of receipt."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.supplies.models import (
    Allocation,
    AllocationLine,
    Item,
    MoveKind,
    RequesterKind,
    RequestLine,
    Stock,
    SupplyRequest,
    Warehouse,
)
from frontline.supplies.services.catalogue import quantity_in_base
from frontline.supplies.services.common import ALLOCATION_RULE, _digest, _fmt, _key_clean, _repeat
from frontline.supplies.services.ledger import _move_insert


@dataclass(frozen=True)
class Asked:
    """One line of a request as typed."""

    item: Item
    quantity: object
    unit: str = ""


@transaction.atomic
def request_create(
    *,
    actor: User,
    node: Node,
    kind: str,
    needed_by: date,
    reason: str,
    lines: list[Asked],
    idempotency_key: str = "",
) -> SupplyRequest:
    """An enterprise, checkpoint, village or isolation team asks for supplies."""
    require_permission_at(actor, "supplies.request", node)
    key = _key_clean(idempotency_key)
    digest = _digest(
        {
            "node": node.pk,
            "kind": kind,
            "needed_by": needed_by,
            "reason": reason,
            "lines": [(line.item.pk, str(line.quantity), line.unit) for line in lines],
        }
    )
    stored = _repeat(SupplyRequest, actor, key, digest)
    if stored is not None:
        return stored
    if not lines:
        raise ValidationError({"lines": "请至少填写一种物资"})
    if kind == RequesterKind.ENTERPRISE and node.kind != "enterprise":
        raise ValidationError({"kind": "企业申请须以企业名义提出"})
    request = SupplyRequest(
        node=node,
        kind=kind,
        needed_by=needed_by,
        reason=(reason or "").strip(),
        created_by=actor,
        idempotency_key=key,
        request_digest=digest,
    )
    request.full_clean(exclude=["node", "created_by"])
    request.save()
    seen = set()
    for line in lines:
        if line.item.pk in seen:
            raise ValidationError({"lines": f"{line.item.name}填写了两次"})
        seen.add(line.item.pk)
        RequestLine.objects.create(
            request=request,
            item=line.item,
            quantity=quantity_in_base(line.item, line.quantity, line.unit),
        )
    audit_record(
        actor=actor,
        action="supplies.request.create",
        obj=request,
        fields=["kind", "needed_by", "reason", "lines"],
    )
    return request


def allocation_order(line: RequestLine) -> tuple:
    """The rule: enterprises' prevention needs first, then needed-by, then request time."""
    request = line.request
    return (
        request.kind != RequesterKind.ENTERPRISE,
        request.needed_by,
        request.created_at,
        line.pk,
    )


@transaction.atomic
def allocation_run(*, actor: User, warehouse: Warehouse) -> Allocation:
    """Propose quantities from the warehouse's stock for the open request lines of its
    subtree, in the order of ALLOCATION_RULE; nothing leaves the store until approval."""
    require_permission_at(actor, "supplies.keep", warehouse.node)
    open_lines = [
        line
        for line in RequestLine.objects.filter(
            request__node__path__startswith=warehouse.node.path, approved__lt=F("quantity")
        ).select_related("request__node", "item")
    ]
    if not open_lines:
        raise ValidationError("没有待分配的申请")
    available = {s.item_id: s.quantity for s in Stock.objects.filter(warehouse=warehouse)}
    allocation = Allocation.objects.create(
        warehouse=warehouse, rule=ALLOCATION_RULE, created_by=actor
    )
    for rank, line in enumerate(sorted(open_lines, key=allocation_order), start=1):
        left = available.get(line.item_id, Decimal(0))
        proposed = min(left, line.outstanding)
        available[line.item_id] = left - proposed
        AllocationLine.objects.create(
            allocation=allocation, request_line=line, rank=rank, proposed=proposed
        )
    audit_record(
        actor=actor,
        action="supplies.allocation.run",
        obj=allocation,
        node=warehouse.node,
        fields=["lines", "proposed"],
    )
    return allocation


@transaction.atomic
def allocation_approve(
    *, actor: User, allocation: Allocation, quantities: dict[int, Decimal] | None = None
) -> Allocation:
    """Approve a run (each line at its proposal, or the keeper's lower number; 0 skips
    it): the approved quantities are issued from the ledger to the requesting units.
    Lines short of what was asked stay open for the next run."""
    require_permission_at(actor, "supplies.keep", allocation.warehouse.node)
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.approved_at is not None:
        raise ValidationError("这次分配已经批准过了")
    quantities = quantities or {}
    lines = list(
        allocation.lines.select_related("request_line__request__node", "request_line__item")
    )
    request_lines = {
        rl.pk: rl
        for rl in RequestLine.objects.select_for_update()
        .filter(pk__in=[line.request_line_id for line in lines])
        .order_by("pk")
    }
    for line in lines:
        wanted = quantities.get(line.pk, line.proposed)
        try:
            wanted = Decimal(str(wanted))
        except InvalidOperation:
            raise ValidationError({"quantities": "批准数量须为数字"}) from None
        request_line = request_lines[line.request_line_id]
        if wanted < 0 or wanted > request_line.outstanding:
            raise ValidationError(
                {
                    "quantities": f"{request_line.item.name}（{request_line.request.node.name}）"
                    f"批准数量须在 0 到 {_fmt(request_line.outstanding)} 之间"
                }
            )
        line.approved = wanted
        line.save(update_fields=["approved"])
        if wanted == 0:
            continue
        _move_insert(
            actor=actor,
            kind=MoveKind.ISSUE,
            warehouse=allocation.warehouse,
            item=request_line.item,
            quantity=wanted,
            unit=request_line.item.base_unit,
            recipient_node=request_line.request.node,
            reason=f"分配 #{allocation.pk}",
            allocation_line=line,
        )
        RequestLine.objects.filter(pk=request_line.pk).update(approved=F("approved") + wanted)
        request_line.approved += wanted
    allocation.approved_by = actor
    allocation.approved_at = timezone.now()
    allocation.save(update_fields=["approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="supplies.allocation.approve",
        obj=allocation,
        node=allocation.warehouse.node,
        fields=["approved"],
    )
    return allocation


@transaction.atomic
def allocation_confirm(*, actor: User, line: AllocationLine) -> AllocationLine:
    """The requesting unit confirms it received what was issued to it (签收)."""
    node = line.request_line.request.node
    require_permission_at(actor, "supplies.request", node)
    line = AllocationLine.objects.select_for_update().get(pk=line.pk)
    if not line.approved:
        raise ValidationError("这一项没有发放，无需签收")
    if line.confirmed_at is not None:
        raise ValidationError("已经签收过了")
    line.confirmed_by = actor
    line.confirmed_at = timezone.now()
    line.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action="supplies.allocation.confirm",
        obj=line,
        node=node,
        fields=["confirmed_at"],
    )
    return line
