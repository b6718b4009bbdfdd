"""Where key-person control meets the people registry and the staff of a place."""

from django.db.models import Q, QuerySet

from frontline.control.models import IsolationStatus
from frontline.core.models import Node, RoleAssignment, User
from frontline.core.roles import Role
from frontline.core.scoping import in_scope
from frontline.people.models import Resident
from frontline.people.services import village_of

# Tags of households the 五送 services reach besides isolated ones.
VULNERABLE_TAGS = ("孤寡老人", "留守儿童", "困难家庭", "残疾人")
LEADER_ROLES = (Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE)


def place_path(node: Node) -> str:
    """The village a record belongs to (a grid's parent), or the node itself when higher."""
    return (village_of(node) or node).path


def residents_in_scope(user: User, permission: str) -> QuerySet[Resident]:
    return in_scope(Resident.objects.select_related("node"), user, permission)


def resident_search(user: User, query: str, limit: int = 30) -> list[Resident]:
    """Residents the user may register, by name or the last digits of the phone."""
    qs = residents_in_scope(user, "control.edit")
    digits = query.strip()
    if digits.isdigit() and len(digits) == 4:
        qs = qs.filter(phone_last4=digits)
    else:
        qs = qs.filter(name__startswith=query.strip())
    return list(qs.order_by("name", "pk")[:limit])


def _staff_of(node: Node, roles: tuple[str, ...] | None = None) -> QuerySet[User]:
    """Active users whose role covers this place or lies inside it."""
    place = place_path(node)
    ancestors = [place[:i] for i in range(10, len(place) + 1, 10)]
    assignments = RoleAssignment.objects.filter(
        Q(node__path__in=ancestors) | Q(node__path__startswith=place), node__is_active=True
    )
    if roles:
        assignments = assignments.filter(role__in=roles)
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "full_name", "username"
    )


def candidate_leaders(node: Node) -> QuerySet[User]:
    """Who may be the responsible leader of a key person here."""
    return _staff_of(node, LEADER_ROLES)


def candidate_six(node: Node) -> QuerySet[User]:
    """Who may be one of the six 六包一 people of an isolation here."""
    return _staff_of(node)


def party_members_of(node: Node, limit: int = 300) -> list[Resident]:
    """Party-member residents of the place: volunteers who may be one of the six."""
    return list(
        Resident.objects.filter(
            node__path__startswith=place_path(node), tags__name="党员"
        ).order_by("name", "pk")[:limit]
    )


def residents_for_services(user: User) -> list[tuple[int, str]]:
    """Choices for a 五送 entry: residents isolated now, then vulnerable households."""
    from frontline.core.personal_data import name_mask

    base = residents_in_scope(user, "control.service")
    isolated = base.filter(
        key_person_records__isolations__status=IsolationStatus.ACTIVE
    ).distinct()[:300]
    vulnerable = base.filter(tags__name__in=VULNERABLE_TAGS).distinct()[:300]
    choices, seen = [], set()
    for group, label in ((isolated, "居家隔离"), (vulnerable, "关爱对象")):
        for resident in group:
            if resident.pk not in seen:
                seen.add(resident.pk)
                choices.append(
                    (resident.pk, f"{name_mask(resident.name)}（{label}·{resident.node.name}）")
                )
    return choices
