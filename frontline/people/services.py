"""Writes to residents, households and tags; each one transaction, audited by field name."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from frontline.core.audit import audit_record
from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import (
    PersonalDataError,
    encrypt,
    id_number_parse,
    keyed_hash,
    looks_masked,
    phone_last_digits,
    phone_parse,
    text_normalise,
)
from frontline.core.scoping import user_can
from frontline.people.models import Household, Relation, Resident, Tag

DUPLICATE_ID_HERE = "该身份证号已登记，不能重复登记（一人只登记一次，搬迁请修改所在村/网格）"
DUPLICATE_ID_ELSEWHERE = "该身份证号已在其他辖区登记；如已迁入本村，请联系上级管理员调整所在辖区"


def village_of(node: Node) -> Node | None:
    """The village a resident's node belongs to (the node itself, or a village grid's parent)."""
    if node.kind == NodeKind.VILLAGE:
        return node
    if node.kind == NodeKind.GRID and node.parent_id and node.parent.kind == NodeKind.VILLAGE:
        return node.parent
    return None


def _check_node(actor: User | None, node: Node, field: str = "node") -> Node:
    village = village_of(node)
    if village is None:
        raise ValidationError({field: "居民只能登记在村/社区或村里的网格"})
    if not node.is_active:
        raise ValidationError({field: f"“{node.name}”已停用"})
    if actor is not None and not user_can(actor, "people.edit", node):
        raise PermissionDenied("没有在该辖区登记居民的权限")
    return village


def household_for(*, village: Node, number: str, address: str = "") -> Household:
    """The household with this number in the village, created on first use."""
    household, _ = Household.objects.get_or_create(
        node=village, number=number, defaults={"address": address}
    )
    return household


def _apply_id(resident: Resident, raw: str) -> list[str]:
    try:
        parsed = id_number_parse(raw)
    except PersonalDataError as error:
        raise ValidationError({"id_number": str(error)}) from None
    resident.id_cipher = encrypt(parsed.value)
    resident.id_hash = keyed_hash(parsed.value)
    resident.birth_date = parsed.birth_date
    resident.gender = parsed.gender
    return [parsed.warning] if parsed.warning else []


def _apply_phone(resident: Resident, raw: str) -> None:
    if not text_normalise(raw):
        resident.phone_cipher = resident.phone_hash = resident.phone_last4 = ""
        return
    try:
        e164 = phone_parse(raw)
    except PersonalDataError as error:
        raise ValidationError({"phone": str(error)}) from None
    resident.phone_cipher = encrypt(e164)
    resident.phone_hash = keyed_hash(e164)
    resident.phone_last4 = phone_last_digits(e164)


def _check_unique_id(resident: Resident, actor: User | None) -> None:
    clash = Resident.objects.filter(id_hash=resident.id_hash).exclude(pk=resident.pk).first()
    if clash is None:
        return
    visible = actor is None or user_can(actor, "people.view", clash.node)
    raise ValidationError({"id_number": DUPLICATE_ID_HERE if visible else DUPLICATE_ID_ELSEWHERE})


def _save(resident: Resident, actor: User | None) -> None:
    _check_unique_id(resident, actor)
    resident.full_clean(exclude=["id_cipher", "id_hash", "phone_cipher", "phone_hash"])
    try:
        # A savepoint: a concurrent insert of the same ID loses here, not in a broken transaction.
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        raise ValidationError({"id_number": DUPLICATE_ID_HERE}) from None


@transaction.atomic
def resident_create(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    node: Node,
    phone: str = "",
    address: str = "",
    household_number: str = "",
    relation: str = "",
    tags: Iterable[Tag] = (),
    notes: str = "",
) -> tuple[Resident, list[str]]:
    """Register a resident under a village or grid; returns it and any warnings (region code)."""
    village = _check_node(actor, node)
    resident = Resident(
        name=text_normalise(name),
        node=node,
        address=text_normalise(address),
        relation=relation,
        notes=notes.strip(),
    )
    warnings = _apply_id(resident, id_number)
    _apply_phone(resident, phone)
    number = text_normalise(household_number)
    if number:
        resident.household = household_for(village=village, number=number, address=address)
    _save(resident, actor)
    resident.tags.set(tags)
    audit_record(
        actor=actor,
        action="people.resident.create",
        obj=resident,
        fields=["name", "id_number", "phone", "address", "node", "household", "tags", "notes"],
    )
    return resident, warnings


@transaction.atomic
def resident_create_unidentified(
    *, actor: User, name: str, node: Node, phone: str = "", address: str = "", notes: str = ""
) -> Resident:
    """Register a person met without papers (a barrier's hand-over): name, phone and place
    now, the ID number later (`resident_update`), or a merge onto the resident who has it."""
    _check_node(actor, node)
    resident = Resident(
        name=text_normalise(name), node=node, address=text_normalise(address), notes=notes.strip()
    )
    _apply_phone(resident, phone)
    resident.full_clean(exclude=["id_cipher", "id_hash", "phone_cipher", "phone_hash"])
    resident.save()
    audit_record(
        actor=actor,
        action="people.resident.create",
        obj=resident,
        fields=["name", "phone", "address", "node", "notes"],
    )
    return resident


@transaction.atomic
def resident_merge_into(*, actor: User, unidentified: Resident, resident: Resident) -> Resident:
    """Remove a record made without an ID number once the person's ID is found on another
    resident: one resident per ID. The caller has moved its own links onto `resident`; a
    link left elsewhere refuses the merge."""
    if unidentified.id_hash:
        raise ValidationError({"id_number": "该居民已有身份证号，不能合并"})
    if not user_can(actor, "people.edit", unidentified.node):
        raise PermissionDenied("没有修改该居民的权限")
    pk = unidentified.pk
    try:
        with transaction.atomic():
            unidentified.delete()
    except ProtectedError:
        raise ValidationError("该居民记录仍被其他记录引用，不能合并") from None
    audit_record(
        actor=actor,
        action="people.resident.merge",
        obj=resident,
        fields=["id_number"],
        reason=f"并入的无证件记录 #{pk}",
    )
    return resident


_PLAIN_FIELDS = ("name", "address", "relation", "notes")


@transaction.atomic
def resident_update(
    *,
    actor: User | None,
    resident: Resident,
    name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    node: Node | None = None,
    address: str | None = None,
    household_number: str | None = None,
    relation: str | None = None,
    tags: Iterable[Tag] | None = None,
    notes: str | None = None,
) -> tuple[Resident, list[str]]:
    """Change a resident; None leaves a field alone, and so does a masked ID or phone sent back."""
    if actor is not None and not user_can(actor, "people.edit", resident.node):
        raise PermissionDenied("没有修改该居民的权限")
    changed: list[str] = []
    warnings: list[str] = []
    values = {"name": name, "address": address, "relation": relation, "notes": notes}
    for field in _PLAIN_FIELDS:
        value = values[field]
        if value is None:
            continue
        value = value.strip() if field == "notes" else text_normalise(value)
        if value != getattr(resident, field):
            setattr(resident, field, value)
            changed.append(field)
    # A form that still shows 320707********123X must not turn the mask into the stored value.
    if id_number is not None and not looks_masked(id_number):
        old_hash = resident.id_hash
        warnings = _apply_id(resident, id_number)
        if resident.id_hash != old_hash:
            changed.append("id_number")
    if phone is not None and not looks_masked(phone):
        old_hash = resident.phone_hash
        _apply_phone(resident, phone)
        if resident.phone_hash != old_hash:
            changed.append("phone")
    if node is not None and node.pk != resident.node_id:
        _check_node(actor, node)
        resident.node = node
        changed.append("node")
    village = village_of(resident.node)
    moved_out = resident.household_id and resident.household.node_id != village.pk
    if household_number is None and moved_out:
        # Moving to another village leaves the old household behind.
        resident.household = None
        changed.append("household")
    elif household_number is not None:
        number = text_normalise(household_number)
        current = resident.household.number if resident.household_id else ""
        if number != current or moved_out:
            resident.household = (
                household_for(village=village, number=number, address=resident.address)
                if number
                else None
            )
            changed.append("household")
    if relation is not None and relation and relation not in Relation.values:
        raise ValidationError({"relation": "与户主关系无法识别"})
    _save(resident, actor)
    if tags is not None:
        new_tags = {tag.pk for tag in tags}
        if new_tags != set(resident.tags.values_list("pk", flat=True)):
            resident.tags.set(new_tags)
            changed.append("tags")
    if changed:
        audit_record(actor=actor, action="people.resident.update", obj=resident, fields=changed)
    return resident, warnings


@transaction.atomic
def resident_unmask(*, actor: User, resident: Resident, reason: str) -> dict[str, str]:
    """The whole ID number and phone, for a permitted user with a typed reason; audited."""
    if not user_can(actor, "people.view_full_id", resident.node):
        raise PermissionDenied("没有查看完整证件号的权限")
    reason = text_normalise(reason)
    if len(reason) < 2:
        raise ValidationError({"reason": "请填写查看理由（至少 2 个字）"})
    audit_record(
        actor=actor,
        action="people.resident.unmask",
        obj=resident,
        fields=["id_number", "phone"],
        reason=reason,
    )
    return {"id_number": resident.id_number, "phone": resident.phone_shown}


@transaction.atomic
def tag_create(*, actor: User, name: str) -> Tag:
    """Add a tag to the list every village uses."""
    if not user_can(actor, "people.tags"):
        raise PermissionDenied("没有维护标签的权限")
    tag = Tag(name=text_normalise(name))
    tag.full_clean()
    tag.save()
    audit_record(actor=actor, action="people.tag.create", obj=tag, fields=["name"])
    return tag
