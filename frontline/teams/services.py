"""Writes for teams: kinds, teams, members, vehicles and activity logs; each audited."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.checkpoints import public as checkpoints
from frontline.core.audit import audit_record
from frontline.core.idempotency import IdempotencyConflict, request_digest
from frontline.core.models import Node, User
from frontline.core.plates import plate_validate
from frontline.core.scoping import require_permission_at, user_can
from frontline.teams.models import Activity, ActivityKind, Team, TeamKind, TeamMember, Vehicle

# An activity is logged the same day or within this many days after (a phone offline).
LATE_DAYS = 30
LOG_REFUSED = "只能为自己所在的队伍登记活动；其他队伍的活动请该队队员或村干部登记"


@transaction.atomic
def kind_create(*, actor: User, code: str, name: str, sort_order: int = 100) -> TeamKind:
    """Add a kind of team to the list every village uses."""
    require_permission_at(actor, "teams.kinds", None)
    kind = TeamKind(code=code.strip(), name=name.strip(), sort_order=sort_order)
    kind.full_clean()
    kind.save()
    audit_record(actor=actor, action="teams.kind.create", obj=kind, fields=["code", "name"])
    return kind


@transaction.atomic
def team_create(*, actor: User | None, node: Node, kind: TeamKind, name: str) -> Team:
    """Set up a team at a node."""
    if actor is not None:
        require_permission_at(actor, "teams.manage", node)
    team = Team(node=node, kind=kind, name=name.strip())
    team.full_clean()
    team.save()
    audit_record(actor=actor, action="teams.team.create", obj=team, fields=["node", "kind", "name"])
    return team


@transaction.atomic
def member_add(
    *,
    actor: User | None,
    team: Team,
    resident=None,
    user: User | None = None,
    is_leader: bool = False,
) -> TeamMember:
    """Put a resident or a user in a team; a new leader takes the place of the old one."""
    if actor is not None:
        require_permission_at(actor, "teams.manage", team.node)
    if (resident is None) == (user is None):
        raise ValidationError({"resident": "请选择一名居民或一个账号（二选一）"})
    member = TeamMember(team=team, resident=resident, user=user, is_leader=is_leader)
    try:
        member.full_clean(exclude=["team", "resident", "user"])
        member.validate_constraints()
    except ValidationError as error:
        field = "user" if user is not None else "resident"
        raise ValidationError({field: error.messages}) from None
    if is_leader:
        TeamMember.objects.filter(team=team, is_leader=True).update(is_leader=False)
    member.save()
    audit_record(
        actor=actor,
        action="teams.member.add",
        obj=member,
        node=team.node,
        fields=["resident" if resident else "user", "is_leader"],
    )
    return member


@transaction.atomic
def vehicle_add(*, actor: User, team: Team, plate: str, note: str = "") -> Vehicle:
    """Register a team's vehicle by its plate (the one plate rule of core/plates.py)."""
    require_permission_at(actor, "teams.manage", team.node)
    try:
        plate = plate_validate(plate)
    except ValidationError as error:
        raise ValidationError({"plate": error.messages}) from None
    vehicle = Vehicle(team=team, plate=plate, note=note.strip())
    try:
        vehicle.full_clean(exclude=["team"])
    except ValidationError as error:
        # The page shows the refusal on one line above its form: the note's own error says
        # it is the note's; the rest (a plate twice in the team) are the plate's.
        notes = error.message_dict.get("note", [])
        if notes:
            label = Vehicle._meta.get_field("note").verbose_name
            raise ValidationError({"note": [f"{label}：{m}" for m in notes]}) from None
        raise ValidationError({"plate": error.messages}) from None
    vehicle.save()
    audit_record(
        actor=actor, action="teams.vehicle.add", obj=vehicle, node=team.node, fields=["plate"]
    )
    return vehicle


