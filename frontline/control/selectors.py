"""Reads for key persons, rounds, alerts, overdue slots and gaps, scoped to the user; the
staff and residents of a place that control's forms offer."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.utils import timezone

from frontline.control.masking import OwnRound, own_round
from frontline.control.models import (
    SIX_ROLE_HOLDERS,
    Alert,
    Isolation,
    IsolationStatus,
    KeyPerson,
    KeyPersonCategory,
    KeyPersonStatus,
    Reading,
    Referral,
    ReferralSource,
    Responsible,
    ServiceDelivery,
    ServiceKind,
    SixRole,
    Slot,
)
from frontline.control.rounds import slot_status
from frontline.core.lists import under  # noqa: F401 (the figures narrow with it too)
from frontline.core.models import Node, RoleAssignment, User
from frontline.core.personal_data import name_mask
from frontline.core.retention import ANONYMISED, cutoff_start
from frontline.core.roles import Role
from frontline.core.scoping import in_scope
from frontline.people import public as people

# Tags of households the 五送 services reach besides isolated ones.
VULNERABLE_TAGS = ("孤寡老人", "留守儿童", "困难家庭", "残疾人")
LEADER_ROLES = (Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE)


def key_persons_for(user: User, permission: str = "control.view") -> QuerySet[KeyPerson]:
    return in_scope(KeyPerson.objects.all(), user, permission).select_related(
        "resident", "category", "leader", "node"
    )


def categories_active() -> QuerySet[KeyPersonCategory]:
    """The kinds of key person offered for new registrations."""
    return KeyPersonCategory.objects.filter(is_active=True)


def categories_all() -> QuerySet[KeyPersonCategory]:
    """Every kind of key person, stopped ones too (the town's list page)."""
    return KeyPersonCategory.objects.order_by("-is_active", "sort_order", "pk")


def service_kinds_all() -> QuerySet[ServiceKind]:
    """Every kind of 五送 service, stopped ones too (the town's list page)."""
    return ServiceKind.objects.order_by("-is_active", "sort_order", "pk")


def service_kinds_active() -> QuerySet[ServiceKind]:
    """The kinds of 五送 service offered for new entries."""
    return ServiceKind.objects.filter(is_active=True)


def category_active(pk: int) -> KeyPersonCategory | None:
    return categories_active().filter(pk=pk).first()


def isolations_for(user: User, permission: str = "control.view") -> QuerySet[Isolation]:
    return in_scope(Isolation.objects.all(), user, permission).select_related(
        "key_person__resident", "node"
    )


def alerts_for(user: User, *, is_open: bool | None = True) -> QuerySet[Alert]:
    qs = in_scope(Alert.objects.all(), user, "control.view").select_related(
        "reading", "isolation__key_person__resident", "node"
    )
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    return qs.order_by("-opened_at")


def alert_id_of(reading: Reading) -> int | None:
    """The alert a fever reading opened."""
    return Alert.objects.filter(reading=reading).values_list("pk", flat=True).first()


def controlled_in_span(qs: QuerySet[KeyPerson], start: date, end: date) -> QuerySet[KeyPerson]:
    """Key persons under control at some moment of the span (重点人员): registered by its
    end, not closed before its start. The figure counts these rows; the list shows them."""
    return qs.filter(created_at__lt=local_midnight(end + timedelta(days=1))).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=local_midnight(start))
    )


def readings_in_span(
    qs: QuerySet[Reading], start: date, end: date, fevers_only: bool = False
) -> QuerySet[Reading]:
    """Door-step readings of the span's local days (体温测量人次; 发热 with `fevers_only`)."""
    qs = qs.filter(local_date__range=(start, end))
    return qs.filter(is_fever=True) if fevers_only else qs


def readings_for(user: User) -> QuerySet[Reading]:
    """Readings of isolations in the user's scope, newest first."""
    return (
        in_scope(Reading.objects.all(), user, "control.view")
        .select_related("isolation__key_person__resident", "node", "taken_by")
        .order_by("-taken_at", "-pk")
    )


def local_midnight(day: date) -> datetime:
    """The local midnight opening `day`. Moments are compared with it rather than each row's
    moment cast to a local date, which no index serves and SQLite does in Python."""
    return timezone.make_aware(datetime.combine(day, time.min))


