"""The door-step temperature (每天两次上门测量体温): the hot write of every round."""

from contextlib import nullcontext
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.control.models import Alert, Isolation, IsolationStatus, Reading, Slot, TimelineKind
from frontline.control.rounds import in_window, slot_window, window_label
from frontline.control.services.timeline import timeline_add
from frontline.core.audit import audited_insert
from frontline.core.closed_days import closed_day_touch
from frontline.core.idempotency import idempotent_answer, request_digest
from frontline.core.models import User
from frontline.core.scoping import require_permission_at
from frontline.core.temperature import is_fever, temperature_parse


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

    Returns (reading, created). The same user's idempotency key again returns the first
    reading unchanged (a retry on a weak network, a double tap); with another body it is
    IdempotencyConflict. The unique constraints decide, not a look-up first: this is the
    hot path of every round.
    """
    require_permission_at(actor, "control.reading", isolation.node)
    parsed = _value(value)
    digest = request_digest(
        isolation=isolation.pk,
        value=parsed,
        slot=slot,
        # The same moment sent in another zone is the same body.
        taken_at=taken_at.timestamp() if taken_at else None,
        symptoms=symptoms,
    )
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
        request_digest=digest,
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
    # A reading for a closed day (synced late) also updates that day's kept figures.
    late = reading.local_date < timezone.localdate()
    try:
        with transaction.atomic() if (refusal or reading.is_fever or late) else nullcontext():
            audited_insert(
                reading,
                actor=actor,
                action="control.reading.create",
                node=isolation.node,
                fields=["value", "slot", "symptoms"],
            )
            if refusal:
                raise refusal
            if late:
                closed_day_touch(isolation.node, reading.local_date)
            if reading.is_fever:
                Alert.objects.create(
                    reading=reading, isolation=isolation, node_id=isolation.node_id
                )
                timeline_add(
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
    if not in_window(reading.slot, taken_at):
        # A phone syncing late sends the time it measured: that time is what must fit.
        label = dict(Slot.choices)[reading.slot]
        return ValidationError(
            {
                "taken_at": f"{label}测温时段为 {window_label(slot_window(reading.slot))}，"
                f"测量时间 {timezone.localtime(taken_at):%H:%M} 不在该时段内"
            }
        )
    if reading.local_date < isolation.start_date:
        return ValidationError({"taken_at": "测量日期早于隔离开始日期"})
    return None


def _reading_twin(isolation: Isolation, reading: Reading) -> Reading:
    """The reading that won against this one: the same request again, or a taken slot."""
    if reading.idempotency_key:
        twin = Reading.objects.filter(
            taken_by=reading.taken_by, idempotency_key=reading.idempotency_key
        ).first()
        if twin is not None:
            return idempotent_answer(twin, reading.request_digest)
    taken = Reading.objects.filter(
        isolation=isolation, local_date=reading.local_date, slot=reading.slot
    ).first()
    shown = f"（{taken.value}℃）" if taken else ""
    raise ValidationError({"slot": f"该时段已测过{shown}；如需复测，请在发热预警处置中记录"})
