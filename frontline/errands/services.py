"""Writes for errands: enrol a household, ask, claim, buy, deliver, confirm, settle,
cancel; the household's QR token; the daily 送餐. Each one transaction, each audited.

Every state change locks the errand's row (or, for a claim, is one conditional UPDATE)
and checks the state it starts from, so two phones acting at once never both succeed
and a refused step writes nothing.
"""

import hashlib
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.control import public as control
from frontline.core.audit import audit_record, audited_update
from frontline.core.models import User
from frontline.core.personal_data import encrypt, encrypt_bytes
from frontline.core.scoping import path_filter, require_permission_at
from frontline.core.uploads import image_media_type
from frontline.errands import selectors
from frontline.errands.models import (
    RECEIPT_MAX_BYTES,
    UNFINISHED,
    Errand,
    ErrandHousehold,
    ErrandKind,
    ErrandLine,
    LineCategory,
    MealSeries,
    Settlement,
    Status,
)
from frontline.people import public as people
from frontline.teams import public as teams

TOKEN_SALT = "frontline.errands.household"


# The 五送 kinds (control's seed) an errand is logged under.
FIVE_SERVICES_KIND = {ErrandKind.SHOPPING: "代购", ErrandKind.MEAL: "送餐"}


class KeyReused(Exception):
    """The same idempotency key came back with a different request (the API answers 409)."""


# ---------------------------------------------------------------- households and tokens


@transaction.atomic
def household_enroll(*, actor: User, resident) -> ErrandHousehold:
    """Let a resident's household ask for errands (the one already enrolled, if any)."""
    village = people.village_of(resident.node)
    if village is None:
        raise ValidationError({"resident": "只有村/社区的居民可以登记跑腿服务"})
    require_permission_at(actor, "errands.manage", village)
    household, created = ErrandHousehold.objects.get_or_create(
        resident=resident, defaults={"node": village}
    )
    if created:
        audit_record(
            actor=actor, action="errands.household.create", obj=household, fields=["resident"]
        )
    return household


def household_token(household: ErrandHousehold) -> str:
    """The opaque token of the household's QR code: signed, naming the household and the
    version of its codes; nothing personal."""
    return signing.dumps([household.pk, household.token_version], salt=TOKEN_SALT, compress=True)


def household_from_token(token: str) -> ErrandHousehold:
    """The household a token opens, or a Chinese refusal: forged, or revoked (reprinted)."""
    try:
        pk, version = signing.loads(token or "", salt=TOKEN_SALT)
        household = ErrandHousehold.objects.select_related("node").get(pk=int(pk))
    except (signing.BadSignature, ValueError, TypeError, ErrandHousehold.DoesNotExist):
        raise ValidationError("二维码无效：请向村干部索取本户的二维码") from None
    if version != household.token_version:
        raise ValidationError("二维码已作废：村干部已重新打印本户的二维码，请扫描新的二维码")
    return household


@transaction.atomic
def household_token_renew(*, actor: User, household: ErrandHousehold) -> ErrandHousehold:
    """Revoke every printed code of the household: a new one must be printed."""
    require_permission_at(actor, "errands.manage", household.node)
    household = ErrandHousehold.objects.select_for_update().get(pk=household.pk)
    household.token_version += 1
    household.save(update_fields=["token_version"])
    audit_record(
        actor=actor, action="errands.household.renew", obj=household, fields=["token_version"]
    )
    return household


# ---------------------------------------------------------------- asking


