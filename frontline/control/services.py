"""Writes for key persons, isolation, 六包一, readings, alerts and 五送; each one
transaction, each audited, each a step on the key person's timeline."""

from contextlib import nullcontext
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.control.models import (
    Alert,
    AlertAction,
    FoundVia,
    Isolation,
    IsolationStatus,
    KeyPerson,
    KeyPersonCategory,
    KeyPersonStatus,
    Reading,
    Referral,
    ReferralSource,
    ReferralStatus,
    Responsible,
    ServiceDelivery,
    ServiceKind,
    SixRole,
    Slot,
    TimelineEntry,
    TimelineKind,
)
from frontline.control.selectors import place_path
from frontline.core.audit import audit_record, audited_insert
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at, roles_held
from frontline.core.temperature import is_fever, temperature_parse


def _timeline(key_person: KeyPerson, kind: str, text: str, actor: User | None) -> None:
    TimelineEntry.objects.create(key_person=key_person, kind=kind, text=text[:500], actor=actor)


@transaction.atomic
def key_person_register(
    *,
    actor: User,
    resident,
    category: KeyPersonCategory,
    found_via: str = FoundVia.SCREENING,
    origin: str = "",
    arrival_date: date | None = None,
) -> KeyPerson:
    """Put a resident under control; a resident already under control is refused."""
    require_permission_at(actor, "control.edit", resident.node)
    if KeyPerson.objects.filter(resident=resident, status=KeyPersonStatus.ACTIVE).exists():
        raise ValidationError({"resident": "该居民已在管控中，请打开现有记录"})
    person = KeyPerson(
        resident=resident,
        node=resident.node,
        category=category,
        found_via=found_via,
        origin=origin.strip(),
        arrival_date=arrival_date,
        created_by=actor,
    )
    person.full_clean()
    person.save()
    _timeline(
        person,
        TimelineKind.REGISTERED,
        f"登记为重点人员（{category.name}，{person.get_found_via_display()}）",
        actor,
    )
    audit_record(
        actor=actor,
        action="control.key_person.create",
        obj=person,
        fields=["resident", "category", "found_via", "origin", "arrival_date"],
    )
    return person


@transaction.atomic
def referral_open(
    *,
    actor: User,
    node: Node,
    source_kind: str,
    source_id: int | None = None,
    name: str,
    reason: str,
    origin: str = "",
    temperature: Decimal | None = None,
    source_place: str = "",
) -> Referral:
    """Hand a person over to key-person control (转重点人员); control's staff accept it.

    The caller's own service has already checked the actor's right to act at the node
    (screening a unit, standing at a checkpoint). A checkpoint or gate entry is handed
    over once: a second hand-over of one entry raises IntegrityError, which the caller's
    idempotency answers; no look-up query is spent here on the common path.
    """
    if source_kind not in ReferralSource.values:
        raise ValidationError({"source_kind": "未知的移交来源"})
    referral = Referral(
        node=node,
        source_kind=source_kind,
        source_id=source_id,
        source_place=source_place.strip()[:100],
        name=name.strip(),
        origin=origin.strip(),
        temperature=temperature,
        reason=reason.strip()[:200],
        created_by=actor,
    )
    referral.full_clean(validate_unique=False, validate_constraints=False)
    referral.save()
    audit_record(
        actor=actor,
        action="control.referral.create",
        obj=referral,
        fields=["name", "origin", "temperature", "reason"],
    )
    return referral


# A hand-over from a post where people pass (a checkpoint, an enterprise gate) was found
# there; anything else was found by screening, as before hand-overs had a kind.
_FOUND_VIA = {
    ReferralSource.CHECKPOINT: FoundVia.CHECKPOINT,
    ReferralSource.GATE: FoundVia.CHECKPOINT,
}


