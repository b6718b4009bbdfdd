"""Reads for community work, scoped to the user; counts per village."""

from collections import defaultdict
from datetime import date

from django.db.models import Q, QuerySet, Sum

from frontline.community.models import CareVisit, Exemplar, FamilyEvent, FamilyHelp, Publicity
from frontline.control import public as control
from frontline.core.models import Node, NodeKind, User
from frontline.core.scoping import in_scope, path_filter, scope_paths, scope_root
from frontline.people import public as people
from frontline.teams import public as teams

VIEW = "community.view"
CARE, CARE_ALL = "community.care", "community.care_all"


def publicity_for(user: User) -> QuerySet[Publicity]:
    return in_scope(Publicity.objects.all(), user, VIEW).select_related("node")


def family_events_for(user: User) -> QuerySet[FamilyEvent]:
    return in_scope(FamilyEvent.objects.all(), user, VIEW).select_related("node", "resident__node")


def care_visits_for(user: User) -> QuerySet[CareVisit]:
    """Visits the user may read (a temperature, a need: health data): every visit of the
    places where they hold CARE_ALL; elsewhere in their CARE places, the ones they recorded.
    The list, the API and the hand-on pages all read through this."""
    where = path_filter(scope_paths(user, CARE_ALL), "node__path") | (
        path_filter(scope_paths(user, CARE), "node__path") & Q(created_by=user)
    )
    return CareVisit.objects.filter(where).select_related("node", "resident__node")


def care_visits_counted(user: User) -> QuerySet[CareVisit]:
    """Every visit at the user's places, to be counted (by volunteer), never listed."""
    return in_scope(CareVisit.objects.all(), user, VIEW)


def care_visits_to_hand_on(user: User) -> QuerySet[CareVisit]:
    """Visits the user reads, at the places where they record, with a need not yet handed on."""
    return (
        in_scope(care_visits_for(user), user, "community.record")
        .exclude(needs="")
        .filter(handed_to="")
        .select_related("node", "resident__node")
    )


def five_service_kinds() -> list[str]:
    """The 五送 kinds a need may be recorded as (control's, through its public module)."""
    return control.five_service_kinds()


def family_help_for(user: User) -> QuerySet[FamilyHelp]:
    return in_scope(FamilyHelp.objects.all(), user, VIEW).select_related("node")


def exemplars_for(user: User) -> QuerySet[Exemplar]:
    return in_scope(Exemplar.objects.all(), user, VIEW).select_related("node")


def _village(node: Node) -> Node:
    return people.village_of(node) or node


KEYS = ("leaflets", "posters", "routes", "routes_logged", "consultations")


def publicity_rows(node: Node, start: date, end: date) -> list[dict]:
    """Per village and day: leaflets typed here plus control's 送咨询, and the total; the
    loudspeaker routes typed here plus those the teams logged (小喇叭宣传), and theirs."""
    rows: dict[tuple[int, date], dict] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    typed = (
        Publicity.objects.filter(path_filter([node.path], "node__path"), day__range=(start, end))
        .values("node_id", "day")
        .annotate(
            leaflets=Sum("leaflets"), posters=Sum("posters"), routes=Sum("loudspeaker_routes")
        )
    )
    for row in typed:
        target = rows[(row["node_id"], row["day"])]
        for key in ("leaflets", "posters", "routes"):
            target[key] += row[key]
    for (node_id, day), count in control.consultations_by_village(node, start, end).items():
        rows[(node_id, day)]["consultations"] += count
    for (node_id, day), count in teams.loudspeaker_routes_by_node(node, start, end).items():
        rows[(node_id, day)]["routes_logged"] += count
    nodes = {
        found.pk: found
        for found in Node.objects.filter(pk__in={node_id for node_id, _ in rows}).select_related(
            "parent"
        )
    }
    merged: dict[tuple[int, date], dict] = defaultdict(lambda: dict.fromkeys(KEYS, 0))
    for (node_id, day), row in rows.items():
        village = _village(nodes[node_id])
        target = merged[(village.pk, day)]
        target["village"] = village.name
        target["day"] = day
        for key in KEYS:
            target[key] += row[key]
    result = []
    for row in merged.values():
        row["total"] = row["leaflets"] + row["consultations"]
        row["routes_total"] = row["routes"] + row["routes_logged"]
        result.append(row)
    result.sort(key=lambda r: (r["day"], r["village"]), reverse=True)
    return result


def counts_by_village(queryset: QuerySet, field: str = "kind") -> list[tuple[str, dict]]:
    """{village name: {value of field: count}} for a list's rows."""
    counts: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for row in queryset.select_related("node__parent"):
        counts[_village(row.node).name][getattr(row, field)] += 1
    return sorted((name, dict(values)) for name, values in counts.items())


def root_for(user: User) -> Node | None:
    return scope_root(user, VIEW)


def residents_found(user: User, text: str) -> list:
    """Residents the user may record a visit or an event for, by name start or phone tail
    only: a whole phone or ID finds nobody here (the form refuses it before asking), since
    the user may not hold the roster and must not learn whose number it is."""
    if people.query_is_personal(text):
        return []
    return people.resident_find(user, text, permission="community.record", limit=10)


def villages_for(user: User, permission: str) -> QuerySet[Node]:
    from frontline.core.scoping import nodes_visible

    return nodes_visible(user, permission).filter(
        kind__in=[NodeKind.VILLAGE, NodeKind.GRID], is_active=True
    )


def care_visits_due_for_retention(cutoff: date) -> QuerySet[CareVisit]:
    """Visits made before the cutoff day that still hold a temperature or a need (the
    health part of the record; anonymised ones are not due again)."""
    return CareVisit.objects.filter(day__lt=cutoff).exclude(temperature__isnull=True, needs="")


def care_visits_past_retention(cutoff: date) -> int:
    """Visits made before the cutoff day that still hold a temperature or a need."""
    return care_visits_due_for_retention(cutoff).count()
