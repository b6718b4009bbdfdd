"""Supplies' figures for the command dashboard: 党员义捐, donated pieces, coordinated
supplies (a query over receipts of source 上级协调, never a typed number), 景清基金."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse

from frontline.core.lists import node_url, under
from frontline.core.models import Node
from frontline.supplies.models import (
    Disbursement,
    Donation,
    DonationLine,
    DonorKind,
    FundReceipt,
    ItemCode,
    Move,
    MoveKind,
    Source,
    Stock,
)
from frontline.supplies.selectors import LOW

ZERO = Decimal("0.00")
KG_PER_TONNE = Decimal(1000)


def _span(node: Node, start: date, end: date) -> dict:
    return {"node": node.pk, "from": start.isoformat(), "to": end.isoformat()}


def party_donations(node: Node, start: date, end: date):
    """Donations by party members of the subtree and span (党员义捐)."""
    return Donation.objects.filter(
        node__path__startswith=node.path,
        received_on__range=(start, end),
        donor_kind=DonorKind.PARTY_MEMBER,
    )


def party_donation_cash(node: Node, start: date, end: date) -> Decimal:
    """党员义捐·捐款, yuan."""
    return party_donations(node, start, end).aggregate(s=Sum("cash"))["s"] or ZERO


def party_donation_goods(node: Node, start: date, end: date) -> Decimal:
    """党员义捐·物资 at the value the donors stated, yuan."""
    return party_donations(node, start, end).aggregate(s=Sum("goods_value"))["s"] or ZERO


def party_page(node: Node, start: date, end: date) -> str:
    query = {**_span(node, start, end), "donor_kind": DonorKind.PARTY_MEMBER}
    return f"{reverse('supplies:donations')}?{urlencode(query)}"


def donated_items(node: Node, start: date, end: date) -> int:
    """Donated goods counted in pieces (masks, thermometers …; alcohol by weight is not)."""
    total = DonationLine.objects.filter(
        donation__node__path__startswith=node.path,
        donation__received_on__range=(start, end),
        item__countable=True,
    ).aggregate(s=Sum("quantity"))["s"]
    return int(total or 0)


def goods_page(node: Node, start: date, end: date) -> str:
    return f"{reverse('supplies:donations')}?{urlencode({**_span(node, start, end), 'goods': 1})}"


def coordinated(node: Node, start: date, end: date, code: str) -> Decimal:
    """Base units received from above (上级协调) of the items of a category."""
    total = Move.objects.filter(
        warehouse__node__path__startswith=node.path,
        kind=MoveKind.RECEIPT,
        source=Source.COORDINATION,
        day__range=(start, end),
        item__code=code,
    ).aggregate(s=Sum("quantity"))["s"]
    return total or Decimal(0)


def _coordinated_count(code: str):
    def compute(node: Node, start: date, end: date) -> int:
        return int(coordinated(node, start, end, code))

    compute.__doc__ = f"Coordinated {code}, in pieces."
    return compute


coordinated_masks = _coordinated_count(ItemCode.MASK)
coordinated_suits = _coordinated_count(ItemCode.SUIT)
coordinated_goggles = _coordinated_count(ItemCode.GOGGLES)
coordinated_gloves = _coordinated_count(ItemCode.GLOVES)


def coordinated_alcohol(node: Node, start: date, end: date) -> Decimal:
    """Coordinated alcohol in tonnes (the catalogue keeps alcohol in kg)."""
    tonnes = coordinated(node, start, end, ItemCode.ALCOHOL) / KG_PER_TONNE
    return tonnes.quantize(Decimal("0.001"))


def _coordinated_page(code: str):
    def url(node: Node, start: date, end: date) -> str:
        query = {**_span(node, start, end), "kind": "receipt", "source": "coordination"}
        return f"{reverse('supplies:ledger')}?{urlencode({**query, 'code': code})}"

    return url


masks_page = _coordinated_page(ItemCode.MASK)
suits_page = _coordinated_page(ItemCode.SUIT)
goggles_page = _coordinated_page(ItemCode.GOGGLES)
gloves_page = _coordinated_page(ItemCode.GLOVES)
alcohol_page = _coordinated_page(ItemCode.ALCOHOL)


def fund_raised(node: Node, start: date, end: date) -> Decimal:
    """Money received by the funds of the subtree (基金善款), yuan."""
    total = FundReceipt.objects.filter(
        fund__node__path__startswith=node.path, received_on__range=(start, end)
    ).aggregate(s=Sum("amount"))["s"]
    return total or ZERO


def fund_page(node: Node, start: date, end: date) -> str:
    return f"{reverse('supplies:fund_receipts')}?{urlencode(_span(node, start, end))}"


def fund_beneficiaries(node: Node, start: date, end: date) -> int:
    """Residents helped by an approved disbursement of the span, each counted once."""
    return (
        Disbursement.objects.filter(
            fund__node__path__startswith=node.path,
            approved_at__isnull=False,
            paid_on__range=(start, end),
        )
        .values("resident_id")
        .distinct()
        .count()
    )


def beneficiaries_page(node: Node, start: date, end: date) -> str:
    return f"{reverse('supplies:beneficiaries')}?{urlencode(_span(node, start, end))}"


def low_stock(node: Node, start: date, end: date) -> int:
    """Items below their low-stock line in the stores at or below the node, right now."""
    return under(Stock.objects.filter(LOW), node, "warehouse__node__path").count()


def low_stock_page(node: Node, start: date, end: date) -> str:
    return node_url("supplies:stock", node, low=1)