def _lines_clean(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = [(category, (text or "").strip()) for category, text in lines]
    cleaned = [(category, text) for category, text in cleaned if text]
    for category, _ in cleaned:
        if category not in LineCategory.values:
            raise ValidationError({"lines": f"未知的类别“{category}”"})
    if len(cleaned) > 20:
        raise ValidationError({"lines": "一次最多 20 行"})
    return cleaned


def _digest(**request) -> str:
    return hashlib.sha256(json.dumps(request, default=str, sort_keys=True).encode()).hexdigest()


def _stored(actor: User | None, household: ErrandHousehold, key: str) -> Errand | None:
    """The errand stored under a key: a user's keys are theirs alone; a household page's
    belong to that household."""
    if actor is not None:
        return Errand.objects.filter(created_by=actor, idempotency_key=key).first()
    return Errand.objects.filter(
        created_by__isnull=True, household=household, idempotency_key=key
    ).first()


@transaction.atomic
def errand_create(
    *,
    actor: User | None,
    household: ErrandHousehold,
    lines: list[tuple[str, str]],
    budget: Decimal,
    deliver_by: datetime,
    kind: str = ErrandKind.SHOPPING,
    note: str = "",
    idempotency_key: str | None = None,
    series: MealSeries | None = None,
) -> tuple[Errand, bool]:
    """A household asks (actor None: its own QR page) or a cadre asks for it.

    Returns (errand, created). The same user's key seen before answers the stored errand;
    the same key with a different request raises KeyReused.
    """
    if actor is not None:
        require_permission_at(actor, "errands.manage", household.node)
    lines = _lines_clean(lines)
    if not lines and kind == ErrandKind.SHOPPING:
        raise ValidationError({"lines": "请至少填写一项要买的东西"})
    key = (idempotency_key or "").strip() or None
    digest = _digest(
        household=household.pk,
        lines=lines,
        budget=Decimal(budget).quantize(Decimal("0.01")),
        deliver_by=deliver_by.astimezone(UTC).isoformat(),
        kind=kind,
        note=note.strip(),
    )
    if key:
        stored = _stored(actor, household, key)
        if stored is not None:
            if stored.request_digest != digest:
                raise KeyReused("这个请求编号已用于另一条跑腿请求")
            return stored, False
    if deliver_by <= timezone.now() and series is None:
        raise ValidationError({"deliver_by": "最晚送达时间须晚于现在"})
    errand = Errand(
        node=household.node,
        household=household,
        kind=kind,
        budget=budget,
        deliver_by=deliver_by,
        address_cipher=encrypt(household.resident.address) if household.resident.address else "",
        note=note.strip(),
        series=series,
        day=timezone.localdate(deliver_by),
        created_by=actor,
        idempotency_key=key,
        request_digest=digest,
    )
    errand.full_clean(exclude=["node", "household", "created_by", "series"])
    try:
        with transaction.atomic():
            errand.save()
    except IntegrityError:
        # Two phones sent the same key at once: the other one stored it.
        stored = _stored(actor, household, key) if key else None
        if stored is None:
            raise
        if stored.request_digest != digest:
            raise KeyReused("这个请求编号已用于另一条跑腿请求") from None
        return stored, False
    for category, text in lines:
        line = ErrandLine(errand=errand, category=category, text=text)
        line.full_clean(exclude=["errand"])
        line.save()
    audit_record(
        actor=actor,
        action="errands.errand.create",
        obj=errand,
        fields=["kind", "lines", "budget", "deliver_by", "note"],
    )
    return errand, True


# ---------------------------------------------------------------- the steps


def _locked(errand: Errand) -> Errand:
    """The errand's row, locked until the transaction ends, as it is now."""
    return Errand.objects.select_for_update().select_related("node").get(pk=errand.pk)


def _refuse_state(errand: Errand, doing: str) -> ValidationError:
    return ValidationError({"status": f"这条跑腿目前“{errand.get_status_display()}”，不能{doing}"})


def _claimer_name(errand: Errand) -> str:
    """Who has the errand: the volunteer, and the vehicle they claimed it for."""
    who = str(errand.claimed_by) if errand.claimed_by_id else "其他志愿者"
    return f"{who}（{errand.claimed_team.name}）" if errand.claimed_team_id else who


def _claimer_only(actor: User, errand: Errand, doing: str) -> None:
    if not selectors.is_crew(actor, errand):
        if errand.claimed_team_id:
            raise ValidationError(
                {"status": f"这条跑腿由 {_claimer_name(errand)}认领，只有同车队员可以{doing}"}
            )
        who = errand.claimed_by or "其他志愿者"
        raise ValidationError({"status": f"这条跑腿由 {who} 认领，只有认领人可以{doing}"})


def vehicle_of(actor: User, team_id: int | None):
    """The 党员代购车 (by id) the actor may claim for: one they are in, or a Chinese
    refusal on "team" that says nothing of whose vehicle the id is."""
    if team_id is None:
        return None
    team = teams.purchase_vehicles_of(actor).filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"team": "只能为您所在的党员代购车认领，请重新选择代购车"})
    return team


