"""Organisations, members, calls and pledges for tests, made through the services."""

import itertools
from datetime import date

from frontline.core.models import Node, User
from frontline.party import services
from frontline.party.models import Call, Membership, OrgKind, PartyOrg, Pledge, Post, PostKind
from frontline.people.tests.factories import resident_make

_n = itertools.count(1)


def org_make(node: Node, name: str = "", kind: str = OrgKind.BRANCH, **fields) -> PartyOrg:
    if kind == OrgKind.TEMPORARY:
        fields.setdefault("site", "村口卡点")
    return services.org_create(
        actor=None,
        node=node,
        name=name or f"{node.name}党支部{next(_n)}",
        kind=kind,
        start_date=fields.pop("start_date", date(2020, 1, 20)),
        **fields,
    )


def member_make(org: PartyOrg, name: str = "", status: str = "full", node=None) -> Membership:
    resident = resident_make(node or org.node, name=name or f"党员{next(_n)}")
    return services.member_add(actor=None, org=org, resident=resident, status=status)


def call_make(org: PartyOrg, actor: User, title: str = "") -> Call:
    return services.call_create(
        actor=actor, org=org, title=title or f"倡议{next(_n)}", text="党员同志们，请到一线去"
    )


def pledge_make(call: Call, membership: Membership, actor: User, **fields) -> Pledge:
    pledge, _ = services.pledge_submit(
        actor=actor,
        call=call,
        membership=membership,
        idempotency_key=fields.pop("idempotency_key", f"pledge-{next(_n)}"),
        **fields,
    )
    return pledge


def post_make(node: Node, kind: str = PostKind.ZONE, name: str = "") -> Post:
    return services.post_create(actor=None, node=node, kind=kind, name=name or f"责任区{next(_n)}")


MEMBER_HEADER = ["姓名", "身份证号", "党组织", "身份", "转入日期"]


def member_import_make(actor: User, rows: list[list]):
    """A previewed party-member roster of these rows (after the header), uploaded by actor."""
    from frontline.core.staged_import.pipeline import staged_preview
    from frontline.party.imports import MemberImporter
    from frontline.people.tests.rosters import xlsx_make

    upload = xlsx_make([MEMBER_HEADER, *rows], name="党员名册.xlsx")
    return staged_preview(
        importer=MemberImporter, actor=actor, upload=upload, filename="党员名册.xlsx"
    )


def oath_make(org: PartyOrg, actor: User, members: list[Membership], **fields):
    return services.oath_record(
        actor=actor,
        org=org,
        held_on=fields.pop("held_on", date(2020, 7, 1)),
        place=fields.pop("place", "村委会会议室"),
        attendees=members,
        **fields,
    )
