"""Reads for community work, scoped to the user; counts per village."""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet, Sum

from frontline.community.models import CareVisit, Exemplar, FamilyEvent, FamilyHelp, Publicity
from frontline.control import public as control
from frontline.core.models import Node, NodeKind, User
from frontline.core.scoping import in_scope, path_filter, scope_root
from frontline.people import public as people

VIEW = "community.view"


def publicity_for(user: User) -> QuerySet[Publicity]:
    return in_scope(Publicity.objects.all(), user, VIEW).select_related("node")


def family_events_for(user: User) -> QuerySet[FamilyEvent]:
    return in_scope(FamilyEvent.objects.all(), user, VIEW).select_related("node", "resident__node")


def care_visits_for(user: User) -> QuerySet[CareVisit]:
    return in_scope(CareVisit.objects.all(), user, VIEW).select_related("node", "resident__node")


def family_help_for(user: User) -> QuerySet[FamilyHelp]:
    return in_scope(FamilyHelp.objects.all(), user, VIEW).select_related("node")


def exemplars_for(user: User) -> QuerySet[Exemplar]:
    return in_scope(Exemplar.objects.all(), user, VIEW).select_related("node")


def _village(node: Node) -> Node:
    return people.village_of(node) or node


def publicity_rows(node: Node, start: date, end: date) -> list[dict]:
    """Per village and day: leaflets typed here plus control's 送咨询, and the total."""
    rows: dict[tuple[int, date], dict] = {}
    nodes: dict[int, Node] = {}
    typed = (
        Publicity.objects.filter(path_filter([node.path], "node__path"), day__range=(start, end))
        .values("node_id", "day")
        .annotate(
            leaflets=Sum("leaflets"), posters=Sum("posters"), routes=Sum("loudspeaker_routes")
        )
    )
    for row in typed:
        rows[(row["node_id"], row["day"])] = {
            "leaflets": row["leaflets"],
            "posters": row["posters"],
            "routes": row["routes"],
            "consultations": 0,
        }
    for (node_id, day), count in control.consultations_by_village(node, start, end).items():
        rows.setdefault(
            (node_id, day), {"leaflets": 0, "posters": 0, "routes": 0, "consultations": 0}
        )["consultations"] += count
    for found in Node.objects.filter(pk__in={node_id for node_id, _ in rows}).select_related(
        "parent"
    ):
        nodes[found.pk] = found
    merged: dict[tuple[int, date], dict] = defaultdict(
        lambda: {"leaflets": 0, "posters": 0, "routes": 0, "consultations": 0}
    )
    for (node_id, day), row in rows.items():
        village = _village(nodes[node_id])
        target = merged[(village.pk, day)]
        target["village"] = village.name
        target["day"] = day
        for key in ("leaflets", "posters", "routes", "consultations"):
            target[key] += row[key]
    result = []
    for row in merged.values():
        row["total"] = row["leaflets"] + row["consultations"]
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
    """Residents the user may record a visit or an event for, by name start or phone tail."""
    return people.resident_find(user, text, permission="community.record", limit=10)


def villages_for(user: User, permission: str) -> QuerySet[Node]:
    from frontline.core.scoping import nodes_visible

    return nodes_visible(user, permission).filter(
        kind__in=[NodeKind.VILLAGE, NodeKind.GRID], is_active=True
    )
