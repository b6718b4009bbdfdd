"""Writes for enterprise resumption; each checks the actor's permission at the enterprise,
runs in one transaction, validates with full_clean and is audited (field names only)."""

import hashlib
import io
import secrets
from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal

import qrcode
import qrcode.image.svg
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from frontline.control import public as control
from frontline.core.audit import audit_record, audited_insert
from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import name_mask
from frontline.core.roles import Role
from frontline.core.scoping import require_permission_at, roles_held, user_can
from frontline.core.temperature import is_fever
from frontline.enterprises.models import (
    Answer,
    Application,
    Appointment,
    AppState,
    ChecklistItem,
    Employee,
    Enterprise,
    FilingMode,
    GateEntry,
    Headcount,
    Policy,
    PolicyApplication,
    PolicyStatus,
    Sector,
    ServiceSlot,
    Ticket,
    Verdict,
    uscc_normalise,
)
from frontline.enterprises.selectors import checklist_for

CARD_SALT = "frontline.enterprises.card"
# Unambiguous on a phone keypad and a printed card: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# Days after a return from an affected area during which an employee shows amber.
OBSERVATION_DAYS = 14

HEALTH_RULE = (
    "红码：正在居家隔离，或有未解除的重点人员记录；"
    f"黄码：{OBSERVATION_DAYS} 天内从疫情地区返回，或今天有发热记录（≥37.3°C）；"
    "绿码：其他。颜色由系统按记录计算，不能手工填写。"
)


# ---------------------------------------------------------------- registry


@transaction.atomic
def enterprise_register(
    *,
    actor: User,
    node: Node,
    uscc: str,
    sector: Sector,
    planned_headcount: int = 0,
    onsite_headcount: int = 0,
    party_branch: str = "",
) -> Enterprise:
    """Give an enterprise node its registry record (once)."""
    require_permission_at(actor, "enterprises.manage", node)
    if node.kind != NodeKind.ENTERPRISE:
        raise ValidationError({"node": "只能为企业节点建档"})
    if Enterprise.objects.filter(node=node).exists():
        raise ValidationError({"node": f"“{node.name}”已经建档"})
    enterprise = Enterprise(
        node=node,
        uscc=uscc_normalise(uscc),
        sector=sector,
        planned_headcount=planned_headcount,
        onsite_headcount=onsite_headcount,
        party_branch=party_branch.strip(),
    )
    enterprise.full_clean()
    enterprise.save()
    _headcount_write(actor, enterprise, timezone.localdate(), onsite_headcount)
    audit_record(
        actor=actor,
        action="enterprises.enterprise.create",
        obj=enterprise,
        fields=["uscc", "sector", "planned_headcount", "onsite_headcount", "party_branch"],
    )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **changes) -> Enterprise:
    """Change an enterprise's record: the town's cadres anything, its contact the headcounts."""
    allowed = {"uscc", "sector", "planned_headcount", "onsite_headcount", "party_branch"}
    if not user_can(actor, "enterprises.manage", enterprise.node):
        require_permission_at(actor, "enterprises.file", enterprise.node)
        allowed = {"planned_headcount", "onsite_headcount"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "您不能修改这一项"})
    if "uscc" in changes:
        changes["uscc"] = uscc_normalise(changes["uscc"])
    fields = [key for key, value in changes.items() if getattr(enterprise, key) != value]
    for key, value in changes.items():
        setattr(enterprise, key, value.strip() if isinstance(value, str) else value)
    enterprise.full_clean()
    enterprise.save()
    if "onsite_headcount" in fields:
        _headcount_write(actor, enterprise, timezone.localdate(), enterprise.onsite_headcount)
    audit_record(actor=actor, action="enterprises.enterprise.update", obj=enterprise, fields=fields)
    return enterprise


def _headcount_write(actor: User | None, enterprise: Enterprise, day: date, onsite: int) -> None:
    """Store the day's figure (a second figure the same day replaces the first)."""
    row, _ = Headcount.objects.get_or_create(
        enterprise=enterprise, day=day, defaults={"onsite": onsite, "recorded_by": actor}
    )
    row.onsite, row.recorded_by = onsite, actor
    row.full_clean()
    row.save()


# How far back a headcount may be recorded: a week forgotten, not a season rewritten.
HEADCOUNT_BACK_DAYS = 31


