"""Employees and their health cards; the gate scan."""

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
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from frontline.control import public as control
from frontline.core.audit import audit_record, audited_insert
from frontline.core.compiled import compiled_query
from frontline.core.models import User
from frontline.core.personal_data import (
    PersonalDataError,
    id_number_parse,
    keyed_hash,
    name_mask,
)
from frontline.core.scoping import require_permission_at, user_can
from frontline.core.temperature import is_fever
from frontline.enterprises.models import (
    Employee,
    Enterprise,
    GateEntry,
)
from frontline.enterprises.services.common import (
    CARD_SALT,
    CODE_ALPHABET,
    CODE_LENGTH,
    OBSERVATION_DAYS,
)
from frontline.people import public as people


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _unique_code() -> str:
    for _ in range(10):
        code = _new_code()
        if not Employee.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free card code")  # 31^8 codes: never in practice


CARD_MISMATCH = "居民库中没有姓名和身份证号都相符的居民：请核对，或请所在村先登记"


def resident_on_card(name: str, id_number: str):
    """The registered resident an enterprise adds from the employee's ID card: found by the
    ID number's keyed hash and bearing the name typed. An unknown number and a name that
    does not match read the same (CARD_MISMATCH on id_number), so the enterprise never
    browses the registry nor learns from a number alone whether — and how — a stranger is
    registered. Page and API alike."""
    try:
        id_hash = keyed_hash(id_number_parse(id_number).value)
    except PersonalDataError as error:
        raise ValidationError({"id_number": str(error)}) from None
    resident = people.residents_by_id_hash([id_hash]).get(id_hash)
    if resident is None or "".join(resident.name.split()) != "".join((name or "").split()):
        raise ValidationError({"id_number": CARD_MISMATCH})
    return resident


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


def _cards(day: date) -> QuerySet[Employee]:
    """Employees with what a scan reads of them and `fever_at_gate` (a fever at a gate on
    `day`) in the same query."""
    # Only what the scan reads: a resident row is wide (sealed ID and phone), and turning
    # unused columns into objects is a measurable part of a scan.
    return (
        Employee.objects.select_related("enterprise__node", "resident")
        .only(*SCAN_FIELDS)
        .annotate(
            fever_at_gate=Exists(
                GateEntry.objects.filter(employee=OuterRef("pk"), day=day, is_fever=True)
            )
        )
    )


# A scan is the gate's hot path: with the fast paths on, these two compile once per process.
@compiled_query(stand_ins=(-918_273_645, date(1, 2, 3)))
def _card_by_pk(pk: int, day: date) -> QuerySet[Employee]:
    return _cards(day).filter(pk=pk)


@compiled_query(stand_ins=("~stand-in~", date(1, 2, 3)))
def _card_by_code(code: str, day: date) -> QuerySet[Employee]:
    return _cards(day).filter(code=code)


def _card_employee(token: str, code: str, day: date) -> Employee:
    """The employee a scanned token or a typed code names, with `fever_at_gate` read in the
    same query; a forged, stale or revoked card is refused alike."""
    refused = ValidationError({"code": "健康码无效或已作废，请联系企业重新制发"})
    if token:
        try:
            data = signing.loads(token, salt=CARD_SALT)
            found = _card_by_pk(int(data["e"]), day)
        except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
            raise refused from None
        if not found or found[0].card_version != data.get("v"):
            raise refused
    else:
        found = _card_by_code("".join(ch for ch in code.upper() if ch.isalnum()), day)
        if not found:
            raise refused
    (employee,) = found
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
        seen = _first_scan(actor, idempotency_key)
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
        seen = _first_scan(actor, idempotency_key)
        if seen is None:
            raise
        return _replay(seen, digest)
    return entry, _scan_answer(entry, reason), True


def _first_scan(actor: User, idempotency_key: str) -> GateEntry | None:
    """The entry this guard already logged under the key, with what its answer shows."""
    return (
        GateEntry.objects.select_related("employee__resident", "employee__enterprise__node")
        .only(
            "colour",
            "admitted",
            "temperature",
            "body_digest",
            "employee__resident__name",
            "employee__enterprise__node__name",
        )
        .filter(scanned_by=actor, idempotency_key=idempotency_key)
        .first()
    )


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
