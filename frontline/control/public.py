"""What other apps may use of key-person control; nothing else of control is theirs to import.

- Hand a person over (转重点人员), whoever found the person — screening, a checkpoint,
  next an enterprise gate: `referral_open`, naming the caller's own record by kind
  (`ReferralSource`) and id. Control keeps the hand-over and its staff accept it.
- Read hand-overs: the user's list (`referrals_for`), one record's (`referrals_of_source`),
  an id for each entry of a list in the list's own query (`referral_id_annotation`).
- The key person a resident is under control as now (`key_person_active_of`).
- For an enterprise's health card: which residents are under home isolation, under an open
  key-person record, or had a fever reading today (`health_flags_for`), in one query.
- Log a 五送 service another app delivered (`five_services_record`), under one of the kinds
  in use (`five_service_kinds`).
- A home isolation's node and label for an inspection (`isolation_place`); the 送咨询
  counts per node and day that publicity includes (`consultations_by_village`).
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet, Value

from frontline.control.models import (
    IsolationStatus,
    KeyPerson,
    KeyPersonStatus,
    Reading,
    ReferralSource,
    ReferralStatus,
    ServiceKind,
)
from frontline.control.selectors import (
    key_person_active_of,
    referral_id_annotation,
    referrals_for,
    referrals_of_source,
)
from frontline.control.services import referral_open, service_record
from frontline.core.compiled import compiled_query

__all__ = [
    "ReferralSource",
    "ReferralStatus",
    "consultations_by_village",
    "five_service_kinds",
    "five_services_record",
    "health_flags_for",
    "isolation_place",
    "key_person_active_of",
    "referral_id_annotation",
    "referral_open",
    "referrals_for",
    "referrals_of_source",
]


# The tag a fever row carries in health_flags_for's one query (no isolation state is it).
FEVER = "~fever"


def _flag_rows(resident_ids: list[int], day: date) -> QuerySet:
    """One round trip: open records with their isolations' states, and that day's fevers
    tagged as such (a gate scan reads this for every card it sees)."""
    open_records = KeyPerson.objects.filter(
        resident_id__in=resident_ids, status=KeyPersonStatus.ACTIVE
    ).values_list("resident_id", "isolations__status")
    fevers = Reading.objects.filter(
        isolation__key_person__resident_id__in=resident_ids, local_date=day, is_fever=True
    ).values_list("isolation__key_person__resident_id", Value(FEVER))
    return open_records.union(fevers, all=True)


@compiled_query(stand_ins=(-918_273_645, date(1, 2, 3)))
def _flag_rows_of_one(resident_id: int, day: date) -> QuerySet:
    """The same for one resident (a gate scan), its SQL compiled once with the fast paths."""
    return _flag_rows([resident_id], day)


def health_flags_for(resident_ids: Iterable[int], day: date) -> dict[int, set[str]]:
    """Resident id → the flags that hold for them on `day`: "isolated" (home isolation
    active), "key_person" (an open key-person record), "fever" (a fever reading that day).
    Residents with no flag are left out. The caller has scoped the residents already."""
    ids = list(resident_ids)
    flags: dict[int, set[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = _flag_rows_of_one(chunk[0], day) if len(chunk) == 1 else _flag_rows(chunk, day)
        for resident_id, tag in rows:
            if tag == FEVER:
                flags.setdefault(resident_id, set()).add("fever")
                continue
            flags.setdefault(resident_id, set()).add("key_person")
            if tag == IsolationStatus.ACTIVE:
                flags[resident_id].add("isolated")
    return flags


def five_service_kinds() -> list[str]:
    """The names of the 五送 kinds in use, in their order (for another app's choice)."""
    return list(ServiceKind.objects.filter(is_active=True).values_list("name", flat=True))


def five_services_record(
    *, actor, resident, kind_name: str, delivered_on, description: str = "", quantity: int = 0
):
    """Log a 五送 service another app delivered (an errand: 代购, 送餐) under the kind of
    that name, through control's own `service_record` (its check, timeline and audit).
    A kind an administrator removed comes back: a delivery is never refused for it."""
    kind, _ = ServiceKind.objects.get_or_create(name=kind_name)
    return service_record(
        actor=actor,
        resident=resident,
        kind=kind,
        delivered_on=delivered_on,
        description=description,
        quantity=quantity,
    )


def isolation_place(pk: int):
    """(node, "居家隔离户 #id") of a home isolation by id, or None; for an app that inspects
    it. No name or address: the caller checks scope and shows only this label."""
    from frontline.control.models import Isolation

    found = Isolation.objects.select_related("node").filter(pk=pk).first()
    return (found.node, f"居家隔离户 #{found.pk}") if found else None


def consultations_by_village(node, start, end) -> dict:
    """送咨询 deliveries (five-send services of the kind named 送咨询) at and below a node over
    start…end, as {(node id, day): quantity or 1 per delivery}: publicity counts them."""
    from django.db.models import Case, IntegerField, Sum, Value, When

    from frontline.control.models import ServiceDelivery
    from frontline.core.scoping import path_filter

    rows = (
        ServiceDelivery.objects.filter(
            path_filter([node.path], "node__path"),
            kind__name__startswith="送咨询",
            delivered_on__range=(start, end),
        )
        .values("node_id", "delivered_on")
        .annotate(
            n=Sum(
                Case(
                    When(quantity__gt=0, then="quantity"),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
        )
    )
    return {(row["node_id"], row["delivered_on"]): row["n"] for row in rows}
