"""Reads for errands, already scoped: the open list of a volunteer's villages, my errands
(and my 党员代购车's), the overdue list, households, and who may see an address."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from frontline.core.lists import under
from frontline.core.models import Node, User
from frontline.core.scoping import in_scope, user_can
from frontline.errands import figures
from frontline.errands.models import Errand, ErrandHousehold, MealSeries, Status
from frontline.teams import public as teams


def errands_for(user: User, permission: str = "errands.view") -> QuerySet[Errand]:
    """Errands of the villages where the user holds the permission."""
    return in_scope(
        Errand.objects.select_related("node", "claimed_by", "claimed_team").prefetch_related(
            "lines"
        ),
        user,
        permission,
    )


def errands_open(user: User) -> QuerySet[Errand]:
    """Waiting errands a volunteer may claim: those of the villages where they claim."""
    return (
        errands_for(user, "errands.claim")
        .filter(status=Status.SUBMITTED)
        .order_by("deliver_by", "pk")
    )


def errands_open_count(user: User) -> int:
    return (
        in_scope(Errand.objects.all(), user, "errands.claim")
        .filter(status=Status.SUBMITTED)
        .count()
    )


def errands_mine(user: User) -> QuerySet[Errand]:
    """What the user claimed, or a 党员代购车 they are in did, unfinished first, then the
    latest done."""
    crew = Q(claimed_by=user) | Q(claimed_team__in=teams.purchase_vehicles_of(user).values("pk"))
    return errands_for(user).filter(crew).order_by("settled_at", "-deliver_by", "-pk")


def errands_overdue(user: User, node: Node | None = None, now=None) -> QuerySet[Errand]:
    """Unfinished errands past their deliver-by time, in the villages the user manages (under
    `node` when given: the rows the dashboard's 逾期跑腿 figure counts there)."""
    overdue = figures.overdue_now(under(errands_for(user, "errands.manage"), node), now)
    return overdue.order_by("node__path", "deliver_by")


def errands_overdue_count(user: User) -> int:
    return figures.overdue_now(in_scope(Errand.objects.all(), user, "errands.manage")).count()


def errands_all(user: User, status: str = "") -> QuerySet[Errand]:
    """Every errand the user may see, latest first; `status` filters."""
    qs = errands_for(user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-deliver_by", "-pk")


def households_for(user: User) -> QuerySet[ErrandHousehold]:
    """Households enrolled for errands in the villages the user manages."""
    return in_scope(
        ErrandHousehold.objects.select_related("resident", "node"), user, "errands.manage"
    )


def errands_of_household(household: ErrandHousehold) -> QuerySet[Errand]:
    """A household's own errands, the latest first (its QR page)."""
    return (
        Errand.objects.filter(household=household)
        .select_related("claimed_by", "claimed_team")
        .prefetch_related("lines")
        .order_by("-deliver_by", "-pk")
    )


def series_of_household(household: ErrandHousehold) -> QuerySet[MealSeries]:
    return MealSeries.objects.filter(household=household).order_by("-pk")


def series_for(user: User) -> QuerySet[MealSeries]:
    return in_scope(MealSeries.objects.select_related("node"), user, "errands.manage")


def vehicles_of(user: User):
    """The 党员代购车 the user may claim for (a member or its leader)."""
    return teams.purchase_vehicles_of(user)


def crew_rule(user: User) -> Callable[[Errand], bool]:
    """is_crew for many errands of one request: the user's 党员代购车 read at most once."""
    vehicle_ids: set[int] | None = None

    def carries(errand: Errand) -> bool:
        nonlocal vehicle_ids
        if not errand.claimed_by_id:
            return False
        if errand.claimed_by_id == user.pk:
            return True
        if not errand.claimed_team_id:
            return False
        if vehicle_ids is None:
            vehicle_ids = set(teams.purchase_vehicles_of(user).values_list("pk", flat=True))
        return errand.claimed_team_id in vehicle_ids

    return carries


def is_crew(user: User, errand: Errand) -> bool:
    """Whether the user carries this errand: its claimer, or — claimed for a 党员代购车 —
    any member of that vehicle."""
    return crew_rule(user)(errand)


def address_rule(user: User) -> Callable[[Errand], bool]:
    """address_visible for many errands of one request (an API page): one look-up in all."""
    carries = crew_rule(user)
    return lambda errand: (
        (not errand.finished and carries(errand)) or user_can(user, "errands.manage", errand.node)
    )


def address_visible(user: User, errand: Errand) -> bool:
    """The address (and the receipt) is for whoever carries the errand — its claimer, or
    the crew of the vehicle it was claimed for — while it is on its way, and for the
    village's cadres; before a claim a volunteer sees the village and the items only,
    and once delivered the door is no longer the crew's business (a cadre settles)."""
    return address_rule(user)(errand)