def key_person_list(
    user: User,
    *,
    status: str = KeyPersonStatus.ACTIVE,
    category: int | None = None,
    gaps_only: bool = False,
) -> QuerySet[KeyPerson]:
    qs = key_persons_for(user)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category_id=category)
    if gaps_only:
        qs = qs.filter(Q(leader__isnull=True) | Q(team="") | Q(plan=""))
    return qs.annotate(
        active_isolations=Count("isolations", filter=Q(isolations__status=IsolationStatus.ACTIVE))
    ).order_by("-created_at", "-pk")


def key_person_active_of(resident) -> KeyPerson | None:
    """The resident's key-person record under control now, if any."""
    return KeyPerson.objects.filter(resident=resident, status=KeyPersonStatus.ACTIVE).first()


def referrals_for(user: User, *, status: str = "") -> QuerySet[Referral]:
    """Hand-overs to key-person control in the user's scope, newest first."""
    qs = in_scope(Referral.objects.select_related("node", "created_by"), user, "referrals.view")
    return qs.filter(status=status) if status else qs


def referrals_of_source(source_kind: str, source_id: int) -> list[Referral]:
    """The hand-overs one record made (a screening visit's persons found), oldest first.
    The caller has fetched that record within the user's scope."""
    return list(
        Referral.objects.filter(source_kind=source_kind, source_id=source_id).order_by("pk")
    )


def referral_id_annotation(source_kind: str) -> Subquery:
    """For `annotate(referral_id=…)` on a list of entries of this kind (checkpoint passers):
    each entry's hand-over id, or None, in the list's own query."""
    return Subquery(
        Referral.objects.filter(source_kind=source_kind, source_id=OuterRef("pk"))
        .order_by()
        .values("pk")[:1]
    )


@dataclass
class SlotState:
    status: str  # done, due, overdue
    value: object = None
    is_fever: bool = False


@dataclass
class RoundItem:
    isolation: Isolation
    am: SlotState
    pm: SlotState
    # On the worker's own round (their village, or an isolation whose 六包一 they are
    # among): the name and address in full, so that they know which door to knock on.
    in_full: bool = False

    @property
    def slots(self) -> list[tuple[str, SlotState, str]]:
        return [(Slot.AM, self.am, Slot.AM.label), (Slot.PM, self.pm, Slot.PM.label)]


def round_items(
    user: User,
    day: date | None = None,
    permission: str = "control.reading",
    own: OwnRound | None = None,
) -> list[RoundItem]:
    """Today's isolated persons the user measures, each with its morning and afternoon state
    and whether the person is on the user's own round (shown in full); with
    `control.export`, every isolation the user follows (the 体温登记表)."""
    day = day or timezone.localdate()
    isolations = list(
        isolations_for(user, permission)
        .filter(status=IsolationStatus.ACTIVE, start_date__lte=day)
        .order_by("node__path", "address", "pk")
    )
    own = own or own_round(user)
    readings = {
        (r.isolation_id, r.slot): r
        for r in Reading.objects.filter(
            isolation_id__in=[i.pk for i in isolations], local_date=day
        ).only("isolation_id", "slot", "value", "is_fever")
    }
    now = timezone.localtime()
    items = []
    for isolation in isolations:
        states = []
        for slot in (Slot.AM, Slot.PM):
            reading = readings.get((isolation.pk, slot))
            states.append(
                SlotState(
                    slot_status(day, slot, reading is not None, now),
                    reading.value if reading else None,
                    reading.is_fever if reading else False,
                )
            )
        covered = own.covers(isolation.key_person_id, isolation.node_id)
        items.append(RoundItem(isolation, *states, in_full=covered))
    return items


def readings_by_day(isolation: Isolation, days: int = 14) -> list[tuple[date, list]]:
    """The last `days` days of an isolation, newest first: (day, morning, afternoon reading)."""
    today = timezone.localdate()
    first = max(isolation.start_date, today - timedelta(days=days - 1))
    found = {(r.local_date, r.slot): r for r in isolation.readings.filter(local_date__gte=first)}
    result = []
    day = today
    while day >= first:
        result.append((day, [found.get((day, Slot.AM)), found.get((day, Slot.PM))]))
        day -= timedelta(days=1)
    return result


