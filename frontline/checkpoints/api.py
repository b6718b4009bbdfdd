"""API for checkpoints: the list, unmanned now, check-in/out, the passer log and day figures."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from frontline.checkpoints import selectors, services
from frontline.checkpoints.models import (
    PEOPLE_MAX,
    Checkpoint,
    Outcome,
    Passer,
    Shift,
    ShiftMember,
)
from frontline.control import public as control
from frontline.core.audit import audit_read
from frontline.core.limits import Choice, IdempotencyKey, Temperature, Text
from frontline.core.scoping import get_by_pk_in_scope_or_404, get_visible_or_404
from frontline.core.temperature import temperature_parse

router = Router(tags=["卡口"])

PassersPeople = Annotated[int, Field(ge=1, le=PEOPLE_MAX)]


class CheckpointOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    node_id: int
    node_name: str
    location: str
    party_branch: str
    is_open: bool
    manned: bool

    @staticmethod
    def resolve_kind_label(obj: Checkpoint) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_node_name(obj: Checkpoint) -> str:
        return obj.node.name


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Times leave the API in Asia/Shanghai (+08:00), as people read them."""
    return timezone.localtime(value) if value else None


class PasserIn(Schema):
    kind: Choice = "person"
    plate: Text(20) = ""  # as typed ("苏G 12345"); normalised to at most 10
    people: PassersPeople = 1
    direction: Choice = "in"
    origin: Text(100) = ""
    destination: Text(100) = ""
    # A number or what was typed ("36.5℃", "３６．５"); the server parses it.
    temperature: Temperature | None = None
    outcome: Choice
    note: Text(200) = ""
    name: Text(50) = ""
    idempotency_key: IdempotencyKey


class PasserOut(Schema):
    id: int
    checkpoint_id: int
    day: dt.date
    kind: str
    plate: str
    people: int
    direction: str
    origin: str
    destination: str
    temperature: Decimal | None
    is_fever: bool
    outcome: str
    outcome_label: str
    note: str
    logged_at: dt.datetime
    idempotency_key: str
    referral_id: int | None

    @staticmethod
    def resolve_outcome_label(obj: Passer) -> str:
        return obj.get_outcome_display()

    @staticmethod
    def resolve_logged_at(obj: Passer) -> dt.datetime:
        return _local(obj.logged_at)

    @staticmethod
    def resolve_referral_id(obj: Passer) -> int | None:
        # Only a hand-over has a referral: spare the query for every other entry. A list
        # brings the id along (passers_of_day_with_referrals); a single entry asks for it.
        if obj.outcome != Outcome.HANDED_OVER:
            return None
        if hasattr(obj, "referral_id"):
            return obj.referral_id
        found = control.referrals_of_source(control.ReferralSource.CHECKPOINT, obj.pk)
        return found[0].pk if found else None


class _CheckInTimes(Schema):
    """A shift member's check-in and check-out, in local time."""

    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None

    @staticmethod
    def resolve_checked_in_at(obj: ShiftMember) -> dt.datetime | None:
        return _local(obj.checked_in_at)

    @staticmethod
    def resolve_checked_out_at(obj: ShiftMember) -> dt.datetime | None:
        return _local(obj.checked_out_at)


class MemberOut(_CheckInTimes):
    id: int
    name: str
    kind: str
    kind_label: str
    user_id: int | None
    on_duty: bool

    @staticmethod
    def resolve_name(obj: ShiftMember) -> str:
        return obj.display_name

    @staticmethod
    def resolve_kind_label(obj: ShiftMember) -> str:
        return obj.get_kind_display()


class ShiftOut(Schema):
    id: int
    day: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    template_name: str
    members: list[MemberOut]

    @staticmethod
    def resolve_starts_at(obj: Shift) -> dt.datetime:
        return _local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Shift) -> dt.datetime:
        return _local(obj.ends_at)

    @staticmethod
    def resolve_template_name(obj: Shift) -> str:
        return obj.template.name if obj.template_id else ""

    @staticmethod
    def resolve_members(obj: Shift) -> list:
        return list(obj.members.all())


class DutyOut(_CheckInTimes):
    checkpoint_id: int
    shift_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime

    @staticmethod
    def resolve_checkpoint_id(obj: ShiftMember) -> int:
        return obj.shift.checkpoint_id

    @staticmethod
    def resolve_starts_at(obj: ShiftMember) -> dt.datetime:
        return _local(obj.shift.starts_at)

    @staticmethod
    def resolve_ends_at(obj: ShiftMember) -> dt.datetime:
        return _local(obj.shift.ends_at)


class StatsOut(Schema):
    checkpoint_id: int
    checkpoint_name: str
    node_name: str
    date: dt.date
    entries: int
    people: int
    vehicles: int
    fevers: int
    turned_back: int
    handed_over: int


