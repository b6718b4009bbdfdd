"""Reads of residents and households, already scoped to the asking user."""

from dataclasses import dataclass
from enum import Enum

from django.db import connection
from django.db.models import Q, QuerySet

from frontline.core.models import Node, NodeKind, User
from frontline.core.paging import capped_page
from frontline.core.personal_data import (
    PersonalDataError,
    id_number_parse,
    keyed_hash,
    phone_last_digits,
    phone_parse,
    text_normalise,
)
from frontline.core.scoping import in_scope, nodes_visible
from frontline.people.models import Household, Resident, Tag


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
    tail: str = ""

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
            e164 = phone_parse(compact)
            return Query(QueryKind.PHONE, digest=keyed_hash(e164), tail=phone_last_digits(e164))
        except PersonalDataError:
            return Query(QueryKind.BAD_ID)
    return Query(QueryKind.NAME, text)


def name_prefix(text: str) -> Q:
    """Names starting with `text`, answered from an index at a million residents.

    PostgreSQL serves LIKE 'x%' from the varchar_pattern_ops index whatever its
    collation; SQLite's LIKE is case-insensitive and never uses an index, but a
    range in its binary order does, with the same answer.
    """
    condition = Q(name__startswith=text)
    if connection.vendor == "sqlite":
        condition &= Q(name__gte=text, name__lt=text + "\U0010ffff")
    return condition


def residents_for(user: User, permission: str = "people.view") -> QuerySet[Resident]:
    """Residents of the nodes where the user holds the permission."""
    return in_scope(Resident.objects.all(), user, permission)


def resident_find(user: User, text: str, *, permission: str, limit: int = 30) -> list[Resident]:
    """Residents to pick from another app's page: by the start of the name, by the last
    four digits of the phone, or by a whole ID number or phone (its keyed hash; such a
    search comes by POST, never in a URL: `query_is_personal`)."""
    text = text.strip()
    qs = residents_for(user, permission).select_related("node")
    query = query_parse(text)
    if text.isdigit() and len(text) == 4:
        qs = qs.filter(phone_last4=text)
    elif query.kind == QueryKind.ID_NUMBER:
        qs = qs.filter(id_hash=query.digest)
    elif query.kind == QueryKind.PHONE:
        qs = qs.filter(phone_last4=query.tail, phone_hash=query.digest)
    elif query.kind == QueryKind.BAD_ID:
        return []
    else:
        qs = qs.filter(name_prefix(text))
    return list(qs.order_by("name", "pk")[:limit])


def query_is_personal(text: str) -> bool:
    """Whether a search holds a whole ID number or phone: it must not travel in a URL."""
    return query_parse(text).is_personal


def residents_tagged(
    residents: QuerySet[Resident], tags: tuple[str, ...] | list[str]
) -> QuerySet[Resident]:
    """Those of `residents` holding any of these tags (by name), each once."""
    return residents.filter(tags__name__in=tags).distinct()


def residents_tagged_in(path: str, tag: str, limit: int = 300) -> list[Resident]:
    """Residents of the subtree at `path` holding the tag (party members of a village…)."""
    return list(
        Resident.objects.filter(node__path__startswith=path, tags__name=tag).order_by("name", "pk")[
            :limit
        ]
    )


def tags_all() -> QuerySet[Tag]:
    """Every tag: tags are shared by the whole registry."""
    return Tag.objects.all()


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
        qs = qs.filter(name_prefix(query.text))
    elif query.kind == QueryKind.PHONE_TAIL:
        qs = (
            qs.filter(phone_last4=query.text)
            if len(query.text) == 4
            else qs.filter(phone_last4__endswith=query.text)
        )
    elif query.kind == QueryKind.PHONE:
        # The tail's index narrows to a handful of rows; the keyed hash picks the one.
        qs = qs.filter(phone_last4=query.tail, phone_hash=query.digest)
    elif query.kind == QueryKind.ID_NUMBER:
        qs = qs.filter(id_hash=query.digest)
    elif query.kind == QueryKind.BAD_ID:
        qs = qs.none()
    # Place, then registration order: the (node, id) index serves both filter and order.
    return qs.select_related("node__parent", "household").order_by("node_id", "id")


def resident_page(residents: QuerySet[Resident], number: object, per_page: int):
    """One page of a search: the ids first (an index-only top-N), then only those rows
    with their place, household and tags. Joining before the LIMIT would read every
    resident of a village on each page turn."""
    page = capped_page(residents.values_list("pk", flat=True), number, per_page)
    ids = list(page.object_list)
    found = (
        Resident.objects.select_related("node__parent", "household")
        .prefetch_related("tags")
        .in_bulk(ids)
    )
    return page, [found[pk] for pk in ids]


def resident_places(user: User, permission: str = "people.view") -> QuerySet[Node]:
    """Villages and village grids the user may pick: for filters and forms."""
    return (
        nodes_visible(user, permission)
        .filter(is_active=True, kind__in=[NodeKind.VILLAGE, NodeKind.GRID])
        .exclude(kind=NodeKind.GRID, parent__kind=NodeKind.TOWN)
        .select_related("parent")  # a grid is shown as 村·网格
        .order_by("path")
    )


def households_for(user: User) -> QuerySet[Household]:
    """Households of the user's villages, and those with a member the user sees (a grid
    worker's scope is a grid, the household belongs to the village)."""
    visible = nodes_visible(user, "people.view").values("pk")
    members = residents_for(user).values("household_id")
    return Household.objects.filter(Q(node__in=visible) | Q(pk__in=members)).select_related("node")


def household_members(household: Household, user: User) -> QuerySet[Resident]:
    return (
        residents_for(user)
        .filter(household=household)
        .select_related("node__parent", "household")
        .prefetch_related("tags")
        .order_by("id")
    )
