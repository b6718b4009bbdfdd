"""Writes for party organisations: organisations, memberships and transfers, calls, pledges
and their assignment, pioneer posts and responsibility zones; each one transaction, audited."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.checkpoints import public as checkpoints
from frontline.core.audit import audit_record
from frontline.core.idempotency import IdempotencyConflict, request_digest
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at, user_can
from frontline.party import selectors
from frontline.party.models import (
    AssignmentKind,
    Call,
    FlagSite,
    Membership,
    MemberStatus,
    Oath,
    OathAttendee,
    OrgKind,
    PartyOrg,
    Pledge,
    PledgeStatus,
    Post,
    PostHolder,
    PostKind,
)
from frontline.people import public as people

# The resident tags a membership owns (people keeps them for its lists and 六包一 picker).
TAG_OF_STATUS = {
    MemberStatus.FULL: "党员",
    MemberStatus.PROBATIONARY: "党员",
    MemberStatus.ACTIVIST: "入党积极分子",
}
PLEDGE_NOT_LINKED = "您的账号还没有绑定党员身份，请联系支部书记绑定后再写请战书"
PLEDGE_OWN_ONLY = "您只能以自己绑定的党员身份写请战书；替其他党员填写请联系支部书记"
ACCOUNT_NO_ROLE = "这个账号在本党组织所在辖区没有任何角色，不能绑定为党员本人的账号"
ACCOUNT_TAKEN = "这个账号已绑定另一名党员"


@contextmanager
def _renamed(fields: dict[str, str]) -> Iterator[None]:
    """A model's ValidationError under the names the form and the API give those fields,
    so that the refusal lands beside the box the user typed in."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {fields.get(name, name): messages for name, messages in error.message_dict.items()}
        ) from None


def _not_ended(org: PartyOrg, field: str = "org") -> None:
    if org.is_ended:
        raise ValidationError({field: f"“{org.name}”已于 {org.end_date} 撤销，只能查看"})