@transaction.atomic
def key_person_from_referral(
    *, actor: User, referral: Referral, resident, category: KeyPersonCategory
) -> KeyPerson:
    """Accept a hand-over from screening or a checkpoint as a key person (once, however
    often the button is pressed): the referral is locked, linked and marked accepted."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError("该移交已被接收")
    person = key_person_register(
        actor=actor,
        resident=resident,
        category=category,
        found_via=_FOUND_VIA.get(referral.source_kind, FoundVia.SCREENING),
        origin=referral.origin,
    )
    referral.status, referral.key_person = ReferralStatus.ACCEPTED, person
    referral.save(update_fields=["status", "key_person"])
    text = f"接收{referral.source_label}移交：{referral.reason}"
    if referral.temperature is not None:
        text += f"，体温 {referral.temperature}℃"
    _timeline(person, TimelineKind.REGISTERED, text, actor)
    audit_record(
        actor=actor,
        action="control.referral.accept",
        obj=referral,
        node=referral.node,
        fields=["status", "key_person"],
    )
    return person


@transaction.atomic
def key_person_set_control(
    *, actor: User, key_person: KeyPerson, leader: User | None, team: str, plan: str
) -> KeyPerson:
    """Set 四个一: the responsible leader, the working team and the written plan."""
    require_permission_at(actor, "control.edit", key_person.node)
    changed = []
    if key_person.leader_id != (leader.pk if leader else None):
        changed.append("leader")
    if key_person.team != team.strip():
        changed.append("team")
    if key_person.plan != plan.strip():
        changed.append("plan")
    key_person.leader, key_person.team, key_person.plan = leader, team.strip(), plan.strip()
    key_person.full_clean()
    key_person.save(update_fields=["leader", "team", "plan"])
    if changed:
        labels = {"leader": "责任领导", "team": "工作专班", "plan": "管控方案"}
        _timeline(
            key_person, TimelineKind.CONTROL, "更新" + "、".join(labels[c] for c in changed), actor
        )
        audit_record(
            actor=actor, action="control.key_person.control", obj=key_person, fields=changed
        )
    return key_person


@transaction.atomic
def key_person_note(*, actor: User, key_person: KeyPerson, text: str) -> None:
    """Add a free-text step to the timeline (a visit, a call, a decision)."""
    require_permission_at(actor, "control.view", key_person.node)
    if not text.strip():
        raise ValidationError({"text": "请填写工作记录"})
    _timeline(key_person, TimelineKind.NOTE, text.strip(), actor)
    audit_record(actor=actor, action="control.key_person.note", obj=key_person, fields=["timeline"])


@transaction.atomic
def key_person_close(*, actor: User, key_person: KeyPerson, reason: str) -> KeyPerson:
    """End control of a key person; the record and its timeline stay."""
    require_permission_at(actor, "control.edit", key_person.node)
    if key_person.isolations.filter(status=IsolationStatus.ACTIVE).exists():
        raise ValidationError("仍在居家隔离中，请先解除隔离")
    if not reason.strip():
        raise ValidationError({"reason": "请填写解除管控的原因"})
    key_person.status = KeyPersonStatus.CLOSED
    key_person.closed_at = timezone.now()
    key_person.save(update_fields=["status", "closed_at"])
    _timeline(key_person, TimelineKind.CLOSED, f"解除管控：{reason.strip()}", actor)
    audit_record(
        actor=actor,
        action="control.key_person.close",
        obj=key_person,
        fields=["status"],
        reason=reason.strip(),
    )
    return key_person


@transaction.atomic
def isolation_start(
    *,
    actor: User,
    key_person: KeyPerson,
    address: str,
    start_date: date,
    planned_days: int | None = None,
) -> Isolation:
    """Start home isolation; a person has at most one active isolation."""
    require_permission_at(actor, "control.edit", key_person.node)
    if key_person.status != KeyPersonStatus.ACTIVE:
        raise ValidationError("该重点人员已解除管控")
    if key_person.isolations.filter(status=IsolationStatus.ACTIVE).exists():
        raise ValidationError("该人员已在居家隔离中")
    isolation = Isolation(
        key_person=key_person,
        node=key_person.node,
        address=address.strip(),
        start_date=start_date,
        planned_days=planned_days or settings.ISOLATION_DAYS,
    )
    isolation.end_date = start_date  # recomputed on save; full_clean needs a value
    isolation.full_clean()
    isolation.save()
    _timeline(
        key_person,
        TimelineKind.ISOLATION,
        f"开始居家隔离 {start_date:%m月%d日}，计划 {isolation.planned_days} 天，"
        f"{isolation.end_date:%m月%d日}可解除",
        actor,
    )
    audit_record(
        actor=actor,
        action="control.isolation.start",
        obj=isolation,
        fields=["address", "start_date", "planned_days"],
    )
    return isolation


def _check_responsible_in_place(isolation: Isolation, user: User | None, resident) -> None:
    place = place_path(isolation.node)
    # A user serves here when a role of theirs covers this place (a town health
    # centre's worker) or lies inside it (a grid worker of the village).
    if user is not None and not any(
        place.startswith(path) or path.startswith(place) for _, path in roles_held(user)
    ):
        raise ValidationError({"user": "此人不在本辖区任职"})
    if resident is not None and not resident.node.path.startswith(place):
        raise ValidationError({"resident": "此居民不在本辖区"})


@transaction.atomic
def responsible_set(
    *, actor: User, isolation: Isolation, role: str, user: User | None = None, resident=None
) -> Responsible | None:
    """Name (or clear, with neither user nor resident) one of the six 六包一 people."""
    require_permission_at(actor, "control.edit", isolation.node)
    if role not in SixRole.values:
        raise ValidationError({"role": "未知的六包一角色"})
    if user is None and resident is None:
        Responsible.objects.filter(isolation=isolation, role=role).delete()
        result = None
        text = f"{SixRole(role).label}空缺"
    else:
        _check_responsible_in_place(isolation, user, resident)
        result, _ = Responsible.objects.update_or_create(
            isolation=isolation, role=role, defaults={"user": user, "resident": resident}
        )
        text = f"{SixRole(role).label}：{result.person_name}"
    _timeline(isolation.key_person, TimelineKind.SIX, text, actor)
    audit_record(actor=actor, action="control.six.set", obj=isolation, fields=[role])
    return result


def _value(raw: str | Decimal | float) -> Decimal:
    try:
        return temperature_parse(raw)
    except ValidationError as error:
        raise ValidationError({"value": error.messages}) from None


def reading_record(
    *,
    actor: User,
    isolation: Isolation,
    value: str | Decimal | float,
    slot: str,
    taken_at: datetime | None = None,
    symptoms: str = "",
    idempotency_key: str | None = None,
) -> tuple[Reading, bool]:
    """Record one door-step temperature; a fever opens an alert at once.

    Returns (reading, created). The same idempotency key again returns the first
    reading unchanged (a retry on a weak network, a double tap). The unique
    constraints decide, not a look-up first: this is the hot path of every round.
    """
    require_permission_at(actor, "control.reading", isolation.node)
    parsed = _value(value)
    taken_at = taken_at or timezone.now()
    reading = Reading(
        isolation=isolation,
        node_id=isolation.node_id,
        local_date=timezone.localdate(taken_at),
        slot=slot,
        value=parsed,
        symptoms=symptoms.strip(),
        is_fever=is_fever(parsed),
        taken_at=taken_at,
        taken_by=actor,
        idempotency_key=idempotency_key or None,
    )
    # The value is parsed and the slot comes from a closed list; the rest is checked
    # here rather than by full_clean, whose foreign-key checks cost three queries.
    if slot not in Slot.values:
        raise ValidationError({"slot": "时段只能是上午或下午"})
    if len(reading.symptoms) > 200:
        raise ValidationError({"symptoms": "症状描述不能超过 200 字"})
    if idempotency_key and len(idempotency_key) > 64:
        raise ValidationError({"idempotency_key": "请求编号不能超过 64 个字符"})
    refusal = _reading_refusal(isolation, reading, taken_at)
    # The insert comes first (on SQLite the write lock is taken only now): a twin (the
    # same key again, or the slot already measured) fails it with nothing written and
    # is answered outside, even when the isolation has ended since. No look-up first:
    # this is the hot path of every round. A normal reading is its insert and its audit
    # row alone (one statement on PostgreSQL); a fever also opens an alert and a
    # timeline step in the same transaction.
    try:
        with transaction.atomic() if (refusal or reading.is_fever) else nullcontext():
            audited_insert(
                reading,
                actor=actor,
                action="control.reading.create",
                node=isolation.node,
                fields=["value", "slot", "symptoms"],
            )
            if refusal:
                raise refusal
            if reading.is_fever:
                Alert.objects.create(
                    reading=reading, isolation=isolation, node_id=isolation.node_id
                )
                _timeline(
                    isolation.key_person,
                    TimelineKind.ALERT,
                    f"{reading.get_slot_display()}体温 {reading.value}℃，发热预警待处置",
                    actor,
                )
    except IntegrityError:
        return _reading_twin(isolation, reading), False
    return reading, True


def _reading_refusal(
    isolation: Isolation, reading: Reading, taken_at: datetime
) -> ValidationError | None:
    """Why a reading cannot be taken, from what is already in hand; None when it can."""
    if isolation.status != IsolationStatus.ACTIVE:
        return ValidationError("该人员已不在居家隔离中")
    if taken_at > timezone.now() + timedelta(minutes=5):
        return ValidationError({"taken_at": "测量时间不能晚于现在"})
    if reading.local_date < isolation.start_date:
        return ValidationError({"taken_at": "测量日期早于隔离开始日期"})
    return None


def _reading_twin(isolation: Isolation, reading: Reading) -> Reading:
    """The reading that won against this one: the same request again, or a taken slot."""
    if reading.idempotency_key:
        twin = Reading.objects.filter(idempotency_key=reading.idempotency_key).first()
        if twin is not None:
            if twin.isolation_id != isolation.pk:
                raise ValidationError({"idempotency_key": "该请求编号已用于另一人，请重新生成"})
            return twin
    taken = Reading.objects.filter(
        isolation=isolation, local_date=reading.local_date, slot=reading.slot
    ).first()
    shown = f"（{taken.value}℃）" if taken else ""
    raise ValidationError({"slot": f"该时段已测过{shown}；如需复测，请在发热预警处置中记录"})


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
    _timeline(alert.isolation.key_person, TimelineKind.ALERT, f"{text}。{alert.note}", actor)
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


@transaction.atomic
def isolation_release(*, actor: User, isolation: Isolation, today: date | None = None) -> Isolation:
    """Release from isolation (解除隔离) on or after the end date, when the last day was normal."""
    require_permission_at(actor, "control.edit", isolation.node)
    today = today or timezone.localdate()
    if isolation.status != IsolationStatus.ACTIVE:
        raise ValidationError("该隔离已结束")
    if today < isolation.end_date:
        raise ValidationError(f"未到解除日期（{isolation.end_date:%Y-%m-%d}）")
    if isolation.alerts.filter(is_open=True).exists():
        raise ValidationError("有未处置的发热预警，不能解除隔离")
    last_day = isolation.readings.filter(local_date__lt=today).order_by("-local_date").first()
    if last_day is None:
        raise ValidationError("没有体温记录，不能解除隔离")
    last = isolation.readings.filter(local_date=last_day.local_date)
    if (
        any(reading.is_fever for reading in last)
        or isolation.readings.filter(local_date=today, is_fever=True).exists()
    ):
        raise ValidationError("最后一天体温异常，不能解除隔离")
    return _isolation_close(actor, isolation, IsolationStatus.RELEASED, "解除隔离")


@transaction.atomic
def isolation_end(*, actor: User, isolation: Isolation, status: str, reason: str) -> Isolation:
    """End an isolation early or by transfer (fever clinic, central isolation), with a reason."""
    require_permission_at(
        actor,
        "control.edit" if status == IsolationStatus.ENDED_EARLY else "control.alert",
        isolation.node,
    )
    if status not in (IsolationStatus.ENDED_EARLY, IsolationStatus.TRANSFERRED):
        raise ValidationError({"status": "请选择提前结束或转运"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因"})
    if isolation.status != IsolationStatus.ACTIVE:
        raise ValidationError("该隔离已结束")
    return _isolation_close(actor, isolation, status, reason.strip())


def _isolation_close(actor: User, isolation: Isolation, status: str, reason: str) -> Isolation:
    isolation.status, isolation.ended_at, isolation.ended_by = status, timezone.now(), actor
    isolation.end_reason = reason
    isolation.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    _timeline(
        isolation.key_person,
        TimelineKind.ISOLATION,
        f"{isolation.get_status_display()}：{reason}",
        actor,
    )
    audit_record(
        actor=actor,
        action=f"control.isolation.{status}",
        obj=isolation,
        fields=["status"],
        reason=reason,
    )
    return isolation


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
        _timeline(
            active, TimelineKind.SERVICE, f"{kind.name}{amount}：{delivery.description}", actor
        )
    audit_record(
        actor=actor,
        action="control.service.create",
        obj=delivery,
        fields=["kind", "description", "quantity"],
    )
    return delivery