@transaction.atomic
def headcount_record(*, actor: User, enterprise: Enterprise, day: date, onsite: int) -> Headcount:
    """Record the on-site headcount of a day; the newest day's figure is the enterprise's
    current one (the list and the dashboard read it)."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    today = timezone.localdate()
    if day > today:
        raise ValidationError({"day": "日期不能晚于今天"})
    if day < today - timedelta(days=HEADCOUNT_BACK_DAYS):
        raise ValidationError({"day": f"只能补记 {HEADCOUNT_BACK_DAYS} 天内的在岗人数"})
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    _headcount_write(actor, enterprise, day, onsite)
    newest = enterprise.headcounts.order_by("-day").values_list("onsite", flat=True).first()
    if newest != enterprise.onsite_headcount:
        enterprise.onsite_headcount = newest
        enterprise.full_clean()
        enterprise.save(update_fields=["onsite_headcount"])
    audit_record(
        actor=actor,
        action="enterprises.headcount.record",
        obj=enterprise,
        fields=["day", "onsite"],
    )
    return Headcount.objects.get(enterprise=enterprise, day=day)


# ---------------------------------------------------------------- checklist


@transaction.atomic
def checklist_item_create(
    *, actor: User, node: Node, heading: int, text: str, evidence_required: bool = True, order=0
) -> ChecklistItem:
    """Add an item under one of the six fixed headings, for the enterprises below the node."""
    require_permission_at(actor, "enterprises.manage", node)
    item = ChecklistItem(
        node=node,
        heading=heading,
        text=text.strip(),
        evidence_required=evidence_required,
        order=order,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, action="enterprises.item.create", obj=item, fields=["heading", "text"]
    )
    return item


@transaction.atomic
def checklist_item_update(
    *, actor: User, item: ChecklistItem, text: str, evidence_required: bool, is_active: bool
) -> ChecklistItem:
    """Reword an item, or retire it (answers already given keep pointing at it)."""
    require_permission_at(actor, "enterprises.manage", item.node)
    changes = {"text": text.strip(), "evidence_required": evidence_required, "is_active": is_active}
    fields = [key for key, value in changes.items() if getattr(item, key) != value]
    for key, value in changes.items():
        setattr(item, key, value)
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="enterprises.item.update", obj=item, fields=fields)
    return item


# ---------------------------------------------------------------- application


def _is_own_enterprise(actor: User, enterprise: Enterprise) -> bool:
    """Whether the actor is this enterprise's own contact (a role held at the enterprise)."""
    return any(
        role == Role.ENTERPRISE_CONTACT and path == enterprise.node.path
        for role, path in roles_held(actor)
    )


@transaction.atomic
def application_start(*, actor: User, enterprise: Enterprise) -> Application:
    """Open the enterprise's application: 网上办 when its contact files, 帮代办 when a cadre
    files for it (recorded, and shown to the enterprise)."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    existing = Application.objects.filter(enterprise=enterprise).first()
    if existing is not None:
        return existing
    own = _is_own_enterprise(actor, enterprise)
    application = Application(
        enterprise=enterprise,
        mode=FilingMode.ONLINE if own else FilingMode.PROXY,
        filed_by=actor,
    )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="enterprises.application.start",
        obj=application,
        node=enterprise.node,
        fields=["mode"],
    )
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("enterprise__node")
        .get(pk=application.pk)
    )


@transaction.atomic
def answer_save(
    *,
    actor: User,
    application: Application,
    item: ChecklistItem,
    meets: bool,
    evidence: str = "",
    evidence_file=None,
) -> Answer:
    """The enterprise's self-assessment of one item in the current round; evidence is a
    text, a photo or a PDF (checked by the form: type by signature, size). A new file
    replaces the round's; none keeps it."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.file", node)
    if application.state not in (AppState.DRAFT, AppState.RETURNED):
        raise ValidationError(f"申请{application.get_state_display()}，不能修改")
    if item.pk not in {i.pk for i in checklist_for(application.enterprise)}:
        raise ValidationError({"item": "这一项不在本企业的检查清单中"})
    evidence = evidence.strip()
    answer, _ = Answer.objects.get_or_create(
        application=application, item=item, round=application.round
    )
    has_file = evidence_file is not None or bool(answer.evidence_file)
    if meets and item.evidence_required and not (evidence or has_file):
        raise ValidationError({"evidence": f"“{item.text}”须填写佐证说明或上传照片、PDF"})
    answer.meets = meets
    answer.evidence = evidence
    if evidence_file is not None:
        answer.evidence_file.save(evidence_file.name, evidence_file, save=False)
    answer.full_clean()
    answer.save()
    audit_record(
        actor=actor,
        action="enterprises.answer.save",
        obj=answer,
        node=node,
        fields=["meets", "evidence", *(["evidence_file"] if evidence_file is not None else [])],
    )
    return answer


