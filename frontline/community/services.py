"""Writes for community work; each checks the place, validates, and is audited."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.community import selectors
from frontline.community.models import (
    CareVisit,
    Exemplar,
    FamilyEvent,
    FamilyHelp,
    HandedTo,
    Publicity,
)
from frontline.control import public as control
from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.errands import public as errands

RECORD = "community.record"


def _save(obj, *, actor: User, action: str, fields: list[str], exclude: list[str] = ()):
    obj.full_clean(exclude=["node", "created_by", "resident", *exclude])
    obj.save()
    audit_record(actor=actor, action=action, obj=obj, fields=fields)
    return obj


@transaction.atomic
def publicity_record(
    *,
    actor: User,
    node: Node,
    day: date,
    leaflets: int,
    posters: int = 0,
    loudspeaker_routes: int = 0,
    note: str = "",
) -> Publicity:
    """Leaflets handed out (posters, loudspeaker routes) in a village on a day. 送咨询 from
    control are counted beside these, never typed here again."""
    require_permission_at(actor, RECORD, node)
    return _save(
        Publicity(
            node=node,
            day=day,
            leaflets=leaflets,
            posters=posters,
            loudspeaker_routes=loudspeaker_routes,
            note=note.strip(),
            created_by=actor,
        ),
        actor=actor,
        action="community.publicity.create",
        fields=["leaflets", "posters", "loudspeaker_routes"],
    )


def _resident_node(actor: User, resident) -> Node:
    """The resident's node, which the actor must reach (a resident elsewhere is refused)."""
    require_permission_at(actor, RECORD, resident.node)
    return resident.node


@transaction.atomic
def family_event_record(
    *,
    actor: User,
    resident,
    kind: str,
    planned_on: date,
    new_date: date | None = None,
    note: str = "",
) -> FamilyEvent:
    """A household's wedding postponed, or funeral simplified or postponed (两个一律)."""
    node = _resident_node(actor, resident)
    if kind == "funeral_simplified" and new_date:
        raise ValidationError({"new_date": "白事简办不填延期日期"})
    if new_date and new_date <= planned_on:
        raise ValidationError({"new_date": "延至日期须晚于原定日期"})
    return _save(
        FamilyEvent(
            node=node,
            resident=resident,
            kind=kind,
            planned_on=planned_on,
            new_date=new_date,
            note=note.strip(),
            created_by=actor,
        ),
        actor=actor,
        action="community.family_event.create",
        fields=["resident", "kind", "planned_on", "new_date"],
    )


@transaction.atomic
def care_visit_record(
    *,
    actor: User,
    resident,
    day: date,
    visitor_name: str,
    temperature: Decimal | None = None,
    disinfected: bool = False,
    needs: str = "",
) -> CareVisit:
    """A visit to an elderly person living alone or a left-behind child (temperature parsed
    by core's parser before it gets here)."""
    node = _resident_node(actor, resident)
    return _save(
        CareVisit(
            node=node,
            resident=resident,
            day=day,
            visitor_name=visitor_name.strip(),
            temperature=temperature,
            disinfected=disinfected,
            needs=needs.strip(),
            created_by=actor,
        ),
        actor=actor,
        action="community.care_visit.create",
        fields=["resident", "visitor_name", "temperature", "disinfected", "needs"],
    )


@transaction.atomic
def family_help_record(
    *, actor: User, node: Node, worker_name: str, difficulty: str, helper_name: str, day: date
) -> FamilyHelp:
    """Help for a front-line worker's family: who helps with what."""
    require_permission_at(actor, RECORD, node)
    return _save(
        FamilyHelp(
            node=node,
            worker_name=worker_name.strip(),
            difficulty=difficulty.strip(),
            helper_name=helper_name.strip(),
            day=day,
            created_by=actor,
        ),
        actor=actor,
        action="community.family_help.create",
        fields=["worker_name", "difficulty", "helper_name"],
    )


@transaction.atomic
def exemplar_record(
    *, actor: User, node: Node, name: str, title: str, story: str, day: date, is_team: bool = False
) -> Exemplar:
    """An exemplary resident or team with title and story (先进典型)."""
    require_permission_at(actor, RECORD, node)
    return _save(
        Exemplar(
            node=node,
            name=name.strip(),
            is_team=is_team,
            title=title.strip(),
            story=story.strip(),
            day=day,
            created_by=actor,
        ),
        actor=actor,
        action="community.exemplar.create",
        fields=["name", "title", "story"],
    )


def _visit_to_hand_on(actor: User, visit: CareVisit) -> CareVisit:
    """The visit, locked, if its need is still to be handed on (once only)."""
    require_permission_at(actor, RECORD, visit.node)
    visit = CareVisit.objects.select_for_update().select_related("resident__node").get(pk=visit.pk)
    if not visit.needs:
        raise ValidationError("这次走访没有记录需求")
    if visit.handed_to:
        raise ValidationError(f"这条需求已转为{visit.get_handed_to_display()}，不能重复转办")
    return visit


def _handed(actor: User, visit: CareVisit, to: str, pk: int) -> CareVisit:
    visit.handed_to, visit.handed_id, visit.handed_at = to, pk, timezone.now()
    visit.save(update_fields=["handed_to", "handed_id", "handed_at"])
    audit_record(
        actor=actor,
        action="community.care_visit.hand_on",
        obj=visit,
        fields=["handed_to", "handed_id"],
    )
    return visit


@transaction.atomic
def care_visit_to_errand(
    *,
    actor: User,
    visit: CareVisit,
    lines: list[tuple[str, str]],
    budget: Decimal,
    deliver_by: datetime,
    note: str = "",
) -> CareVisit:
    """Turn a need a visit found into an errand (代购) for the resident's household, through
    errands' public module: its checks (errands.manage at the village), its audit."""
    visit = _visit_to_hand_on(actor, visit)
    errand, _created = errands.errand_ask(
        actor=actor,
        resident=visit.resident,
        lines=lines,
        budget=budget,
        deliver_by=deliver_by,
        note=note or f"关爱走访发现：{visit.needs}"[:200],
        idempotency_key=f"care-visit-{visit.pk}",
    )
    return _handed(actor, visit, HandedTo.ERRAND, errand.pk)


@transaction.atomic
def care_visit_to_five_services(
    *, actor: User, visit: CareVisit, kind_name: str, delivered_on: date, quantity: int = 0
) -> CareVisit:
    """Record the need a visit found as met by a 五送 service, through control's public
    module: its checks (control.service at the resident's place), its timeline and audit."""
    visit = _visit_to_hand_on(actor, visit)
    if kind_name not in control.five_service_kinds():
        raise ValidationError({"kind_name": "请选择五送服务类别"})
    delivery = control.five_services_record(
        actor=actor,
        resident=visit.resident,
        kind_name=kind_name,
        delivered_on=delivered_on,
        description=visit.needs[:200],
        quantity=quantity,
    )
    return _handed(actor, visit, HandedTo.FIVE_SERVICES, delivery.pk)


def care_visits_anonymise(*, cutoff: date) -> int:
    """Retention (core/retention.py audits the run): visits made before the cutoff lose the
    temperature taken and the needs found — health details of an old person or a child —
    while the visit itself, its day, person and volunteer stay, so the dashboard's counts
    of visits and volunteers read the same."""
    return selectors.care_visits_due_for_retention(cutoff).update(temperature=None, needs="")
