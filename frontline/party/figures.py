"""Party figures for the command dashboard: organisations, members, activists, pledges,
temporary branches, pioneer posts, responsibility zones and flag sites. Each counts the very
rows its list page shows for the same node and span (the selectors' row sets)."""

from datetime import date

from frontline.core.lists import list_url
from frontline.core.models import Node
from frontline.party import selectors
from frontline.party.models import FlagSite, Membership, PartyOrg, Pledge, Post, PostKind


def _orgs(node: Node, which: str, start: date, end: date) -> int:
    qs = selectors.under(PartyOrg.objects.all(), node, "node__path")
    return selectors.org_rows(qs, which, start, end).count()


def party_orgs(node: Node, start: date, end: date) -> int:
    """Standing organisations (党委、党总支、党支部) alive in the span (基层党组织)."""
    return _orgs(node, "standing", start, end)


def calling_orgs(node: Node, start: date, end: date) -> int:
    """Organisations that issued a call in the span (发出倡议的党组织)."""
    return _orgs(node, "calling", start, end)


def temporary_branches(node: Node, start: date, end: date) -> int:
    """Temporary branches active in the span (临时党支部)."""
    return _orgs(node, "temporary", start, end)


def _members(node: Node, which: str) -> int:
    qs = selectors.under(Membership.objects.all(), node, "org__node__path")
    return selectors.member_rows(qs, which).count()


def party_members(node: Node, start: date, end: date) -> int:
    """Current party members, full and probationary (党员)."""
    return _members(node, "members")


def activists(node: Node, start: date, end: date) -> int:
    """Current activists applying to join (入党积极分子)."""
    return _members(node, "activists")


def pledges(node: Node, start: date, end: date) -> int:
    """Pledges written in the span (请战书)."""
    qs = selectors.under(Pledge.objects.all(), node, "membership__org__node__path")
    return selectors.pledge_rows(qs, start, end).count()


def _posts(node: Node, kind: str) -> int:
    return selectors.post_rows(
        selectors.under(Post.objects.all(), node, "node__path"), kind
    ).count()


def pioneer_posts(node: Node, start: date, end: date) -> int:
    """Pioneer posts (党员先锋岗)."""
    return _posts(node, PostKind.PIONEER_POST)


def responsibility_zones(node: Node, start: date, end: date) -> int:
    """Responsibility zones (党员责任区)."""
    return _posts(node, PostKind.ZONE)


def flag_sites(node: Node, start: date, end: date) -> int:
    """Front-line sites where an organisation's flag flies at the span's end (旗帜飘扬)."""
    qs = selectors.under(FlagSite.objects.all(), node, "node__path")
    return selectors.flag_rows(qs, end).count()


def org_page(which: str):
    return lambda node, start, end: list_url("party:org_list", node, start, end, set=which)


def member_page(which: str):
    return lambda node, start, end: list_url("party:member_list", node, start, end, set=which)


def pledge_page(node: Node, start: date, end: date) -> str:
    return list_url("party:pledge_list", node, start, end)


def post_page(kind: str):
    return lambda node, start, end: list_url("party:post_list", node, start, end, kind=kind)


def flag_page(node: Node, start: date, end: date) -> str:
    return list_url("party:flag_list", node, start, end)
