"""Reads of residents and households, already scoped to the asking user."""

from dataclasses import dataclass
from enum import Enum

from django.db.models import QuerySet

from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import (
    PersonalDataError,
    id_number_parse,
    keyed_hash,
    phone_parse,
    text_normalise,
)
from frontline.core.scoping import in_scope, nodes_visible
from frontline.people.models import Household, Resident, RosterImport, Tag


class QueryKind(Enum):
    EMPTY = "empty"
    NAME = "name"
    PHONE_TAIL = "phone_tail"
    PHONE = "phone"
    ID_NUMBER = "id_number"
    BAD_ID = "bad_id"


@dataclass(frozen=True)
class Query:
    """What a search box holds, understood: a name, a phone tail, a whole phone or an ID."""

    kind: QueryKind
    text: str = ""
    digest: str = ""

    @property
    def is_personal(self) -> bool:
        """A whole ID or phone: it must never travel in a URL."""
        return self.kind in (QueryKind.PHONE, QueryKind.ID_NUMBER, QueryKind.BAD_ID)


def query_parse(raw: str) -> Query:
    """Classify a search: any accepted spelling of an ID or phone is found by its keyed hash."""
    text = text_normalise(raw)
    if not text:
        return Query(QueryKind.EMPTY)
    compact = "".join(text.split()).replace("-", "")
    if compact.isdigit() and len(compact) <= 4:
        return Query(QueryKind.PHONE_TAIL, compact)
    if len(compact) >= 15 and compact[:-1].isdigit():
        try:
            return Query(QueryKind.ID_NUMBER, digest=keyed_hash(id_number_parse(compact).value))
        except PersonalDataError:
            return Query(QueryKind.BAD_ID)
    if compact.lstrip("+").isdigit() and len(compact) >= 7:
        try:
            return Query(QueryKind.PHONE, digest=keyed_hash(phone_parse(compact)))
        except PersonalDataError:
            return Query(QueryKind.BAD_ID)
    return Query(QueryKind.NAME, text)


def residents_for(user: User, permission: str = "people.view") -> QuerySet[Resident]:
    """Residents of the nodes where the user holds the permission."""
    return in_scope(Resident.objects.all(), user, permission)


def resident_search(
    user: User,
    *,
    query: Query | None = None,
    node: Node | None = None,
    tag: Tag | None = None,
    permission: str = "people.view",
) -> QuerySet[Resident]:
    """The list page and API: scoped, searched, filtered, ordered by place then registration."""
    qs = residents_for(user, permission)
    if node is not None:
        low, high = node.bounds
        qs = qs.filter(node__path__gte=low, node__path__lt=high)
    if tag is not None:
        qs = qs.filter(tags=tag)
    query = query or Query(QueryKind.EMPTY)
    if query.kind == QueryKind.NAME:
        qs = qs.filter(name__startswith=query.text)
    elif query.kind == QueryKind.PHONE_TAIL:
        qs = (
            qs.filter(phone_last4=query.text)
            if len(query.text) == 4
            else qs.filter(phone_last4__endswith=query.text)
        )
    elif query.kind == QueryKind.PHONE:
        qs = qs.filter(phone_hash=query.digest)
    elif query.kind == QueryKind.ID_NUMBER:
        qs = qs.filter(id_hash=query.digest)
    elif query.kind == QueryKind.BAD_ID:
        qs = qs.none()
    # Place, then registration order: the (node, id) index serves both filter and order.
    return qs.select_related("node__parent", "household").order_by("node_id", "id")


def resident_places(user: User, permission: str = "people.view") -> QuerySet[Node]:
    """Villages and village grids the user may pick: for filters and forms."""
    return (
        nodes_visible(user, permission)
        .filter(is_active=True, kind__in=[NodeKind.VILLAGE, NodeKind.GRID])
        .exclude(kind=NodeKind.GRID, parent__kind=NodeKind.TOWN)
        .order_by("path")
    )


def households_for(user: User) -> QuerySet[Household]:
    return in_scope(Household.objects.select_related("node"), user, "people.view")


def household_members(household: Household, user: User) -> QuerySet[Resident]:
    return (
        residents_for(user)
        .filter(household=household)
        .select_related("node__parent", "household")
        .prefetch_related("tags")
        .order_by("id")
    )


def imports_for(user: User) -> QuerySet[RosterImport]:
    """The user's own roster imports within their import scope."""
    return in_scope(RosterImport.objects.all(), user, "people.import").filter(created_by=user)