@dataclass
class OverdueItem:
    isolation: Isolation
    day: date
    slot: str

    @property
    def slot_label(self) -> str:
        return Slot(self.slot).label


def missed_lately(user: User, days: int = 3):
    """The slots of the last `days` days (today among them) whose window passed with no
    reading, everywhere the user looks: the 漏测 list's default span, which the home card
    counts. Counted in SQL, day by day."""
    from frontline.control.missed import missed_under  # it builds on this module

    today = timezone.localdate()
    return missed_under(user, None, today - timedelta(days=days - 1), today)


def overdue_items(user: User, days: int = 3) -> list[OverdueItem]:
    """missed_lately's slots, newest day first (afternoon before morning)."""
    return missed_lately(user, days)[:]


@dataclass
class SixGap:
    isolation: Isolation
    missing: list[str]

    @property
    def village(self) -> str:
        """The village's name, for the per-village coverage page (a grid shows its village)."""
        node = self.isolation.node
        return node.parent.name if node.kind == "grid" and node.parent_id else node.name


def six_gaps(user: User) -> list[SixGap]:
    """Active isolations with any of the six 六包一 roles empty."""
    isolations = (
        isolations_for(user)
        .filter(status=IsolationStatus.ACTIVE)
        .prefetch_related(
            Prefetch("six", queryset=Responsible.objects.only("isolation_id", "role"))
        )
    )
    gaps = []
    for isolation in isolations.order_by("node__path", "pk"):
        named = {r.role for r in isolation.six.all()}
        missing = [role.label for role in SixRole if role.value not in named]
        if missing:
            gaps.append(SixGap(isolation, missing))
    return gaps


def six_of(isolation: Isolation) -> list[tuple[str, str, Responsible | None]]:
    """The six roles in order, each with its named person or None."""
    named = {r.role: r for r in isolation.six.select_related("user", "resident")}
    return [(role.value, role.label, named.get(role.value)) for role in SixRole]


def services_for(user: User) -> QuerySet[ServiceDelivery]:
    return (
        in_scope(ServiceDelivery.objects.all(), user, "control.view")
        .select_related("kind", "resident", "delivered_by")
        .order_by("-delivered_on", "-pk")
    )


def service_counts_by_village(user: User, since: date | None = None) -> list[dict]:
    """Counts (and quantities) of 五送 services per village node and kind, for the dashboard."""
    qs = services_for(user)
    if since:
        qs = qs.filter(delivered_on__gte=since)
    # A grid's services count for its village.
    village = Case(When(node__kind="grid", then=F("node__parent__name")), default=F("node__name"))
    return list(
        qs.order_by()
        .annotate(village=village)
        .values("village", "kind__name")
        .annotate(times=Count("pk"), quantity=Sum("quantity"))
        .order_by("village", "kind__name")
    )


def service_counts(user: User, since: date | None = None) -> list[dict]:
    """Counts (and quantities) of 五送 services per kind, for the dashboard."""
    qs = services_for(user)
    if since:
        qs = qs.filter(delivered_on__gte=since)
    return list(
        qs.order_by().values("kind__name").annotate(times=Count("pk"), quantity=Sum("quantity"))
    )


def open_alert_count(user: User) -> int:
    return alerts_for(user).count()


def key_person_count(user: User) -> int:
    return key_persons_for(user).filter(status=KeyPersonStatus.ACTIVE).count()


def isolated_count(user: User) -> int:
    return isolations_for(user).filter(status=IsolationStatus.ACTIVE).count()


def six_gap_count(user: User) -> int:
    return len(six_gaps(user))


def overdue_count(user: User) -> int:
    return missed_lately(user).count()


def round_due_count(user: User) -> int:
    """Slots of today's round still to measure (due or overdue)."""
    return sum(
        (item.am.status != "done") + (item.pm.status != "done") for item in round_items(user)
    )


def control_counts(user: User) -> dict[str, int]:
    """The numbers the home cards show: under control, isolated, open alerts."""
    return {
        "key_persons": key_person_count(user),
        "isolated": isolated_count(user),
        "open_alerts": open_alert_count(user),
    }


# ---------------------------------------------------------------- the people of a place


