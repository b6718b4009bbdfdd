"""Writes for checkpoints: the posts, rosters, check-in/out and the passer log; each audited."""

from contextlib import nullcontext
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.checkpoints.models import (
    Checkpoint,
    MemberKind,
    Outcome,
    Passer,
    PasserKind,
    Shift,
    ShiftMember,
    ShiftTemplate,
)
from frontline.checkpoints.selectors import passers_due_for_retention, templates_for
from frontline.control import public as control
from frontline.core.audit import audit_record, audited_insert
from frontline.core.closed_days import closed_day_touch
from frontline.core.idempotency import idempotent_answer, request_digest
from frontline.core.models import Node, User
from frontline.core.plates import plate_validate
from frontline.core.roles import Role
from frontline.core.scoping import require_permission_at, roles_at
from frontline.core.temperature import is_fever

# A volunteer arriving for the 06:00 shift may check in from 05:00.
EARLY_CHECK_IN = timedelta(hours=1)
# A walk-in with no roster and no template covering the hour stands for this long.
AD_HOC_SHIFT = timedelta(hours=8)

_MEMBER_KIND_BY_ROLE = {
    Role.VOLUNTEER: MemberKind.PARTY_MEMBER,
    Role.POLICE: MemberKind.POLICE,
    Role.HEALTH_WORKER: MemberKind.DOCTOR,
    Role.LEADER: MemberKind.CADRE,
    Role.VILLAGE_LEADER: MemberKind.CADRE,
    Role.CADRE: MemberKind.CADRE,
    Role.GRID_WORKER: MemberKind.CADRE,
}


@transaction.atomic
def checkpoint_create(
    *, actor: User, node: Node, name: str, kind: str, location: str = "", party_branch: str = ""
) -> Checkpoint:
    """Set up a checkpoint at a village, enterprise or town."""
    require_permission_at(actor, "checkpoints.manage", node)
    checkpoint = Checkpoint(
        node=node,
        name=name.strip(),
        kind=kind,
        location=location.strip(),
        party_branch=party_branch.strip(),
    )
    checkpoint.full_clean()
    checkpoint.save()
    audit_record(
        actor=actor,
        action="checkpoints.checkpoint.create",
        obj=checkpoint,
        fields=["node", "name", "kind", "location", "party_branch"],
    )
    return checkpoint


@transaction.atomic
def checkpoint_update(
    *,
    actor: User,
    checkpoint: Checkpoint,
    name: str,
    kind: str,
    location: str,
    party_branch: str,
    is_open: bool,
) -> Checkpoint:
    """Change a checkpoint's details, or close it (closed posts are never 'unmanned')."""
    require_permission_at(actor, "checkpoints.manage", checkpoint.node)
    changed = {
        "name": name.strip(),
        "kind": kind,
        "location": location.strip(),
        "party_branch": party_branch.strip(),
        "is_open": is_open,
    }
    fields = [key for key, value in changed.items() if getattr(checkpoint, key) != value]
    for key, value in changed.items():
        setattr(checkpoint, key, value)
    checkpoint.full_clean()
    checkpoint.save()
    audit_record(actor=actor, action="checkpoints.checkpoint.update", obj=checkpoint, fields=fields)
    return checkpoint


@transaction.atomic
def shift_template_create(
    *, actor: User, node: Node, name: str, start: time, end: time
) -> ShiftTemplate:
    """Offer a duty slot to every checkpoint under the node."""
    require_permission_at(actor, "checkpoints.manage", node)
    template = ShiftTemplate(node=node, name=name.strip(), start=start, end=end)
    template.full_clean()
    template.save()
    audit_record(
        actor=actor, action="checkpoints.template.create", obj=template, fields=["name", "start"]
    )
    return template


