"""Reads for supplies, scoped to the user: warehouses, stock, the ledger, donations,
requests, allocations and funds; and the replay of the ledger that proves the balances."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Round

from frontline.core.compiled import compiled_query
from frontline.core.models import User
from frontline.core.scoping import in_scope
from frontline.people import public as people
from frontline.supplies.models import (
    Allocation,
    AllocationLine,
    Disbursement,
    Donation,
    DonorKind,
    Drive,
    Fund,
    FundReceipt,
    Item,
    Move,
    MoveKind,
    RequestLine,
    Stock,
    SupplyRequest,
    Warehouse,
)

MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


def items(*, units: bool = True) -> QuerySet[Item]:
    """The catalogue (one for the whole installation), with its units unless told not to."""
    return Item.objects.prefetch_related("units") if units else Item.objects.all()


# A move's hot path (an issue): its SQL compiled once per process with the fast paths on.
@compiled_query(stand_ins=(-918_273_645,))
def item_by_pk(pk: int) -> QuerySet[Item]:
    """The catalogue entry with this id (a list of one, or empty), without its units."""
    return Item.objects.filter(pk=pk)


def items_kept_by(user: User) -> QuerySet[Item]:
    """The catalogue entries the user may edit: those kept at or under their keeper nodes."""
    return in_scope(items(), user, "supplies.keep")


def warehouses_for(user: User, permission: str = "supplies.view") -> QuerySet[Warehouse]:
    return in_scope(Warehouse.objects.select_related("node"), user, permission)


def stock_for(user: User, permission: str = "supplies.view") -> QuerySet[Stock]:
    """Balances of the warehouses the user may see."""
    return in_scope(
        Stock.objects.select_related("warehouse__node", "item"), user, permission, "warehouse__node"
    ).order_by("warehouse__node__path", "warehouse__name", "item__name")


LOW = Q(low_threshold__gt=0, quantity__lt=F("low_threshold"))


def low_stock_for(user: User) -> QuerySet[Stock]:
    """Balances under their low-stock line."""
    return stock_for(user).filter(LOW)


def warehouses_with_counts(user: User) -> QuerySet[Warehouse]:
    """The user's stores, each with how many items it holds and how many are below their
    low-stock line (`items`, `low`)."""
    stock_low = Q(stock__low_threshold__gt=0, stock__quantity__lt=F("stock__low_threshold"))
    return warehouses_for(user).annotate(
        items=Count("stock", filter=Q(stock__quantity__gt=0)),
        low=Count("stock", filter=stock_low),
    )


def low_stock_count(user: User) -> int:
    return low_stock_for(user).count()


def moves_for(user: User, permission: str = "supplies.view") -> QuerySet[Move]:
    return in_scope(
        Move.objects.select_related(
            "warehouse", "item", "to_warehouse", "recipient_node", "created_by"
        ),
        user,
        permission,
        "warehouse__node",
    )


def donations_for(user: User, permission: str = "supplies.view") -> QuerySet[Donation]:
    return in_scope(Donation.objects.select_related("node", "drive"), user, permission)


def drives_for(user: User, permission: str = "supplies.view") -> QuerySet[Drive]:
    return in_scope(Drive.objects.select_related("node"), user, permission)


def drive_totals(drive: Drive) -> dict:
    """A drive's cash, goods value and number of donors — a query, never a typed number."""
    totals = drive.donations.aggregate(
        cash=Sum("cash"), goods=Sum("goods_value"), donations=Count("id")
    )
    named = drive.donations.exclude(donor_kind=DonorKind.ANONYMOUS)
    donors = named.values("donor_kind", "donor_name").distinct().count()
    anonymous = drive.donations.filter(donor_kind=DonorKind.ANONYMOUS).count()
    return {
        "cash": totals["cash"] or Decimal("0.00"),
        "goods": totals["goods"] or Decimal("0.00"),
        "donations": totals["donations"],
        "donors": donors + anonymous,
    }


def drives_with_totals(user: User) -> QuerySet[Drive]:
    """The user's drives with their totals in one query — cash, goods value, donations and
    donors (a named donor counted once however often they gave; each anonymous gift one),
    the same figures as drive_totals."""
    named = ~Q(donations__donor_kind=DonorKind.ANONYMOUS)
    return (
        drives_for(user)
        .annotate(
            cash=Coalesce(Sum("donations__cash"), Decimal("0.00"), output_field=MONEY_FIELD),
            goods=Coalesce(
                Sum("donations__goods_value"), Decimal("0.00"), output_field=MONEY_FIELD
            ),
            donations_count=Count("donations"),
            named_donors=Count(
                Concat("donations__donor_kind", Value("|"), "donations__donor_name"),
                filter=named,
                distinct=True,
            ),
            anonymous_donors=Count(
                "donations", filter=Q(donations__donor_kind=DonorKind.ANONYMOUS)
            ),
        )
        .order_by("node__path", "name")
    )


def requests_for(user: User, permission: str = "supplies.request") -> QuerySet[SupplyRequest]:
    return in_scope(
        SupplyRequest.objects.select_related("node").prefetch_related("lines__item"),
        user,
        permission,
    )


def request_lines_open(user: User, permission: str = "supplies.view") -> QuerySet[RequestLine]:
    return in_scope(
        RequestLine.objects.select_related("request__node", "item"),
        user,
        permission,
        "request__node",
    ).filter(approved__lt=F("quantity"))


def allocations_for(user: User, permission: str = "supplies.keep") -> QuerySet[Allocation]:
    return in_scope(
        Allocation.objects.select_related("warehouse__node"), user, permission, "warehouse__node"
    )


def allocation_lines(allocation: Allocation) -> QuerySet[AllocationLine]:
    return allocation.lines.select_related(
        "request_line__request__node", "request_line__item"
    ).order_by("rank")