@transaction.atomic
def org_create(
    *,
    actor: User | None,
    node: Node,
    name: str,
    kind: str,
    start_date: date,
    parent: PartyOrg | None = None,
    site: str = "",
    end_date: date | None = None,
) -> PartyOrg:
    """Set up a committee, general branch or branch at a node, or a temporary branch at a
    front-line site (checkpoint, isolation site, screening team) with its dates."""
    if actor is not None:
        require_permission_at(actor, "party.manage", node)
    if parent is not None:
        _not_ended(parent, "parent")
        if not node.path.startswith(parent.node.path):
            raise ValidationError({"parent": "上级党组织须在本辖区或其上级辖区"})
    if kind == OrgKind.TEMPORARY and not site.strip():
        raise ValidationError({"site": "临时党支部须写明设立地点（卡口、隔离点、排查组）"})
    org = PartyOrg(
        node=node,
        name=name.strip(),
        kind=kind,
        parent=parent,
        site=site.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    org.full_clean()
    org.save()
    audit_record(
        actor=actor,
        action="party.org.create",
        obj=org,
        fields=["node", "name", "kind", "parent", "site", "start_date", "end_date"],
    )
    return org


@transaction.atomic
def org_end(*, actor: User, org: PartyOrg, end_date: date) -> PartyOrg:
    """Close an organisation (a temporary branch when its site closes); it stays, read-only."""
    require_permission_at(actor, "party.manage", org.node)
    _not_ended(org)
    if Membership.objects.filter(org=org, end_date__isnull=True).exists():
        raise ValidationError({"end_date": "还有党员的组织关系在这里，请先转出再撤销"})
    org.end_date = end_date
    org.full_clean()
    org.save(update_fields=["end_date"])
    audit_record(actor=actor, action="party.org.end", obj=org, fields=["end_date"])
    return org


@transaction.atomic
def member_add(
    *,
    actor: User | None,
    org: PartyOrg,
    resident,
    status: str,
    start_date: date | None = None,
) -> Membership:
    """Record a resident (from the registry, never a copy) as a member or activist of an
    organisation. A resident belongs to one organisation at a time: moving is a transfer."""
    if actor is not None:
        require_permission_at(actor, "party.manage", org.node)
    _not_ended(org)
    membership = Membership(
        resident=resident,
        org=org,
        status=status,
        start_date=start_date or timezone.localdate(),
    )
    try:
        membership.full_clean()
    except ValidationError as error:
        # The one-current constraint names no field; the person picked is the field.
        if "__all__" in getattr(error, "error_dict", {}):
            raise ValidationError({"resident": error.error_dict["__all__"]}) from None
        raise
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Two clerks adding the same person at once: the constraint decides.
        raise ValidationError({"resident": "此人已在另一个党组织，请办理组织关系转接"}) from None
    people.resident_tags_sync(resident_ids=[resident.pk], tag_name=TAG_OF_STATUS[status], on=True)
    audit_record(
        actor=actor,
        action="party.membership.add",
        obj=membership,
        node=org.node,
        fields=["resident", "org", "status", "start_date"],
    )
    return membership


@transaction.atomic
def member_transfer(
    *, actor: User, membership: Membership, org: PartyOrg, on: date | None = None, reason: str = ""
) -> Membership:
    """Move a member to another organisation: the old membership ends that day and stays as
    history; the new one starts the same day."""
    require_permission_at(actor, "party.manage", membership.org.node)
    require_permission_at(actor, "party.manage", org.node)
    _not_ended(org)
    if not membership.is_current:
        raise ValidationError({"org": "这条组织关系已经转出，不能再转"})
    if membership.org_id == org.pk:
        raise ValidationError({"org": "已在这个党组织，无需转接"})
    on = on or timezone.localdate()
    if on < membership.start_date:
        raise ValidationError({"on": "转接日期不能早于转入本组织的日期"})
    membership.end_date = on
    membership.end_reason = (reason.strip() or f"转至{org.name}")[:100]
    with _renamed({"end_reason": "reason"}):
        membership.full_clean(exclude=["resident", "org"], validate_constraints=False)
    membership.save(update_fields=["end_date", "end_reason"])
    # The member's own login goes with them: they keep writing their own 请战书.
    moved = Membership(
        resident_id=membership.resident_id,
        org=org,
        status=membership.status,
        start_date=on,
        account_id=membership.account_id,
    )
    moved.full_clean()
    moved.save()
    audit_record(
        actor=actor,
        action="party.membership.transfer",
        obj=moved,
        node=org.node,
        fields=["org", "start_date", "end_date", "end_reason"],
    )
    return moved


@transaction.atomic
def membership_account_set(
    *, actor: User, membership: Membership, account: User | None
) -> Membership:
    """Link a member to their own login (None unlinks): with it the member writes their own
    请战书, and only theirs. The login must hold a role at or below the organisation's node,
    and belong to no other current member."""
    require_permission_at(actor, "party.manage", membership.org.node)
    if not membership.is_current:
        raise ValidationError({"account": "这条组织关系已经转出，请在现所在组织绑定"})
    if account is not None:
        if not selectors.account_roles_under(membership.org.node, [account.pk]):
            raise ValidationError({"account": ACCOUNT_NO_ROLE})
        others = Membership.objects.filter(account=account, end_date__isnull=True)
        if others.exclude(pk=membership.pk).exists():
            raise ValidationError({"account": ACCOUNT_TAKEN})
    if membership.account_id == (account.pk if account else None):
        return membership
    membership.account = account
    try:
        with transaction.atomic():
            membership.save(update_fields=["account"])
    except IntegrityError:
        # Two secretaries linking one login at once: the constraint decides.
        raise ValidationError({"account": ACCOUNT_TAKEN}) from None
    audit_record(
        actor=actor,
        action="party.membership.account_link" if account else "party.membership.account_unlink",
        obj=membership,
        node=membership.org.node,
        fields=["account"],
    )
    return membership


@transaction.atomic
def call_create(
    *,
    actor: User,
    org: PartyOrg,
    title: str,
    text: str,
    needs: str = "",
    days: int | None = None,
    issued_on: date | None = None,
) -> Call:
    """An organisation issues a call to action (倡议) to its members and those below it."""
    require_permission_at(actor, "party.manage", org.node)
    _not_ended(org)
    call = Call(
        org=org,
        title=title.strip(),
        text=text.strip(),
        needs=needs.strip(),
        days=days,
        issued_on=issued_on or timezone.localdate(),
        created_by=actor,
    )
    call.full_clean()
    call.save()
    audit_record(
        actor=actor,
        action="party.call.create",
        obj=call,
        node=org.node,
        fields=["org", "title", "text", "needs", "days", "issued_on"],
    )
    return call


def pledge_submit(
    *,
    actor: User,
    call: Call,
    membership: Membership | None,
    idempotency_key: str,
    availability: str = "",
    skills: str = "",
    text: str = "",
    by_secretary: bool = False,
) -> tuple[Pledge, bool]:
    """A member answers a call in writing (请战书): on their phone, as the member their login
    is linked to (membership None or their own), or through a secretary who manages the
    member's organisation (书记代填 is the secretary's to mark). One pledge per member per
    call. Returns (pledge, created): the same key from the same user again returns the
    stored pledge; with a different body it is refused."""
    key = (idempotency_key or "").strip()
    if not key:
        raise ValidationError({"idempotency_key": "缺少请求编号（idempotency_key）"})
    if membership is None or not user_can(actor, "party.manage", membership.org.node):
        # Anyone but the member's secretary speaks only for the member their login is
        # linked to: naming another member (or marking 书记代填) would forge a pledge.
        own = selectors.membership_of_account(actor)
        if own is None:
            raise ValidationError({"member": PLEDGE_NOT_LINKED})
        if membership is not None and membership.pk != own.pk:
            raise ValidationError({"member": PLEDGE_OWN_ONLY})
        if not user_can(actor, "party.manage", own.org.node):
            by_secretary = False
        membership = own
    digest = request_digest(
        call=call.pk,
        member=membership.pk,
        availability=availability.strip(),
        skills=skills.strip(),
        text=text.strip(),
        by_secretary=by_secretary,
    )
    stored = Pledge.objects.filter(entered_by=actor, idempotency_key=key).first()
    if stored is not None:
        return _repeat(stored, digest)
    require_permission_at(actor, "party.pledge", membership.org.node)
    if not membership.is_current:
        raise ValidationError({"member": "这名党员的组织关系已转出，请在现所在组织填写"})
    if not membership.org.node.path.startswith(call.org.node.path):
        raise ValidationError({"member": "这名党员不在发出倡议的党组织辖区内"})
    pledge = Pledge(
        call=call,
        membership=membership,
        resident_id=membership.resident_id,
        availability=availability.strip(),
        skills=skills.strip(),
        text=text.strip(),
        by_secretary=by_secretary,
        entered_by=actor,
        idempotency_key=key,
    )
    try:
        pledge.full_clean(exclude=["call", "membership", "resident", "entered_by"])
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):
            raise ValidationError({"member": error.error_dict["__all__"]}) from None
        raise
    try:
        with transaction.atomic():
            pledge.save(force_insert=True)
            audit_record(
                actor=actor,
                action="party.pledge.create",
                obj=pledge,
                node=membership.org.node,
                fields=["call", "resident", "availability", "skills", "text", "by_secretary"],
            )
    except IntegrityError:
        stored = Pledge.objects.filter(entered_by=actor, idempotency_key=key).first()
        if stored is not None:
            return _repeat(stored, digest)
        raise ValidationError(
            {"member": "这名党员已经响应过这份倡议，一份倡议只能交一份请战书"}
        ) from None
    return pledge, True