def _stats_out(checkpoint: Checkpoint, day: dt.date, stats: selectors.DayStats) -> dict:
    return {
        "checkpoint_id": checkpoint.pk,
        "checkpoint_name": checkpoint.name,
        "node_name": checkpoint.node.name,
        "date": day,
        **stats.__dict__,
    }


def _visible(request: HttpRequest, checkpoint_id: int, permission: str) -> Checkpoint:
    return get_visible_or_404(selectors.checkpoints_for(request.user, permission), pk=checkpoint_id)


@router.get("", response=list[CheckpointOut], summary="可见的卡口（含当前是否有人值守）")
@paginate
def checkpoints_list(request: HttpRequest, open_only: bool = False):
    qs = selectors.with_manned(selectors.checkpoints_for(request.user))
    if open_only:
        qs = qs.filter(is_open=True)
    return qs.order_by("node__path", "name")


@router.get("unmanned", response=list[CheckpointOut], summary="此刻无人值守的卡口")
def checkpoints_unmanned(request: HttpRequest):
    return selectors.checkpoints_unmanned_now(request.user)


@router.get("summary", response=list[StatsOut], summary="各卡口当日通行统计")
def checkpoints_summary(request: HttpRequest, date: dt.date | None = None):
    day = date or timezone.localdate()
    rows, _ = selectors.town_summary(request.user, day)
    return [_stats_out(row.checkpoint, day, row.stats) for row in rows]


@router.get("{int:checkpoint_id}", response=CheckpointOut, summary="一个卡口")
def checkpoints_detail(request: HttpRequest, checkpoint_id: int):
    return get_visible_or_404(
        selectors.with_manned(selectors.checkpoints_for(request.user)), pk=checkpoint_id
    )


@router.post(
    "{int:checkpoint_id}/passers",
    response={200: PasserOut, 201: PasserOut},
    summary="登记一名通行人员或一辆车（同一 idempotency_key 只记一次）",
)
def checkpoints_passer_log(request: HttpRequest, checkpoint_id: int, payload: PasserIn):
    # The busiest write of the app: a primary-key fetch, the scope checked in Python.
    checkpoint = get_by_pk_in_scope_or_404(
        Checkpoint, request.user, "checkpoints.duty", checkpoint_id
    )
    data = payload.dict()
    raw = data.pop("temperature")
    temperature = None if raw in (None, "") else temperature_parse(raw)
    passer, created = services.passer_log(
        actor=request.user, checkpoint=checkpoint, temperature=temperature, **data
    )
    return Status(201 if created else 200, passer)


@router.get(
    "{int:checkpoint_id}/passers",
    response=list[PasserOut],
    summary="某日的通行登记（读取留审计）",
)
@paginate
def checkpoints_passers(request: HttpRequest, checkpoint_id: int, date: dt.date | None = None):
    checkpoint = _visible(request, checkpoint_id, "checkpoints.view")
    day = date or timezone.localdate()
    # Temperatures and travel are health records: every read is logged (SECURITY 7).
    audit_read(actor=request.user, action="checkpoints.passer.list", obj=checkpoint)
    return selectors.passers_of_day_with_referrals(checkpoint, day)


@router.get("{int:checkpoint_id}/stats", response=StatsOut, summary="一个卡口某日的统计")
def checkpoints_stats(request: HttpRequest, checkpoint_id: int, date: dt.date | None = None):
    checkpoint = _visible(request, checkpoint_id, "checkpoints.view")
    day = date or timezone.localdate()
    return _stats_out(checkpoint, day, selectors.day_stats([checkpoint.pk], day)[checkpoint.pk])


@router.get(
    "{int:checkpoint_id}/shifts",
    response=list[ShiftOut],
    summary="某日排班：班次和在岗人员（夜班算在开始那天）",
)
def checkpoints_shifts(request: HttpRequest, checkpoint_id: int, date: dt.date | None = None):
    checkpoint = _visible(request, checkpoint_id, "checkpoints.view")
    day = date or timezone.localdate()
    return list(selectors.shifts_of_day(checkpoint, day).select_related("template"))


@router.post("{int:checkpoint_id}/check-in", response=DutyOut, summary="在卡口签到上岗")
def checkpoints_check_in(request: HttpRequest, checkpoint_id: int):
    checkpoint = _visible(request, checkpoint_id, "checkpoints.duty")
    return services.duty_check_in(actor=request.user, checkpoint=checkpoint)


@router.post("{int:checkpoint_id}/check-out", response=DutyOut, summary="在卡口签退下岗")
def checkpoints_check_out(request: HttpRequest, checkpoint_id: int):
    checkpoint = _visible(request, checkpoint_id, "checkpoints.duty")
    return services.duty_check_out(actor=request.user, checkpoint=checkpoint)