def deliveries_for(user: User) -> QuerySet[AllocationLine]:
    """Issued allocation lines for the units the user asks for (to confirm receipt)."""
    return in_scope(
        AllocationLine.objects.select_related(
            "allocation__warehouse", "request_line__request__node", "request_line__item"
        ),
        user,
        "supplies.request",
        "request_line__request__node",
    ).filter(approved__gt=0)


def deliveries_unconfirmed_count(user: User) -> int:
    return deliveries_for(user).filter(confirmed_at__isnull=True).count()


def open_request_count(user: User) -> int:
    return request_lines_open(user).values("request_id").distinct().count()


# Whom a fund helps: residents their village has tagged as in need (DOMAIN §8); the tags
# are kept on the roster by its cadres, not by the fund's keepers.
BENEFICIARY_TAGS = ("困难家庭", "残疾人", "孤寡老人", "留守儿童")


def fund_beneficiaries(user: User, fund: Fund) -> QuerySet:
    """Residents the fund may help: tagged in need (BENEFICIARY_TAGS), living under the
    fund's node and in the user's scope — the picker's choices and the service's check
    alike, so that a keeper is never handed the whole roster."""
    residents = people.residents_for(user, "supplies.fund").filter(
        node__path__startswith=fund.node.path
    )
    return (
        people.residents_tagged(residents, BENEFICIARY_TAGS)
        .select_related("node")
        .order_by("name", "pk")
    )


def funds_for(user: User, permission: str = "supplies.fund") -> QuerySet[Fund]:
    return in_scope(Fund.objects.select_related("node"), user, permission)


def funds_with_totals(user: User) -> QuerySet[Fund]:
    """The user's funds with what came in, what was paid (approved), what waits for a
    second signature, and the people helped — each resident once however often helped."""
    paid = Q(disbursements__approved_at__isnull=False)
    waiting = Q(disbursements__approved_at__isnull=True)
    received = (
        FundReceipt.objects.filter(fund=OuterRef("pk"))
        .values("fund")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    zero = Decimal("0.00")
    return (
        funds_for(user)
        .annotate(
            received=Coalesce(Subquery(received, output_field=MONEY_FIELD), zero),
            paid=Coalesce(
                Sum("disbursements__amount", filter=paid), zero, output_field=MONEY_FIELD
            ),
            waiting=Count("disbursements", filter=waiting),
            helped=Count("disbursements__resident", filter=paid, distinct=True),
        )
        .annotate(balance=ExpressionWrapper(F("received") - F("paid"), output_field=MONEY_FIELD))
        .order_by("node__path", "name")
    )


def disbursements_for(user: User, permission: str = "supplies.fund") -> QuerySet[Disbursement]:
    return in_scope(
        Disbursement.objects.select_related("fund", "resident", "proposed_by", "approved_by"),
        user,
        permission,
        "fund__node",
    )


THOUSAND = Decimal(1000)


def ledger_replay(warehouse_ids: list[int] | None = None) -> dict[tuple[int, int], Decimal]:
    """Every (warehouse, item) balance recomputed from the ledger alone."""
    moves = Move.objects.all()
    if warehouse_ids is not None:
        moves = moves.filter(
            Q(warehouse_id__in=warehouse_ids) | Q(to_warehouse_id__in=warehouse_ids)
        )
    balances: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    # Summed in whole thousandths (quantities have three places): SQLite sums decimals as
    # floats (0.001 × 109 came back 0.10899999999999990), a sum of whole numbers it keeps
    # exact; PostgreSQL's numeric is exact either way.
    thousandths = Sum(
        Round(F("quantity") * THOUSAND), output_field=DecimalField(max_digits=30, decimal_places=0)
    )
    for row in moves.values("kind", "warehouse_id", "to_warehouse_id", "item_id").annotate(
        milli=thousandths
    ):
        row["total"] = Decimal(row["milli"]).quantize(Decimal(1)) / THOUSAND
        key = (row["warehouse_id"], row["item_id"])
        if row["kind"] == MoveKind.ISSUE:
            balances[key] -= row["total"]
        elif row["kind"] == MoveKind.TRANSFER:
            balances[key] -= row["total"]
            balances[(row["to_warehouse_id"], row["item_id"])] += row["total"]
        else:
            balances[key] += row["total"]
    return dict(balances)


def disclosure_rows(node, start: date, end: date) -> QuerySet[Donation]:
    """The donations of a node's subtree in a period, for the public list (公示)."""
    return (
        Donation.objects.filter(node__path__startswith=node.path, received_on__range=(start, end))
        .select_related("node", "drive")
        .prefetch_related("lines__item")
        .order_by("received_on", "receipt_no")
    )


def disclosure_uses(node, start: date, end: date) -> QuerySet[Move]:
    """What left the stores of the subtree in the period, and to whom (the use)."""
    return (
        Move.objects.filter(
            warehouse__node__path__startswith=node.path,
            kind=MoveKind.ISSUE,
            day__range=(start, end),
        )
        .select_related("item", "recipient_node", "warehouse")
        .order_by("day", "id")
    )


def fund_receipts_for(user: User):
    return in_scope(FundReceipt.objects.select_related("fund"), user, "supplies.fund", "fund__node")


def beneficiaries_for(user: User, start: date, end: date) -> QuerySet:
    """Approved disbursements of the span: the rows fund_beneficiaries counts (by resident)."""
    return (
        disbursements_for(user)
        .filter(approved_at__isnull=False, paid_on__range=(start, end))
        .values("resident_id", "resident__name", "fund__node__name")
        .annotate(total=Sum("amount"), times=Count("id"))
        .order_by("resident__name", "resident_id")
    )