def shift_bounds(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """Aware start and end of a shift starting on a local day; an end not after the start
    falls on the next day (22:00–06:00)."""
    tz = timezone.get_current_timezone()
    starts_at = datetime.combine(day, start, tzinfo=tz)
    end_day = day if end > start else day + timedelta(days=1)
    return starts_at, datetime.combine(end_day, end, tzinfo=tz)


@transaction.atomic
def shift_create(
    *,
    actor: User | None,
    checkpoint: Checkpoint,
    day: date,
    start: time,
    end: time,
    template: ShiftTemplate | None = None,
) -> Shift:
    """Put a shift on a checkpoint's roster (the existing one when it starts at the same time)."""
    if actor is not None:
        require_permission_at(actor, "checkpoints.manage", checkpoint.node)
    starts_at, ends_at = shift_bounds(day, start, end)
    shift, created = Shift.objects.get_or_create(
        checkpoint=checkpoint,
        starts_at=starts_at,
        defaults={"day": day, "ends_at": ends_at, "template": template},
    )
    if created:
        audit_record(
            actor=actor,
            action="checkpoints.shift.create",
            obj=shift,
            node=checkpoint.node,
            fields=["day", "starts_at", "ends_at"],
        )
    return shift


@transaction.atomic
def shift_member_add(
    *, actor: User | None, shift: Shift, user: User | None = None, name: str = "", kind: str = ""
) -> ShiftMember:
    """Put a user, or a named volunteer without an account, on a shift."""
    if actor is not None:
        require_permission_at(actor, "checkpoints.manage", shift.checkpoint.node)
    if user is None and not name.strip():
        raise ValidationError({"name": "请选择账号或填写姓名"})
    if user is not None:
        member = shift.members.filter(user=user).first()
        if member is not None:
            return member
    member = ShiftMember(
        shift=shift,
        user=user,
        name="" if user else name.strip(),
        kind=kind or _member_kind(user, shift.checkpoint.node),
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="checkpoints.shift_member.add",
        obj=member,
        node=shift.checkpoint.node,
        fields=["user", "name", "kind"],
    )
    return member


@transaction.atomic
def shift_member_remove(*, actor: User, member: ShiftMember) -> None:
    """Take a person off a shift (only before they checked in: the record of duty stays)."""
    node = member.shift.checkpoint.node
    require_permission_at(actor, "checkpoints.manage", node)
    if member.checked_in_at is not None:
        raise ValidationError("已签到的人员不能移出班次")
    pk = member.pk
    member.delete()
    audit_record(
        actor=actor,
        action="checkpoints.shift_member.remove",
        node=node,
        object_type="checkpoints.shiftmember",
        object_id=pk,
        fields=["user", "name"],
    )


def _member_kind(user: User | None, node: Node) -> str:
    if user is None:
        return MemberKind.VOLUNTEER
    for role in roles_at(user, node):
        if role in _MEMBER_KIND_BY_ROLE:
            return _MEMBER_KIND_BY_ROLE[role]
    return MemberKind.OTHER


def _shift_for_check_in(checkpoint: Checkpoint, actor: User, now: datetime) -> Shift:
    """The shift covering `now` (the actor's own first), else one made from a template
    covering `now`, else a walk-in shift of AD_HOC_SHIFT."""
    covering = list(
        Shift.objects.filter(
            checkpoint=checkpoint, starts_at__lte=now + EARLY_CHECK_IN, ends_at__gt=now
        ).order_by("starts_at")
    )
    mine = [s for s in covering if s.members.filter(user=actor).exists()]
    if mine or covering:
        return (mine or covering)[0]
    today = timezone.localdate(now)
    for template in templates_for(checkpoint):
        # Yesterday's night shift may still be running after midnight.
        for day in (today, today - timedelta(days=1)):
            starts_at, ends_at = shift_bounds(day, template.start, template.end)
            if starts_at - EARLY_CHECK_IN <= now < ends_at:
                return shift_create(
                    actor=None,
                    checkpoint=checkpoint,
                    day=day,
                    start=template.start,
                    end=template.end,
                    template=template,
                )
    start = now.replace(second=0, microsecond=0)
    shift, _ = Shift.objects.get_or_create(
        checkpoint=checkpoint,
        starts_at=start,
        defaults={"day": timezone.localdate(start), "ends_at": start + AD_HOC_SHIFT},
    )
    return shift


@transaction.atomic
def duty_check_in(
    *, actor: User, checkpoint: Checkpoint, at: datetime | None = None
) -> ShiftMember:
    """Check the actor in at a checkpoint, on the shift covering now (made if none is
    rostered), and out of any other checkpoint they were still checked in at."""
    require_permission_at(actor, "checkpoints.duty", checkpoint.node)
    if not checkpoint.is_open:
        raise ValidationError("该卡口已关闭，无需签到")
    now = at or timezone.now()
    current = (
        ShiftMember.objects.filter(
            shift__checkpoint=checkpoint,
            user=actor,
            checked_in_at__isnull=False,
            checked_out_at__isnull=True,
            shift__ends_at__gt=now,
        )
        .select_related("shift")
        .first()
    )
    if current is not None:
        return current
    # One post at a time: moving to this checkpoint leaves the other one, so the
    # other shows as unmanned unless someone else stands there.
    elsewhere = ShiftMember.objects.filter(
        user=actor, checked_in_at__isnull=False, checked_out_at__isnull=True
    ).exclude(shift__checkpoint=checkpoint)
    for member in elsewhere.select_related("shift__checkpoint__node"):
        member.checked_out_at = now
        member.save(update_fields=["checked_out_at"])
        audit_record(
            actor=actor,
            action="checkpoints.duty.check_out",
            obj=member,
            node=member.shift.checkpoint.node,
            fields=["checked_out_at"],
        )
    shift = _shift_for_check_in(checkpoint, actor, now)
    member = shift_member_add(actor=None, shift=shift, user=actor)
    member.checked_in_at = member.checked_in_at or now
    member.checked_out_at = None
    member.save(update_fields=["checked_in_at", "checked_out_at"])
    audit_record(
        actor=actor,
        action="checkpoints.duty.check_in",
        obj=member,
        node=checkpoint.node,
        fields=["checked_in_at"],
    )
    return member


@transaction.atomic
def duty_check_out(
    *, actor: User, checkpoint: Checkpoint, at: datetime | None = None
) -> ShiftMember:
    """Check the actor out of the checkpoint where they are on duty."""
    require_permission_at(actor, "checkpoints.duty", checkpoint.node)
    now = at or timezone.now()
    member = (
        ShiftMember.objects.select_for_update()
        .filter(
            shift__checkpoint=checkpoint,
            user=actor,
            checked_in_at__isnull=False,
            checked_out_at__isnull=True,
        )
        .order_by("-checked_in_at")
        .first()
    )
    if member is None:
        raise ValidationError("您没有在这个卡口签到")
    member.checked_out_at = now
    member.save(update_fields=["checked_out_at"])
    audit_record(
        actor=actor,
        action="checkpoints.duty.check_out",
        obj=member,
        node=checkpoint.node,
        fields=["checked_out_at"],
    )
    return member


def _handover_reason(temperature: Decimal | None, fever: bool, note: str) -> str:
    if note.strip():
        return note.strip()
    if fever:
        return f"卡口测温 {temperature}°C，发热"
    return "卡口转交"


def passer_log(
    *,
    actor: User,
    checkpoint: Checkpoint,
    idempotency_key: str,
    kind: str,
    outcome: str,
    plate: str = "",
    people: int = 1,
    direction: str = "in",
    origin: str = "",
    destination: str = "",
    temperature: Decimal | None = None,
    note: str = "",
    name: str = "",
    at: datetime | None = None,
) -> tuple[Passer, bool]:
    """Log one person or vehicle at a checkpoint; a hand-over also creates the referral.

    Returns (passer, created). The same user's idempotency key, sent twice or at once
    from two connections, stores one passer and one referral: the insert is tried first
    and the unique key answers a repeat with the stored passer (no look-up query on the
    common path of a new entry); the same key with another body is IdempotencyConflict.
    """
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": "缺少请求编号（idempotency_key）"})
    require_permission_at(actor, "checkpoints.duty", checkpoint.node)
    if not checkpoint.is_open:
        raise ValidationError("该卡口已关闭，不能登记")
    if kind == PasserKind.VEHICLE:
        try:
            plate = plate_validate(plate)
        except ValidationError as error:
            raise ValidationError({"plate": error.messages}) from None
    else:
        plate = ""
    fever = is_fever(temperature)
    if fever and outcome == Outcome.PASS:
        raise ValidationError(
            {"outcome": f"体温 {temperature}°C 为发热，不能直接放行，请选择劝返或转重点人员"}
        )
    digest = request_digest(
        checkpoint=checkpoint.pk,
        kind=kind,
        outcome=outcome,
        plate=plate,
        people=people,
        direction=direction,
        origin=origin.strip(),
        destination=destination.strip(),
        temperature=temperature,
        note=note.strip(),
        name=name.strip(),
    )
    now = at or timezone.now()
    passer = Passer(
        checkpoint=checkpoint,
        day=timezone.localdate(now),
        kind=kind,
        plate=plate,
        people=people,
        direction=direction,
        origin=origin.strip(),
        destination=destination.strip(),
        temperature=temperature,
        is_fever=fever,
        outcome=outcome,
        note=note.strip(),
        logged_by=actor,
        logged_at=now,
        idempotency_key=key,
        request_digest=digest,
    )
    # The busiest write of the app: the unique key is the database's job (see the
    # IntegrityError below), and the checkpoint and user are rows already in hand, so
    # Django's existence queries for them are skipped.
    passer.full_clean(
        exclude=["checkpoint", "logged_by"], validate_unique=False, validate_constraints=False
    )
    if passer.people < 1:
        raise ValidationError({"people": "人数至少为 1"})
    # Every read and check above runs before the write: on SQLite the write lock is
    # held only for the inserts, so concurrent phones queue briefly. An entry is its
    # insert and its audit row alone (one statement on PostgreSQL); a hand-over also
    # opens a referral in the same transaction.
    handed_over = outcome == Outcome.HANDED_OVER
    # An entry replayed from an offline phone after midnight updates that day's figures.
    late = passer.day < timezone.localdate()
    try:
        with transaction.atomic() if (handed_over or late) else nullcontext():
            audited_insert(
                passer,
                actor=actor,
                action="checkpoints.passer.create",
                node=checkpoint.node,
                fields=["kind", "plate", "origin", "destination", "temperature", "outcome"],
            )
            if late:
                closed_day_touch(checkpoint.node, passer.day)
            if handed_over:
                control.referral_open(
                    actor=actor,
                    node=checkpoint.node,
                    source_kind=control.ReferralSource.CHECKPOINT,
                    source_id=passer.pk,
                    source_place=checkpoint.name,
                    name=name.strip() or f"姓名待补（{plate or '行人'}）",
                    origin=passer.origin,
                    temperature=temperature,
                    reason=_handover_reason(temperature, fever, note),
                )
    except IntegrityError:
        # A repeat, or the same key committed first by another transaction: the
        # stored passer is the answer.
        stored = Passer.objects.filter(logged_by=actor, idempotency_key=key).first()
        if stored is None:
            raise
        return idempotent_answer(stored, digest), False
    return passer, True


@transaction.atomic
def passers_anonymise(*, cutoff: date) -> int:
    """Retention (core/retention.py audits the run): passers logged before the cutoff lose
    their plate, origin, destination and note; kind, people, direction, temperature and
    outcome stay, so every day's counts and the dashboard read the same."""
    return passers_due_for_retention(cutoff).update(plate="", origin="", destination="", note="")