def _repeat(stored: Pledge, digest: str) -> tuple[Pledge, bool]:
    again = request_digest(
        call=stored.call_id,
        member=stored.membership_id,
        availability=stored.availability,
        skills=stored.skills,
        text=stored.text,
        by_secretary=stored.by_secretary,
    )
    if again != digest:
        raise IdempotencyConflict()
    return stored, False


@transaction.atomic
def pledge_assign(
    *,
    actor: User,
    pledge: Pledge,
    kind: str,
    post: Post | None = None,
    note: str = "",
) -> Pledge:
    """Assign a pledge to a pioneer post, a responsibility zone, a team, a checkpoint shift or
    another task — or (kind "reserve") thank the member and keep them in reserve. Assigning
    to a post or zone makes the member one of its holders."""
    require_permission_at(actor, "party.manage", pledge.call.org.node)
    note = note.strip()
    if kind == "reserve":
        pledge.status = PledgeStatus.RESERVE
        pledge.assignment_kind, pledge.post, pledge.assignment_note = "", None, note
    elif kind in (AssignmentKind.PIONEER_POST, AssignmentKind.ZONE):
        wanted = PostKind.PIONEER_POST if kind == AssignmentKind.PIONEER_POST else PostKind.ZONE
        if post is None or post.kind != wanted:
            raise ValidationError({"post": f"请选择一个{AssignmentKind(kind).label}"})
        require_permission_at(actor, "party.manage", post.node)
        pledge.status, pledge.assignment_kind, pledge.post = PledgeStatus.ASSIGNED, kind, post
        pledge.assignment_note = note or post.name
        PostHolder.objects.get_or_create(post=post, resident_id=pledge.resident_id)
    elif kind in AssignmentKind.values:
        if not note:
            raise ValidationError({"note": "请写明安排到哪支队伍、哪个班次或什么任务"})
        pledge.status, pledge.assignment_kind, pledge.post = PledgeStatus.ASSIGNED, kind, None
        pledge.assignment_note = note
    else:
        raise ValidationError({"kind": "请选择安排去向，或感谢并备用"})
    with _renamed({"assignment_note": "note"}):
        pledge.full_clean(exclude=["call", "membership", "resident", "entered_by", "post"])
    pledge.save(update_fields=["status", "assignment_kind", "post", "assignment_note"])
    audit_record(
        actor=actor,
        action="party.pledge.assign",
        obj=pledge,
        node=pledge.call.org.node,
        fields=["status", "assignment_kind", "post", "assignment_note"],
    )
    return pledge