def errand_claim(*, actor: User, errand: Errand, team=None) -> Errand:
    """Claim a waiting errand, for oneself or for a 党员代购车 one is in. Exactly one claim
    wins: the change and its audit row are one conditional UPDATE (`audited_update`: one
    statement on PostgreSQL, one transaction elsewhere; the row lock is held for nothing
    else), so a second phone at the same moment finds it taken and is told by whom.

    An errand already taken when it was read (with its claimer) is refused from that
    row: most phones of a race arrive after the winner and write nothing."""
    require_permission_at(actor, "errands.claim", errand.node)
    if team is not None:
        team = vehicle_of(actor, team.pk)
        if not errand.node.path.startswith(team.node.path):
            raise ValidationError({"team": f"“{team.name}”不为{errand.node.name}代购"})
    if errand.status != Status.SUBMITTED:
        raise _claim_refusal(actor, errand)  # a claim never goes back to 待认领
    now = timezone.now()
    won = audited_update(
        Errand,
        match={"pk": errand.pk, "status": Status.SUBMITTED},
        values={
            "status": Status.CLAIMED,
            "claimed_by": actor,
            "claimed_team": team,
            "claimed_at": now,
        },
        actor=actor,
        action="errands.errand.claim",
        obj=errand,
        fields=["claimed_by", "claimed_team"] if team is not None else ["claimed_by"],
    )
    if not won:
        # Another phone's claim committed first: who holds it now.
        current = Errand.objects.select_related("claimed_by", "claimed_team", "node")
        raise _claim_refusal(actor, current.get(pk=errand.pk))
    # The row is what was fetched, now claimed: no read-back on the hot path.
    errand.status, errand.claimed_by, errand.claimed_team = Status.CLAIMED, actor, team
    errand.claimed_at = now
    return errand


def _claim_refusal(actor: User, errand: Errand) -> ValidationError:
    """Why a claim of an errand in this state is refused: whose it is, or its state."""
    if errand.claimed_by_id == actor.pk:
        return ValidationError({"status": "您已认领这条跑腿"})
    if errand.claimed_by_id is not None and errand.status in UNFINISHED:
        gap = "" if errand.claimed_team_id else " "  # no space after a （…）
        return ValidationError({"status": f"已被 {_claimer_name(errand)}{gap}认领，请看看其他请求"})
    return _refuse_state(errand, "认领")


@transaction.atomic
def errand_bought(
    *,
    actor: User,
    errand: Errand,
    actual_cost: Decimal,
    receipt: bytes | None = None,
) -> Errand:
    """The claimer bought the items: the actual cost, and the receipt's photo if taken."""
    errand = _locked(errand)
    if errand.status != Status.CLAIMED:
        raise _refuse_state(errand, "登记购买")
    _claimer_only(actor, errand, "登记购买")
    if receipt:
        receipt_type = image_media_type(receipt)
        if not receipt_type:
            raise ValidationError({"receipt": "小票照片须为 JPG、PNG 或 WebP 图片"})
        if len(receipt) > RECEIPT_MAX_BYTES:
            raise ValidationError({"receipt": "小票照片不能超过 3 MB"})
        errand.receipt = encrypt_bytes(receipt)
        errand.receipt_type = receipt_type
    errand.actual_cost = actual_cost
    errand.status = Status.BOUGHT
    errand.bought_at = timezone.now()
    errand.full_clean(
        exclude=["node", "household", "created_by", "series", "claimed_by", "claimed_team"]
    )
    errand.save()
    audit_record(
        actor=actor, action="errands.errand.buy", obj=errand, fields=["actual_cost", "receipt"]
    )
    return errand


