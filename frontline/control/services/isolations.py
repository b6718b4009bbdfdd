"""Writes for home isolation (居家隔离) and its six 六包一 people: start, name, end."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.control.models import (
    SIX_RESIDENT_ROLES,
    SIX_ROLE_HOLDERS,
    Isolation,
    IsolationStatus,
    KeyPerson,
    KeyPersonStatus,
    Responsible,
    SixRole,
    TimelineKind,
)
from frontline.control.selectors import place_path
from frontline.control.services.timeline import timeline_add
from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.roles import Role
from frontline.core.scoping import require_permission_at, roles_held

START_DATE_RANGE_DAYS = 366


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
    # A plausible day: year 9999 plus the planned days would overflow the end date.
    if abs((start_date - timezone.localdate()).days) > START_DATE_RANGE_DAYS:
        raise ValidationError({"start_date": "开始日期须在今天前后一年之内"})
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
    timeline_add(
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


def _check_responsible_in_place(
    isolation: Isolation, role: str, user: User | None, resident
) -> None:
    place = place_path(isolation.node)
    # A user serves here when a role of theirs covers this place (a town health
    # centre's worker) or lies inside it (a grid worker of the village) ...
    if user is not None:
        held_here = [
            (held, path)
            for held, path in roles_held(user)
            if place.startswith(path) or path.startswith(place)
        ]
        if not held_here:
            raise ValidationError({"user": "此人不在本辖区任职"})
        # ... and covers the isolation's own place: one of the six must be able to open
        # the case they answer for (another grid's worker cannot see it).
        here = [held for held, path in held_here if isolation.node.path.startswith(path)]
        if not here:
            raise ValidationError({"user": "此人任职的网格不含该隔离地点，看不到这名隔离人员"})
        fitting = SIX_ROLE_HOLDERS[role]
        if not any(held in fitting for held in here):
            names = "、".join(Role(code).label for code in fitting)
            raise ValidationError({"user": f"此人不能担任{SixRole(role).label}：须为本村的{names}"})
    if resident is not None:
        if role not in SIX_RESIDENT_ROLES:
            raise ValidationError({"resident": f"{SixRole(role).label}须为有账号的工作人员"})
        if not resident.node.path.startswith(place):
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
        _check_responsible_in_place(isolation, role, user, resident)
        result, _ = Responsible.objects.update_or_create(
            isolation=isolation, role=role, defaults={"user": user, "resident": resident}
        )
        text = f"{SixRole(role).label}：{result.person_name}"
    timeline_add(isolation.key_person, TimelineKind.SIX, text, actor)
    audit_record(actor=actor, action="control.six.set", obj=isolation, fields=[role])
    return result


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
    timeline_add(
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
