"""Reads for supplies, scoped to the user: warehouses, stock, the ledger, donations,
requests, allocations and funds; and the replay of the ledger that proves the balances."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from frontline.core.models import User
from frontline.core.scoping import in_scope
from frontline.supplies.models import (
    Allocation,
    AllocationLine,
    Disbursement,
    Donation,
    DonorKind,
    Drive,
    Fund,
    Item,
    Move,
    MoveKind,
    RequestLine,
    Stock,
    SupplyRequest,
    Warehouse,
)


def items() -> QuerySet[Item]:
    """The catalogue (one for the whole installation) with its units."""
    return Item.objects.prefetch_related("units")


def warehouses_for(user: User, permission: str = "supplies.view") -> QuerySet[Warehouse]:
    return in_scope(Warehouse.objects.select_related("node"), user, permission)


def stock_for(user: User, permission: str = "supplies.view") -> QuerySet[Stock]:
    """Balances of the warehouses the user may see."""
    return in_scope(
        Stock.objects.select_related("warehouse__node", "item"), user, permission, "warehouse__node"
    ).order_by("warehouse__node__path", "warehouse__name", "item__name")


def low_stock_for(user: User) -> QuerySet[Stock]:
    """Balances under their low-stock line."""
    from django.db.models import F

    return stock_for(user).filter(low_threshold__gt=0, quantity__lt=F("low_threshold"))


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


def requests_for(user: User, permission: str = "supplies.request") -> QuerySet[SupplyRequest]:
    return in_scope(
        SupplyRequest.objects.select_related("node").prefetch_related("lines__item"),
        user,
        permission,
    )


def request_lines_open(user: User, permission: str = "supplies.view") -> QuerySet[RequestLine]:
    from django.db.models import F

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


def funds_for(user: User, permission: str = "supplies.fund") -> QuerySet[Fund]:
    return in_scope(Fund.objects.select_related("node"), user, permission)


def disbursements_for(user: User, permission: str = "supplies.fund") -> QuerySet[Disbursement]:
    return in_scope(
        Disbursement.objects.select_related("fund", "resident", "proposed_by", "approved_by"),
        user,
        permission,
        "fund__node",
    )


def ledger_replay(warehouse_ids: list[int] | None = None) -> dict[tuple[int, int], Decimal]:
    """Every (warehouse, item) balance recomputed from the ledger alone."""
    moves = Move.objects.all()
    if warehouse_ids is not None:
        moves = moves.filter(
            Q(warehouse_id__in=warehouse_ids) | Q(to_warehouse_id__in=warehouse_ids)
        )
    balances: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in moves.values("kind", "warehouse_id", "to_warehouse_id", "item_id").annotate(
        total=Sum("quantity")
    ):
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
    from frontline.supplies.models import FundReceipt

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
