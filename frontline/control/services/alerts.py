"""Handling a fever alert: what was done, and a transfer that ends the isolation."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.control.models import Alert, AlertAction, IsolationStatus, TimelineKind
from frontline.control.services.isolations import isolation_end
from frontline.control.services.timeline import timeline_add
from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.scoping import require_permission_at
from frontline.core.temperature import temperature_parse


@transaction.atomic
def alert_handle(
    *,
    actor: User,
    alert: Alert,
    action: str,
    note: str,
    retest_value: str | Decimal | None = None,
) -> Alert:
    """Close a fever alert by recording what was done; a transfer ends the isolation."""
    require_permission_at(actor, "control.alert", alert.node)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not alert.is_open:
        raise ValidationError("该预警已处置")
    if action not in AlertAction.values:
        raise ValidationError({"action": "请选择处置方式"})
    if not note.strip():
        raise ValidationError({"note": "请填写处置说明"})
    parsed_retest = None
    if action == AlertAction.RETEST:
        if retest_value in (None, ""):
            raise ValidationError({"retest_value": "复测请填写复测体温"})
        try:
            parsed_retest = temperature_parse(retest_value)
        except ValidationError as error:
            raise ValidationError({"retest_value": error.messages}) from None
    alert.action, alert.note, alert.retest_value = action, note.strip(), parsed_retest
    alert.is_open, alert.handled_at, alert.handled_by = False, timezone.now(), actor
    alert.save()
    text = f"预警处置：{alert.get_action_display()}"
    if parsed_retest is not None:
        text += f"，复测 {parsed_retest}℃"
    timeline_add(alert.isolation.key_person, TimelineKind.ALERT, f"{text}。{alert.note}", actor)
    audit_record(
        actor=actor,
        action="control.alert.handle",
        obj=alert,
        fields=["action", "note", "retest_value"],
    )
    if action in (AlertAction.FEVER_CLINIC, AlertAction.CENTRAL):
        isolation_end(
            actor=actor,
            isolation=alert.isolation,
            status=IsolationStatus.TRANSFERRED,
            reason=alert.get_action_display(),
        )
    return alert
