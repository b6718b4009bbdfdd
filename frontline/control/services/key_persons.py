"""Writes for key persons under 四个一 control: register, set the four, note, close."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.control.models import (
    FoundVia,
    IsolationStatus,
    KeyPerson,
    KeyPersonCategory,
    KeyPersonStatus,
    Responsible,
    ServiceDelivery,
    TimelineKind,
)
from frontline.control.services.timeline import timeline_add
from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.personal_data import PersonalDataError, id_number_parse, keyed_hash
from frontline.core.scoping import require_permission_at, user_can
from frontline.people import public as people


@transaction.atomic
def key_person_register(
    *,
    actor: User,
    resident,
    category: KeyPersonCategory,
    found_via: str = FoundVia.SCREENING,
    origin: str = "",
    arrival_date: date | None = None,
) -> KeyPerson:
    """Put a resident under control; a resident already under control is refused."""
    require_permission_at(actor, "control.edit", resident.node)
    if KeyPerson.objects.filter(resident=resident, status=KeyPersonStatus.ACTIVE).exists():
        raise ValidationError({"resident": "该居民已在管控中，请打开现有记录"})
    person = KeyPerson(
        resident=resident,
        node=resident.node,
        category=category,
        found_via=found_via,
        origin=origin.strip(),
        arrival_date=arrival_date,
        created_by=actor,
    )
    person.full_clean()
    person.save()
    timeline_add(
        person,
        TimelineKind.REGISTERED,
        f"登记为重点人员（{category.name}，{person.get_found_via_display()}）",
        actor,
    )
    audit_record(
        actor=actor,
        action="control.key_person.create",
        obj=person,
        fields=["resident", "category", "found_via", "origin", "arrival_date"],
    )
    return person


@transaction.atomic
def key_person_set_control(
    *, actor: User, key_person: KeyPerson, leader: User | None, team: str, plan: str
) -> KeyPerson:
    """Set 四个一: the responsible leader, the working team and the written plan."""
    require_permission_at(actor, "control.edit", key_person.node)
    changed = []
    if key_person.leader_id != (leader.pk if leader else None):
        changed.append("leader")
    if key_person.team != team.strip():
        changed.append("team")
    if key_person.plan != plan.strip():
        changed.append("plan")
    key_person.leader, key_person.team, key_person.plan = leader, team.strip(), plan.strip()
    key_person.full_clean()
    key_person.save(update_fields=["leader", "team", "plan"])
    if changed:
        labels = {"leader": "责任领导", "team": "工作专班", "plan": "管控方案"}
        timeline_add(
            key_person, TimelineKind.CONTROL, "更新" + "、".join(labels[c] for c in changed), actor
        )
        audit_record(
            actor=actor, action="control.key_person.control", obj=key_person, fields=changed
        )
    return key_person


@transaction.atomic
def key_person_note(*, actor: User, key_person: KeyPerson, text: str) -> None:
    """Add a free-text step to the timeline (a visit, a call, a decision)."""
    require_permission_at(actor, "control.view", key_person.node)
    if not text.strip():
        raise ValidationError({"text": "请填写工作记录"})
    timeline_add(key_person, TimelineKind.NOTE, text.strip(), actor)
    audit_record(actor=actor, action="control.key_person.note", obj=key_person, fields=["timeline"])


@transaction.atomic
def key_person_close(*, actor: User, key_person: KeyPerson, reason: str) -> KeyPerson:
    """End control of a key person; the record and its timeline stay."""
    require_permission_at(actor, "control.edit", key_person.node)
    if key_person.isolations.filter(status=IsolationStatus.ACTIVE).exists():
        raise ValidationError("仍在居家隔离中，请先解除隔离")
    if not reason.strip():
        raise ValidationError({"reason": "请填写解除管控的原因"})
    key_person.status = KeyPersonStatus.CLOSED
    key_person.closed_at = timezone.now()
    key_person.save(update_fields=["status", "closed_at"])
    timeline_add(key_person, TimelineKind.CLOSED, f"解除管控：{reason.strip()}", actor)
    audit_record(
        actor=actor,
        action="control.key_person.close",
        obj=key_person,
        fields=["status"],
        reason=reason.strip(),
    )
    return key_person


@transaction.atomic
def key_person_identify(*, actor: User, key_person: KeyPerson, id_number: str) -> KeyPerson:
    """Add the ID number of a key person registered without one. The resident record
    completes; or, when a resident already has that ID, the key person (and this
    record's other links in control) moves onto that resident and the record made
    without papers is removed: one resident per ID, audited."""
    require_permission_at(actor, "control.edit", key_person.node)
    provisional = key_person.resident
    if provisional.id_hash:
        raise ValidationError({"id_number": "此人已有身份证号"})
    try:
        parsed = id_number_parse(id_number)
    except PersonalDataError as error:
        raise ValidationError({"id_number": str(error)}) from None
    if not user_can(actor, "people.edit", provisional.node):
        raise ValidationError("补录身份证号需要修改居民的权限，请村干部或网格员补录")
    digest = keyed_hash(parsed.value)
    existing = people.residents_by_id_hash([digest]).get(digest)
    if existing is None:
        people.resident_update(actor=actor, resident=provisional, id_number=parsed.value)
        text = "补录身份证号"
        merged = False
    else:
        if (
            KeyPerson.objects.filter(resident=existing, status=KeyPersonStatus.ACTIVE)
            .exclude(pk=key_person.pk)
            .exists()
        ):
            raise ValidationError(
                {"id_number": "该身份证号的居民已在管控中，请打开现有记录，不能重复登记"}
            )
        KeyPerson.objects.filter(resident=provisional).update(resident=existing)
        Responsible.objects.filter(resident=provisional).update(resident=existing)
        ServiceDelivery.objects.filter(resident=provisional).update(resident=existing)
        people.resident_merge_into(actor=actor, unidentified=provisional, resident=existing)
        key_person.resident = existing
        text = "补录身份证号：此人已在花名册登记，记录已并入"
        merged = True
    timeline_add(key_person, TimelineKind.REGISTERED, text, actor)
    audit_record(
        actor=actor,
        action="control.key_person.identify",
        obj=key_person,
        fields=["resident"],
        reason="并入已登记居民" if merged else "",
    )
    return key_person