def errand_household_phone(*, actor: User, errand: Errand, reason: str) -> str:
    """The household's whole phone for the crew on the way (claimed or bought, not yet
    delivered), who may need to call the door: asked with a reason, audited. Everyone
    else, and the crew before claiming or after delivering, sees it masked."""
    if errand.status not in (Status.CLAIMED, Status.BOUGHT):
        raise ValidationError({"status": "只有认领后、送达前可以查看住户电话"})
    _claimer_only(actor, errand, "查看住户电话")
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationError({"reason": "请填写查看理由（至少 2 个字）"})
    audit_record(
        actor=actor, action="errands.errand.phone", obj=errand, fields=["phone"], reason=reason
    )
    return people.resident_phone(errand.household.resident)


@transaction.atomic
def errand_deliver(*, actor: User, errand: Errand) -> Errand:
    """The claimer handed the goods over (a meal needs no purchase step). The delivery is
    logged as a 五送 service of the household's resident."""
    errand = _locked(errand)
    ready = (Status.BOUGHT,) if errand.kind == ErrandKind.SHOPPING else UNFINISHED[1:]
    if errand.status not in ready:
        if errand.status == Status.CLAIMED:
            raise ValidationError({"status": "请先登记购买（实际花费），再送达"})
        raise _refuse_state(errand, "送达")
    _claimer_only(actor, errand, "登记送达")
    errand.status = Status.DELIVERED
    errand.delivered_at = timezone.now()
    errand.save(update_fields=["status", "delivered_at"])
    audit_record(actor=actor, action="errands.errand.deliver", obj=errand, fields=["status"])
    lines = "、".join(line.text for line in errand.lines.all())
    control.five_services_record(
        actor=actor,
        resident=errand.household.resident,
        kind_name=FIVE_SERVICES_KIND[errand.kind],
        delivered_on=timezone.localdate(errand.delivered_at),
        description=(lines or errand.note or errand.get_kind_display())[:200],
        quantity=1,
    )
    return errand


@transaction.atomic
def errand_confirm(*, actor: User | None, errand: Errand) -> Errand:
    """The household (actor None, on its page) or a cadre confirms the goods arrived."""
    errand = _locked(errand)
    if actor is not None:
        require_permission_at(actor, "errands.manage", errand.node)
    if errand.status != Status.DELIVERED:
        raise _refuse_state(errand, "确认收货")
    if errand.confirmed_by_household or errand.confirmed_by_id:
        raise ValidationError({"status": "已确认收货"})
    errand.confirmed_by = actor
    errand.confirmed_by_household = actor is None
    errand.save(update_fields=["confirmed_by", "confirmed_by_household"])
    audit_record(actor=actor, action="errands.errand.confirm", obj=errand, fields=["confirmed_by"])
    return errand


@transaction.atomic
def errand_settle(*, actor: User, errand: Errand, settlement: str) -> Errand:
    """A cadre closes the money side of a confirmed delivery: paid back, or waived."""
    require_permission_at(actor, "errands.manage", errand.node)
    errand = _locked(errand)
    if errand.status != Status.DELIVERED:
        raise _refuse_state(errand, "结算")
    if not (errand.confirmed_by_household or errand.confirmed_by_id):
        raise ValidationError({"status": "住户或村干部确认收货后才能结算"})
    if settlement not in Settlement.values:
        raise ValidationError({"settlement": "请选择“已付款”或“免单”"})
    errand.status = Status.SETTLED
    errand.settlement = settlement
    errand.settled_at = timezone.now()
    errand.save(update_fields=["status", "settlement", "settled_at"])
    audit_record(actor=actor, action="errands.errand.settle", obj=errand, fields=["settlement"])
    return errand