def place_path(node: Node) -> str:
    """The village a record belongs to (a grid's parent), or the node itself when higher."""
    return (people.village_of(node) or node).path


def residents_in_scope(user: User, permission: str) -> QuerySet:
    """Residents where the user holds a control permission, with their place."""
    return people.residents_for(user, permission).select_related("node")


def resident_search(user: User, query: str, limit: int = 30) -> list:
    """Residents the user may register: by name, the last digits of the phone, or a
    whole ID number or phone (sent by POST: `search_is_personal`)."""
    return people.resident_find(user, query, permission="control.edit", limit=limit)


def search_is_personal(query: str) -> bool:
    """A whole ID number or phone: searched by POST only, never kept in a URL."""
    return people.query_is_personal(query)


def _staff_of(
    node: Node, roles: tuple[str, ...] | None = None, *, covering: bool = False
) -> QuerySet[User]:
    """Active users whose role covers this place or lies inside it; `covering`: only those
    whose role covers the node itself (who can open its records)."""
    place = node.path if covering else place_path(node)
    ancestors = [place[:i] for i in range(10, len(place) + 1, 10)]
    where = Q(node__path__in=ancestors)
    if not covering:
        where |= Q(node__path__startswith=place)
    assignments = RoleAssignment.objects.filter(where, node__is_active=True)
    if roles:
        assignments = assignments.filter(role__in=roles)
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "full_name", "username"
    )


def candidate_leaders(node: Node) -> QuerySet[User]:
    """Who may be the responsible leader of a key person here."""
    return _staff_of(node, LEADER_ROLES)


def candidate_six(node: Node, role: str) -> QuerySet[User]:
    """Who may hold one of the six 六包一 roles of an isolation here: the staff holding the
    matching role whose place covers the isolation's (the village's, the town's, the
    grid worker of its own grid), so that each of the six can open the case they answer
    for (the village leader also a town leader)."""
    return _staff_of(node, SIX_ROLE_HOLDERS[role], covering=True)


def party_members_of(node: Node, limit: int = 300) -> list:
    """Party-member residents of the place: volunteers who may be one of the six."""
    return people.residents_tagged_in(place_path(node), "党员", limit)


def residents_for_services(user: User) -> list[tuple[int, str]]:
    """Choices for a 五送 entry: residents isolated now, then vulnerable households."""
    base = people.residents_for(user, "control.service").select_related("node")
    isolated_now = Isolation.objects.filter(status=IsolationStatus.ACTIVE).values(
        "key_person__resident_id"
    )
    isolated = base.filter(pk__in=isolated_now)[:300]
    vulnerable = people.residents_tagged(base, VULNERABLE_TAGS)[:300]
    choices, seen = [], set()
    for group, label in ((isolated, "居家隔离"), (vulnerable, "关爱对象")):
        for resident in group:
            if resident.pk not in seen:
                seen.add(resident.pk)
                choices.append(
                    (resident.pk, f"{name_mask(resident.name)}（{label}·{resident.node.name}）")
                )
    return choices


# -- retention (core/retention.py) ------------------------------------------------------


def isolations_due_for_retention(cutoff: date) -> QuerySet[Isolation]:
    """Isolations ended before the cutoff day whose address is not yet anonymised."""
    return (
        Isolation.objects.exclude(status=IsolationStatus.ACTIVE)
        .filter(ended_at__lt=cutoff_start(cutoff))
        .exclude(address=ANONYMISED)
    )


def isolations_past_retention(cutoff: date) -> int:
    return isolations_due_for_retention(cutoff).count()


def referrals_due_for_retention(cutoff: date, *, screening: bool) -> QuerySet[Referral]:
    """Hand-overs made before the cutoff day that still name the person: those from
    screening visits, or those from everywhere else."""
    due = Referral.objects.filter(created_at__lt=cutoff_start(cutoff)).exclude(name=ANONYMISED)
    source = Q(source_kind=ReferralSource.SCREENING)
    return due.filter(source if screening else ~source)


def screening_persons_past_retention(cutoff: date) -> int:
    return referrals_due_for_retention(cutoff, screening=True).count()


def referrals_past_retention(cutoff: date) -> int:
    return referrals_due_for_retention(cutoff, screening=False).count()