@transaction.atomic
def post_create(
    *,
    actor: User | None,
    node: Node,
    kind: str,
    name: str,
    org: PartyOrg | None = None,
    description: str = "",
) -> Post:
    """Name a pioneer post (党员先锋岗) or a responsibility zone (党员责任区) at a node."""
    if actor is not None:
        require_permission_at(actor, "party.manage", node)
    if org is not None:
        _not_ended(org)
    post = Post(kind=kind, name=name.strip(), node=node, org=org, description=description.strip())
    post.full_clean()
    post.save()
    audit_record(
        actor=actor, action="party.post.create", obj=post, fields=["kind", "name", "node", "org"]
    )
    return post


@transaction.atomic
def post_holder_add(*, actor: User | None, post: Post, membership: Membership) -> PostHolder:
    """Put a member on a post or zone (a zone with nobody is a gap)."""
    if actor is not None:
        require_permission_at(actor, "party.manage", post.node)
    if not membership.is_current:
        raise ValidationError({"member": "这条组织关系已经转出"})
    holder = PostHolder(post=post, resident_id=membership.resident_id)
    holder.full_clean(exclude=["post", "resident"])
    if PostHolder.objects.filter(post=post, resident_id=membership.resident_id).exists():
        raise ValidationError({"member": "这名党员已在此岗"})
    holder.save()
    audit_record(
        actor=actor,
        action="party.post_holder.add",
        obj=holder,
        node=post.node,
        fields=["post", "resident"],
    )
    return holder


@transaction.atomic
def oath_record(
    *,
    actor: User,
    org: PartyOrg,
    held_on: date,
    place: str,
    attendees: list[Membership],
    note: str = "",
) -> Oath:
    """Record an oath event (宣誓) of an organisation: the day, the place, and the members
    and activists present — current members of the organisation or those below it."""
    require_permission_at(actor, "party.manage", org.node)
    _not_ended(org)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "宣誓日期不能晚于今天"})
    if not attendees:
        raise ValidationError({"attendees": "请选择参加宣誓的党员或入党积极分子"})
    below = selectors.org_subtree_ids(org)
    for membership in attendees:
        if not membership.is_current or membership.org_id not in below:
            raise ValidationError({"attendees": "只能选择本组织及下级组织现有的党员和积极分子"})
    if len({m.resident_id for m in attendees}) != len(attendees):
        raise ValidationError({"attendees": "同一人只能选一次"})
    oath = Oath(org=org, held_on=held_on, place=place.strip(), note=note.strip(), created_by=actor)
    oath.full_clean()
    oath.save()
    OathAttendee.objects.bulk_create(
        OathAttendee(oath=oath, resident_id=m.resident_id, status=m.status) for m in attendees
    )
    audit_record(
        actor=actor,
        action="party.oath.create",
        obj=oath,
        node=org.node,
        fields=["org", "held_on", "place", "note", "attendees"],
    )
    return oath


@transaction.atomic
def flag_plant(
    *,
    actor: User | None,
    org: PartyOrg,
    checkpoint_id: int | None = None,
    name: str = "",
    since: date | None = None,
) -> FlagSite:
    """Record that an organisation's flag flies at a front-line site (旗帜飘扬在一线): a
    checkpoint at or below the organisation's node, or another site named at its node."""
    if actor is not None:
        require_permission_at(actor, "party.manage", org.node)
    _not_ended(org)
    if checkpoint_id is not None:
        place = checkpoints.checkpoint_place(checkpoint_id)
        if place is None or not place[0].path.startswith(org.node.path):
            raise ValidationError({"checkpoint": "请选择本组织辖区内的卡口"})
        node, name = place
        if actor is not None:
            require_permission_at(actor, "party.manage", node)
    else:
        node, name = org.node, name.strip()
        if not name:
            raise ValidationError({"name": "请选择卡口，或写明点位名称（隔离点、排查组…）"})
    site = FlagSite(
        org=org,
        checkpoint_id=checkpoint_id,
        node=node,
        name=name,
        since=since or timezone.localdate(),
    )
    try:
        site.full_clean(exclude=["checkpoint"])
        site.validate_constraints()
    except ValidationError as error:
        if "__all__" in getattr(error, "error_dict", {}):
            field = "checkpoint" if checkpoint_id is not None else "name"
            raise ValidationError({field: error.error_dict["__all__"]}) from None
        raise
    site.save()
    audit_record(
        actor=actor,
        action="party.flag_site.create",
        obj=site,
        node=node,
        fields=["org", "checkpoint", "name", "since"],
    )
    return site