def answers_of_round(application: Application, round_: int | None = None) -> dict[int, Answer]:
    rnd = application.round if round_ is None else round_
    return {a.item_id: a for a in application.answers.filter(round=rnd)}


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Send the current round for the grid's review: every item answered and met, with
    evidence where it is required."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.file", node)
    if application.state not in (AppState.DRAFT, AppState.RETURNED):
        raise ValidationError(f"申请{application.get_state_display()}，不能再提交")
    answers = answers_of_round(application)
    missing = [
        item.text
        for item in checklist_for(application.enterprise)
        if item.pk not in answers
        or not answers[item.pk].meets
        or (item.evidence_required and not answers[item.pk].has_evidence)
    ]
    if missing:
        raise ValidationError(
            {"items": f"还有 {len(missing)} 项未落实或缺佐证：{'、'.join(missing[:5])}"}
        )
    application.state = AppState.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["state", "submitted_at"])
    audit_record(
        actor=actor,
        action="enterprises.application.submit",
        obj=application,
        node=node,
        fields=["state"],
    )
    return application


def _verdicts(application: Application, verdicts: dict[int, tuple[str, str]]) -> dict:
    answers = answers_of_round(application)
    unknown = set(verdicts) - set(answers)
    if unknown:
        raise ValidationError({"items": "审核了不在本轮申请中的检查项"})
    return answers


@transaction.atomic
def application_review(
    *, actor: User, application: Application, verdicts: dict[int, tuple[str, str]]
) -> Application:
    """The grid leader's word on every item: all 符合 sends it to the town; any 不符合 returns
    it to the enterprise with the notes as reasons."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.review", node)
    if application.state != AppState.SUBMITTED:
        raise ValidationError(f"申请{application.get_state_display()}，不在网格审核环节")
    answers = _verdicts(application, verdicts)
    unreviewed = [a.item.text for item_id, a in answers.items() if item_id not in verdicts]
    if unreviewed:
        raise ValidationError({"items": f"请逐项审核：{'、'.join(unreviewed[:5])}"})
    failed = {}
    for item_id, (verdict, note) in verdicts.items():
        if verdict not in Verdict.values:
            raise ValidationError({"verdict": "审核结论只能是“符合”或“不符合”"})
        if verdict == Verdict.NOT_OK and not note.strip():
            raise ValidationError({"note": f"“{answers[item_id].item.text}”不符合，请写明理由"})
        answer = answers[item_id]
        answer.grid_verdict = verdict
        answer.grid_note = note.strip()
        answer.full_clean()
        answer.save(update_fields=["grid_verdict", "grid_note", "updated_at"])
        if verdict == Verdict.NOT_OK:
            failed[item_id] = note.strip()
    if failed:
        return _return(actor, application, failed, by="review")
    application.state = AppState.REVIEWED
    application.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="enterprises.application.review",
        obj=application,
        node=node,
        fields=["state", "grid_verdict", "grid_note"],
    )
    return application


def _return(actor: User, application: Application, reasons: dict[int, str], by: str):
    """Close the round with a reason on each item sent back and open the next round with
    the same answers, so the enterprise fixes only what was returned."""
    answers = answers_of_round(application)
    for item_id, reason in reasons.items():
        answer = answers[item_id]
        answer.return_reason = reason
        answer.full_clean()
        answer.save(update_fields=["return_reason", "updated_at"])
    application.round += 1
    application.state = AppState.RETURNED
    application.save(update_fields=["round", "state"])
    Answer.objects.bulk_create(
        Answer(
            application=application,
            item_id=a.item_id,
            round=application.round,
            # A returned item starts again unmet: the enterprise must look at it.
            meets=a.meets and a.item_id not in reasons,
            evidence=a.evidence,
            evidence_file=a.evidence_file.name,
        )
        for a in answers.values()
    )
    audit_record(
        actor=actor,
        action="enterprises.application.return",
        obj=application,
        node=application.enterprise.node,
        fields=["state", "round", "return_reason"],
        reason=f"{by}: {len(reasons)} 项",
    )
    return application


@transaction.atomic
def application_return(
    *, actor: User, application: Application, reasons: dict[int, str]
) -> Application:
    """Send the application back with a reason per item: the grid while reviewing, the town
    while approving."""
    application = _lock(application)
    node = application.enterprise.node
    if application.state == AppState.SUBMITTED:
        require_permission_at(actor, "enterprises.review", node)
    elif application.state == AppState.REVIEWED:
        require_permission_at(actor, "enterprises.approve", node)
    else:
        raise ValidationError(f"申请{application.get_state_display()}，不能退回")
    reasons = {item_id: reason.strip() for item_id, reason in reasons.items()}
    if not reasons:
        raise ValidationError({"items": "请至少选择一项并写明退回理由"})
    answers = _verdicts(application, reasons)
    empty = [answers[i].item.text for i, reason in reasons.items() if not reason]
    if empty:
        raise ValidationError({"reason": f"请写明退回理由：{'、'.join(empty)}"})
    return _return(actor, application, reasons, by="return")


@transaction.atomic
def application_approve(*, actor: User, application: Application) -> Application:
    """The town's approval: the enterprise counts as resumed from today."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.approve", node)
    if _is_own_enterprise(actor, application.enterprise):
        raise ValidationError("不能批准本人所在企业的复工申请")
    if application.state != AppState.REVIEWED:
        raise ValidationError(f"申请{application.get_state_display()}，须先经网格审核")
    application.state = AppState.APPROVED
    application.approved_on = timezone.localdate()
    application.save(update_fields=["state", "approved_on"])
    audit_record(
        actor=actor,
        action="enterprises.application.approve",
        obj=application,
        node=node,
        fields=["state", "approved_on"],
    )
    return application