def activity_log(
    *,
    actor: User,
    team: Team,
    kind: str,
    idempotency_key: str,
    participants: list[TeamMember],
    day: date | None = None,
    hours: Decimal | None = None,
    area: str = "",
    gatherings_dispersed: int = 0,
    persuaded_home: int = 0,
    villages_covered: str = "",
    minutes: int = 0,
    households: int = 0,
    note: str = "",
    shift_id: int | None = None,
) -> tuple[Activity, bool]:
    """Log one outing of a team; every participant is credited its hours. A loudspeaker
    route without hours counts its minutes; checkpoint duty is an existing checkpoint
    shift, whose day, hours and place it takes. Returns (activity, created): the same key
    from the same user returns the stored activity, and with a different body is refused."""
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": "缺少请求编号（idempotency_key）"})
    today = timezone.localdate()
    if kind == ActivityKind.CHECKPOINT_DUTY:
        shift = checkpoints.shift_facts(shift_id) if shift_id is not None else None
        if shift is None or not user_can(actor, "teams.log", shift.node):
            raise ValidationError({"shift_id": "卡口值守请选择所值守的卡口班次"})
        # The shift says when, how long and where: nothing of it is typed again.
        day, hours, area = shift.day, shift.hours, shift.checkpoint
    elif shift_id is not None:
        raise ValidationError({"shift_id": "只有卡口值守才关联卡口班次"})
    day = day or today
    if hours is None and kind == ActivityKind.LOUDSPEAKER and minutes:
        hours = (Decimal(minutes) / 60).quantize(Decimal("0.1")) or Decimal("0.1")
    fingerprint = request_digest(
        team=team.pk,
        kind=kind,
        day=day,
        hours=hours,
        people=sorted(m.pk for m in participants),
        area=area.strip(),
        counts=[gatherings_dispersed, persuaded_home, minutes, households],
        villages=villages_covered.strip(),
        note=note.strip(),
        # Only duty names a shift: the digests of the other kinds stay as they were.
        **({"shift": shift_id} if shift_id is not None else {}),
    )[:32]  # the column keeps 32 hex digits: plenty to tell two bodies apart
    stored = Activity.objects.filter(created_by=actor, idempotency_key=key).first()
    if stored is not None:
        if stored.fingerprint != fingerprint:
            raise IdempotencyConflict()
        return stored, False
    _require_can_log(actor, team)
    if hours is None:
        raise ValidationError({"hours": "请填写时长（小时）"})
    if day > today or day < today - timedelta(days=LATE_DAYS):
        raise ValidationError({"day": f"日期须在今天和 {LATE_DAYS} 天前之间"})
    if not participants:
        raise ValidationError({"member_ids": "请选择参加的队员"})
    if any(m.team_id != team.pk for m in participants):
        raise ValidationError({"member_ids": "只能选择本队队员"})
    activity = Activity(
        team=team,
        kind=kind,
        day=day,
        hours=hours,
        area=area.strip(),
        gatherings_dispersed=gatherings_dispersed,
        persuaded_home=persuaded_home,
        villages_covered=villages_covered.strip(),
        minutes=minutes,
        households=households,
        shift_id=shift_id,
        note=note.strip(),
        created_by=actor,
        idempotency_key=key,
        fingerprint=fingerprint,
    )
    activity.full_clean(exclude=["team", "created_by", "shift"], validate_unique=False)
    if shift_id is not None and Activity.objects.filter(team=team, shift_id=shift_id).exists():
        raise ValidationError({"shift_id": "这支队伍已登记过这个班次的值守"})
    try:
        with transaction.atomic():
            activity.save(force_insert=True)
            activity.participants.set(participants)
            audit_record(
                actor=actor,
                action="teams.activity.create",
                obj=activity,
                node=team.node,
                fields=["kind", "day", "hours", "participants"],
            )
    except IntegrityError:
        stored = Activity.objects.filter(created_by=actor, idempotency_key=key).first()
        if stored is None and shift_id is not None:
            # Two phones logging the same shift for the team at once: one is stored.
            raise ValidationError({"shift_id": "这支队伍已登记过这个班次的值守"}) from None
        if stored is None:
            raise
        if stored.fingerprint != fingerprint:
            raise IdempotencyConflict() from None
        return stored, False
    return activity, True


def can_log(user: User, team: Team) -> bool:
    """Whether the user may log this team's outings: whoever manages the teams of its place
    logs for any of them; a volunteer or a grid worker only for a team they are in, so that
    nobody credits hours to a team they never went out with."""
    if not user_can(user, "teams.log", team.node):
        return False
    if user_can(user, "teams.manage", team.node):
        return True
    return TeamMember.objects.filter(team=team, user=user).exists()


def _require_can_log(actor: User, team: Team) -> None:
    require_permission_at(actor, "teams.log", team.node)
    if not can_log(actor, team):
        raise PermissionDenied(LOG_REFUSED)
