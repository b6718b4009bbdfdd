"""Policy measures and applications."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.enterprises.models import (
    Enterprise,
    Policy,
    PolicyApplication,
    PolicyStatus,
)
from frontline.enterprises.services.application import _is_own_enterprise


@transaction.atomic
def policy_create(
    *, actor: User, node: Node, name: str, cap: Decimal, document: str = ""
) -> Policy:
    """Publish a support measure with its cap per enterprise."""
    require_permission_at(actor, "enterprises.manage", node)
    policy = Policy(node=node, name=name.strip(), cap=cap, document=document.strip())
    policy.full_clean()
    policy.save()
    audit_record(
        actor=actor, action="enterprises.policy.create", obj=policy, fields=["name", "cap"]
    )
    return policy


@transaction.atomic
def policy_apply(
    *, actor: User, policy: Policy, enterprise: Enterprise, amount: Decimal, note: str = ""
) -> PolicyApplication:
    """An enterprise asks for support under a measure, never above its cap."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    if not enterprise.node.is_within(policy.node):
        raise ValidationError({"policy_id": "该政策不适用于本企业"})
    if not policy.is_open:
        raise ValidationError({"policy_id": "该政策已停止受理"})
    if amount > policy.cap:
        raise ValidationError({"amount": f"申请金额超过“{policy.name}”单户上限 {policy.cap} 元"})
    application = PolicyApplication(
        policy=policy, enterprise=enterprise, amount=amount, note=note.strip(), created_by=actor
    )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="enterprises.policy_application.create",
        obj=application,
        node=enterprise.node,
        fields=["policy", "amount"],
    )
    return application


@transaction.atomic
def policy_decide(
    *, actor: User, application: PolicyApplication, grant: bool, amount: Decimal | None = None
) -> PolicyApplication:
    """Grant (up to the amount asked) or refuse a pending application."""
    application = PolicyApplication.objects.select_for_update().get(pk=application.pk)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.approve", node)
    if _is_own_enterprise(actor, application.enterprise):
        raise ValidationError("不能审批本人所在企业的申请")
    if application.status != PolicyStatus.PENDING:
        raise ValidationError("该申请已有决定")
    if grant:
        amount = application.amount if amount is None else amount
        if not (Decimal("0") < amount <= application.amount):
            raise ValidationError({"amount": f"批准金额应在 0–{application.amount} 元之间"})
        application.granted = amount
    application.status = PolicyStatus.GRANTED if grant else PolicyStatus.REFUSED
    application.decided_on = timezone.localdate()
    application.save(update_fields=["granted", "status", "decided_on"])
    audit_record(
        actor=actor,
        action="enterprises.policy_application.decide",
        obj=application,
        node=node,
        fields=["status", "granted"],
    )
    return application