# ---------------------------------------------------------------- employees and cards


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _unique_code() -> str:
    for _ in range(10):
        code = _new_code()
        if not Employee.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free card code")  # 31^8 codes: never in practice


@transaction.atomic
def employee_add(
    *,
    actor: User,
    enterprise: Enterprise,
    resident,
    origin: str = "",
    from_affected_area: bool = False,
    return_date: date | None = None,
    commute: str = "commute",
) -> Employee:
    """Put a registered resident on the roster (linked, not copied) and issue their card.
    The caller found the resident within the actor's reach (people.public)."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    if Employee.objects.filter(enterprise=enterprise, resident=resident).exists():
        raise ValidationError({"resident": "此人已在本企业员工名册中"})
    if return_date and return_date > timezone.localdate():
        raise ValidationError({"return_date": "返岗日期不能晚于今天"})
    employee = Employee(
        enterprise=enterprise,
        resident=resident,
        origin=origin.strip(),
        from_affected_area=from_affected_area,
        return_date=return_date,
        commute=commute,
        code=_unique_code(),
    )
    employee.full_clean()
    employee.save()
    audit_record(
        actor=actor,
        action="enterprises.employee.add",
        obj=employee,
        node=enterprise.node,
        fields=["resident", "origin", "from_affected_area", "return_date", "commute"],
    )
    return employee


def card_token(employee: Employee) -> str:
    """The signed content of the QR code: the employee row and card version, nothing personal."""
    return signing.dumps({"e": employee.pk, "v": employee.card_version}, salt=CARD_SALT)


def card_svg(employee: Employee) -> str:
    """The card's QR code as inline SVG (no image library, no file written)."""
    image = qrcode.make(
        card_token(employee), image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


@transaction.atomic
def card_reissue(*, actor: User, employee: Employee, revoke: bool = False) -> Employee:
    """Kill the printed card (new version, new short code); with `revoke`, issue none."""
    require_permission_at(actor, "enterprises.file", employee.enterprise.node)
    employee.card_version += 1
    employee.code = _unique_code()
    employee.card_revoked = revoke
    employee.save(update_fields=["card_version", "code", "card_revoked"])
    audit_record(
        actor=actor,
        action="enterprises.card.revoke" if revoke else "enterprises.card.reissue",
        obj=employee,
        node=employee.enterprise.node,
        fields=["card_version", "code"],
    )
    return employee


def health_colours(
    employees: list[Employee], day: date | None = None, gate_fevers: set[int] | None = None
) -> dict[int, tuple]:
    """Employee id → (colour, reason) by the rule in HEALTH_RULE, from control's records, the
    employee's return and today's gate temperatures (`gate_fevers`: the employees with a
    fever at the gate that day, when the caller read them already)."""
    day = day or timezone.localdate()
    flags = control.health_flags_for({e.resident_id for e in employees}, day)
    if gate_fevers is None:
        gate_fevers = set(
            GateEntry.objects.filter(
                employee__in=[e.pk for e in employees], day=day, is_fever=True
            ).values_list("employee_id", flat=True)
        )
    result = {}
    for e in employees:
        held = flags.get(e.resident_id, set())
        if "isolated" in held:
            result[e.pk] = ("red", "正在居家隔离")
        elif "key_person" in held:
            result[e.pk] = ("red", "重点人员管控中")
        elif "fever" in held or e.pk in gate_fevers:
            result[e.pk] = ("amber", "今天有发热记录")
        elif (
            e.from_affected_area
            and e.return_date
            and day - e.return_date < timedelta(days=OBSERVATION_DAYS)
        ):
            result[e.pk] = ("amber", f"从疫情地区返回未满 {OBSERVATION_DAYS} 天")
        else:
            result[e.pk] = ("green", "无异常记录")
    return result


COLOUR_LABELS = {"green": "绿码", "amber": "黄码", "red": "红码"}
GATE_REASONS = {
    "green": "正常",
    "amber": "需健康观察，体温正常可进入",
    "red": "健康管控中，不得进入",
}


SCAN_FIELDS = (
    "id",
    "enterprise",
    "resident",
    "from_affected_area",
    "return_date",
    "card_version",
    "card_revoked",
    "enterprise__node",
    "enterprise__node__kind",
    "enterprise__node__name",
    "enterprise__node__path",
    "resident__name",
)


def _card_employee(token: str, code: str, day: date) -> Employee:
    """The employee a scanned token or a typed code names, with `fever_at_gate` (a fever
    at a gate on `day`) read in the same query; a forged, stale or revoked card is refused
    alike."""
    refused = ValidationError({"code": "健康码无效或已作废，请联系企业重新制发"})
    # Only what the scan reads: a resident row is wide (sealed ID and phone), and turning
    # unused columns into objects is a measurable part of a scan.
    employees = (
        Employee.objects.select_related("enterprise__node", "resident")
        .only(*SCAN_FIELDS)
        .annotate(
            fever_at_gate=Exists(
                GateEntry.objects.filter(employee=OuterRef("pk"), day=day, is_fever=True)
            )
        )
    )
    if token:
        try:
            data = signing.loads(token, salt=CARD_SALT)
            employee = employees.get(pk=int(data["e"]))
        except (signing.BadSignature, Employee.DoesNotExist, KeyError, TypeError, ValueError):
            raise refused from None
        if employee.card_version != data.get("v"):
            raise refused
    else:
        code = "".join(ch for ch in code.upper() if ch.isalnum())
        try:
            employee = employees.get(code=code)
        except Employee.DoesNotExist:
            raise refused from None
    if employee.card_revoked:
        raise refused
    return employee


def _digest(**body) -> str:
    return hashlib.sha256(repr(sorted(body.items())).encode()).hexdigest()


def gate_scan(
    *,
    actor: User,
    token: str = "",
    code: str = "",
    temperature: Decimal | None = None,
    idempotency_key: str,
) -> tuple[GateEntry, dict, bool]:
    """Scan a card at a gate: the colour, the masked name and why; logs the entry. A red
    card is not admitted, nor a fever, which is handed over to key-person control as at a
    checkpoint. The same key with the same body answers the first entry (created False).

    The gate's stream of scans is the hot path: no look-up before the insert (the unique
    key answers a repeat), today's gate fevers read with the card, and the entry with its
    audit row is one statement on PostgreSQL (core.audit.audited_insert)."""
    if not (token or code):
        raise ValidationError({"code": "请扫码或输入健康码短码"})
    digest = _digest(token=token, code=code.upper(), temperature=str(temperature))
    today = timezone.localdate()
    refused = ValidationError({"code": "健康码无效或已作废，请联系企业重新制发"})
    try:
        employee = _card_employee(token, code, today)
        # A card of an enterprise the guard does not stand at is as unknown as a forged one.
        if not user_can(actor, "enterprises.gate", employee.enterprise.node):
            raise refused
    except ValidationError:
        # A repeat of a scan whose card was revoked since still answers the first entry.
        seen = GateEntry.objects.filter(scanned_by=actor, idempotency_key=idempotency_key).first()
        if seen is not None:
            return _replay(seen, digest)
        raise
    gate_fevers = {employee.pk} if employee.fever_at_gate else set()
    colour, _why = health_colours([employee], today, gate_fevers)[employee.pk]
    # The guard learns the colour, never the health record behind it (isolation, a key
    # person, a return from an affected area): the reason stays coarse.
    reason = GATE_REASONS[colour]
    fever = is_fever(temperature)
    if fever:
        colour = "red" if colour == "red" else "amber"
        reason = f"门岗体温 {temperature}°C 发热，已转交防控"
    entry = GateEntry(
        employee=employee,
        day=today,
        colour=colour,
        temperature=temperature,
        is_fever=fever,
        # Amber walks in under observation; red and any fever stay out.
        admitted=colour != "red" and not fever,
        scanned_by=actor,
        scanned_at=timezone.now(),
        idempotency_key=idempotency_key,
        body_digest=digest,
    )
    try:
        with transaction.atomic() if fever else nullcontext():
            audited_insert(
                entry,
                actor=actor,
                action="enterprises.gate.scan",
                node=employee.enterprise.node,
                fields=["colour", "temperature"],
            )
            if fever:
                control.referral_open(
                    actor=actor,
                    node=employee.enterprise.node,
                    source_kind=control.ReferralSource.GATE,
                    source_id=entry.pk,
                    name=employee.resident.name,
                    reason=f"企业门岗体温 {temperature}°C",
                    temperature=temperature,
                    source_place=employee.enterprise.node.name,
                )
    except IntegrityError:
        seen = GateEntry.objects.filter(scanned_by=actor, idempotency_key=idempotency_key).first()
        if seen is None:
            raise
        return _replay(seen, digest)
    return entry, _scan_answer(entry, reason), True


def _replay(seen: GateEntry, digest: str) -> tuple[GateEntry, dict, bool]:
    if seen.body_digest != digest:
        raise IntegrityError("idempotency key reused with another body")
    return seen, _scan_answer(seen, "重复提交，按第一次登记"), False


def _scan_answer(entry: GateEntry, reason: str) -> dict:
    employee = entry.employee
    return {
        "entry_id": entry.pk,
        "colour": entry.colour,
        "colour_label": COLOUR_LABELS[entry.colour],
        "name": name_mask(employee.resident.name),
        "enterprise": employee.enterprise.node.name,
        "reason": reason,
        "admitted": entry.admitted,
        "temperature": entry.temperature,
    }


# ---------------------------------------------------------------- 预约办


@transaction.atomic
def slot_create(*, actor: User, node: Node, starts_at, capacity: int) -> ServiceSlot:
    """Open a service-hall time for `capacity` enterprises."""
    require_permission_at(actor, "enterprises.manage", node)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": "预约时段应在将来"})
    slot = ServiceSlot(node=node, starts_at=starts_at, capacity=capacity)
    slot.full_clean()
    slot.save()
    audit_record(actor=actor, action="enterprises.slot.create", obj=slot, fields=["starts_at"])
    return slot


@transaction.atomic
def appointment_book(*, actor: User, enterprise: Enterprise, slot: ServiceSlot) -> Appointment:
    """Book a slot for the enterprise; the slot row is locked so that concurrent bookings
    queue and the last place is given once."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    slot = ServiceSlot.objects.select_for_update().get(pk=slot.pk)
    if not enterprise.node.is_within(slot.node):
        raise ValidationError({"slot_id": "该时段不受理本企业"})
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot_id": "该时段已过"})
    active = slot.appointments.filter(cancelled_at__isnull=True)
    if active.filter(enterprise=enterprise).exists():
        raise ValidationError({"slot_id": "本企业已预约这个时段"})
    if active.count() >= slot.capacity:
        raise ValidationError({"slot_id": "该时段已约满，请选择其他时段"})
    appointment = Appointment(slot=slot, enterprise=enterprise, booked_by=actor)
    appointment.full_clean()
    appointment.save()
    audit_record(
        actor=actor,
        action="enterprises.appointment.book",
        obj=appointment,
        node=enterprise.node,
        fields=["slot"],
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment) -> Appointment:
    """Cancel a booking: the place is free for another enterprise (or a rebooking)."""
    require_permission_at(actor, "enterprises.file", appointment.enterprise.node)
    if appointment.cancelled_at is not None:
        raise ValidationError("该预约已取消")
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action="enterprises.appointment.cancel",
        obj=appointment,
        node=appointment.enterprise.node,
        fields=["cancelled_at"],
    )
    return appointment


@transaction.atomic
def appointment_rebook(*, actor: User, appointment: Appointment, slot: ServiceSlot) -> Appointment:
    """Move a booking to another slot: the old place is freed and the new one taken in one
    transaction, so a full slot leaves the old booking standing."""
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("enterprise__node")
        .get(pk=appointment.pk)
    )
    if appointment.slot_id == slot.pk:
        raise ValidationError({"slot_id": "这就是已预约的时段"})
    appointment_cancel(actor=actor, appointment=appointment)
    return appointment_book(actor=actor, enterprise=appointment.enterprise, slot=slot)


# ---------------------------------------------------------------- policies


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


# ---------------------------------------------------------------- tickets

TICKET_DAYS = 7


@transaction.atomic
def ticket_create(
    *, actor: User, enterprise: Enterprise, kind: str, description: str, due_date=None
) -> Ticket:
    """An enterprise's difficulty, due in a week unless a date is given."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    ticket = Ticket(
        enterprise=enterprise,
        kind=kind,
        description=description.strip(),
        due_date=due_date or timezone.localdate() + timedelta(days=TICKET_DAYS),
        created_by=actor,
    )
    ticket.full_clean()
    ticket.save()
    audit_record(
        actor=actor,
        action="enterprises.ticket.create",
        obj=ticket,
        node=enterprise.node,
        fields=["kind", "description", "due_date"],
    )
    return ticket


