"""Hand-overs (转重点人员): opened by any app through control.public, accepted here."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from frontline.control.models import (
    FoundVia,
    KeyPerson,
    KeyPersonCategory,
    Referral,
    ReferralSource,
    ReferralStatus,
    TimelineKind,
)
from frontline.control.services.key_persons import key_person_register
from frontline.control.services.timeline import timeline_add
from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.plates import plate_validate
from frontline.core.scoping import require_permission_at
from frontline.people import public as people


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


def _unidentified_resident(
    actor: User, referral: Referral, name: str, phone: str, plate: str
) -> object:
    """The person of a hand-over met without papers, registered by name, phone or plate."""
    name = (name or referral.name).strip()
    if not name or name.startswith("姓名待补"):
        raise ValidationError({"name": "请填写此人姓名"})
    plate = plate.strip()
    if plate:
        try:
            plate = plate_validate(plate)
        except ValidationError as error:
            raise ValidationError({"plate": error.messages}) from None
    if not phone.strip() and not plate:
        raise ValidationError({"phone": "没有身份证号时，请至少填写手机号或车牌，以便找到此人"})
    if people.village_of(referral.node) is None:
        raise ValidationError({"name": "该移交来自企业，请先在花名册登记此人（需身份证号）"})
    notes = f"车牌：{plate}" if plate else ""
    try:
        return people.resident_create_unidentified(
            actor=actor, name=name, node=referral.node, phone=phone, notes=notes
        )
    except PermissionDenied:
        # A village leader accepts hand-overs but does not keep the roster.
        raise ValidationError("登记无证件人员需要登记居民的权限，请村干部或网格员接收") from None


@transaction.atomic
def key_person_from_referral(
    *,
    actor: User,
    referral: Referral,
    category: KeyPersonCategory,
    resident=None,
    name: str = "",
    phone: str = "",
    plate: str = "",
) -> KeyPerson:
    """Accept a hand-over from screening or a checkpoint as a key person (once, however
    often the button is pressed): the referral is locked, linked and marked accepted.

    Without a resident (a person met at a barrier without papers) the person is
    registered by name and phone or plate, the ID number added later
    (`key_person_identify`)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError("该移交已被接收")
    require_permission_at(actor, "control.edit", referral.node)
    if resident is None:
        resident = _unidentified_resident(actor, referral, name, phone, plate)
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
    timeline_add(person, TimelineKind.REGISTERED, text, actor)
    audit_record(
        actor=actor,
        action="control.referral.accept",
        obj=referral,
        node=referral.node,
        fields=["status", "key_person"],
    )
    return person