@transaction.atomic
def errand_cancel(*, actor: User | None, errand: Errand, reason: str) -> Errand:
    """Call an errand off with a reason: a cadre while it is unfinished, the household
    (actor None) only while nobody has claimed it."""
    errand = _locked(errand)
    if actor is not None:
        require_permission_at(actor, "errands.manage", errand.node)
        if errand.status not in UNFINISHED:
            raise _refuse_state(errand, "取消")
    elif errand.status != Status.SUBMITTED:
        raise ValidationError({"status": "已有志愿者认领，请联系村干部取消"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": "请填写取消原因"})
    errand.status = Status.CANCELLED
    errand.cancel_reason = reason
    errand.cancelled_at = timezone.now()
    errand.full_clean(
        exclude=["node", "household", "created_by", "series", "claimed_by", "claimed_team"]
    )
    errand.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    audit_record(actor=actor, action="errands.errand.cancel", obj=errand, fields=["cancel_reason"])
    return errand


# ---------------------------------------------------------------- daily 送餐


@transaction.atomic
def meal_series_start(
    *,
    actor: User,
    household: ErrandHousehold,
    deliver_time: time,
    budget: Decimal,
    description: str = "午餐一份",
) -> MealSeries:
    """Start a daily 送餐 for a household; today's errand is made at once."""
    require_permission_at(actor, "errands.manage", household.node)
    series = MealSeries(
        household=household,
        node=household.node,
        description=description.strip(),
        deliver_time=deliver_time,
        budget=budget,
        started_on=timezone.localdate(),
        created_by=actor,
    )
    series.full_clean(exclude=["household", "node", "created_by"])
    series.save()
    audit_record(
        actor=actor,
        action="errands.series.start",
        obj=series,
        fields=["description", "deliver_time", "budget"],
    )
    meals_generate(day=series.started_on, paths=[household.node.path])
    return series


@transaction.atomic
def meal_series_stop(*, actor: User, series: MealSeries) -> MealSeries:
    """Stop a daily 送餐: no errand is made from tomorrow on (today's stays)."""
    require_permission_at(actor, "errands.manage", series.node)
    series = MealSeries.objects.select_for_update().get(pk=series.pk)
    if series.stopped_at is not None:
        raise ValidationError("这项每日送餐已停止")
    series.stopped_at = timezone.now()
    series.save(update_fields=["stopped_at"])
    audit_record(actor=actor, action="errands.series.stop", obj=series, fields=["stopped_at"])
    return series


def meals_generate(*, day: date, paths: list[str] | None = None) -> int:
    """Make the day's errand of every running 送餐 series (under the node `paths`, or
    everywhere) that lacks one.

    Safe to call on every view and from the daily command: the unique (series, day)
    makes a second call, or two at once, a no-op. Returns how many were made.
    """
    running = MealSeries.objects.filter(stopped_at__isnull=True, started_on__lte=day)
    if paths is not None:
        running = running.filter(path_filter(paths, "node__path"))
    running = running.exclude(errands__day=day).select_related("household__resident", "node")
    made = 0
    tz = timezone.get_current_timezone()
    for series in running:
        try:
            with transaction.atomic():
                errand_create(
                    actor=None,
                    household=series.household,
                    kind=ErrandKind.MEAL,
                    lines=[(LineCategory.OTHER, series.description)],
                    budget=series.budget,
                    deliver_by=datetime.combine(day, series.deliver_time, tzinfo=tz),
                    note="每日送餐",
                    series=series,
                )
                made += 1
        except IntegrityError:
            continue  # made by another request at the same moment
    return made