@transaction.atomic
def ticket_assign(*, actor: User, ticket: Ticket, owner: User) -> Ticket:
    """Name the cadre who owns the ticket until it is resolved."""
    node = ticket.enterprise.node
    require_permission_at(actor, "enterprises.tickets", node)
    if not user_can(owner, "enterprises.tickets", node):
        raise ValidationError({"owner": f"{owner} 不负责这家企业的困难"})
    ticket.owner = owner
    ticket.save(update_fields=["owner"])
    audit_record(
        actor=actor, action="enterprises.ticket.assign", obj=ticket, node=node, fields=["owner"]
    )
    return ticket


@transaction.atomic
def ticket_resolve(
    *,
    actor: User,
    ticket: Ticket,
    resolution: str,
    policy_application: PolicyApplication | None = None,
) -> Ticket:
    """Resolve a ticket with what was done, optionally by a policy application of the same
    enterprise; the resolver becomes its owner if it had none."""
    ticket = Ticket.objects.select_for_update().select_related("enterprise__node").get(pk=ticket.pk)
    node = ticket.enterprise.node
    require_permission_at(actor, "enterprises.tickets", node)
    if ticket.resolved_at is not None:
        raise ValidationError("该困难已办结")
    if not resolution.strip():
        raise ValidationError({"resolution": "请填写办理结果"})
    if policy_application is not None and policy_application.enterprise_id != ticket.enterprise_id:
        raise ValidationError({"policy_application_id": "只能关联本企业的政策申请"})
    ticket.resolution = resolution.strip()
    ticket.resolved_at = timezone.now()
    ticket.policy_application = policy_application
    ticket.owner = ticket.owner or actor
    ticket.full_clean()
    ticket.save()
    audit_record(
        actor=actor,
        action="enterprises.ticket.resolve",
        obj=ticket,
        node=node,
        fields=["resolution", "resolved_at", "policy_application"],
    )
    return ticket
