"""公示: the public list of donations and their use for a node and period, reached
without login through a signed, expiring link that opens that one list and nothing else."""

import time
from dataclasses import dataclass
from datetime import date

from django.core import signing

from frontline.core.models import Node
from frontline.core.personal_data import name_mask
from frontline.supplies import selectors
from frontline.supplies.models import Donation, DonorKind

SALT = "frontline.supplies.disclosure"


@dataclass(frozen=True)
class Disclosed:
    """What a link opens: the node and the period."""

    node: Node
    start: date
    end: date
    expires: int


def link_token(node: Node, start: date, end: date, days: int) -> str:
    """A signed token naming the node and period, valid for `days` days."""
    expires = int(time.time()) + days * 86400
    payload = {"n": node.pk, "s": start.isoformat(), "e": end.isoformat(), "x": expires}
    return signing.dumps(payload, salt=SALT, compress=True)


def link_open(token: str) -> Disclosed | None:
    """The node and period of a genuine, unexpired token; None for anything else."""
    try:
        payload = signing.loads(token, salt=SALT)
        if int(payload["x"]) < time.time():
            return None
        node = Node.objects.filter(pk=int(payload["n"]), is_active=True).first()
        start, end = date.fromisoformat(payload["s"]), date.fromisoformat(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if node is None:
        return None
    return Disclosed(node, start, end, int(payload["x"]))


def donor_shown(donation: Donation) -> str:
    """The name the public sees: 匿名, a masked name on request (张*兰), else the name."""
    if donation.donor_kind == DonorKind.ANONYMOUS or not donation.donor_name:
        return "匿名"
    if donation.masked:
        return name_mask(donation.donor_name)
    return donation.donor_name


def disclosure_rows(disclosed: Disclosed) -> list[dict]:
    rows = []
    for donation in selectors.disclosure_rows(disclosed.node, disclosed.start, disclosed.end):
        goods = "、".join(
            f"{line.item.name}{line.quantity.normalize():f}{line.item.base_unit}"
            for line in donation.lines.all()
        )
        rows.append(
            {
                "receipt_no": donation.receipt_no,
                "date": donation.received_on,
                "donor": donor_shown(donation),
                "kind": donation.get_donor_kind_display(),
                "cash": donation.cash,
                "goods": goods,
                "goods_value": donation.goods_value,
                "purpose": donation.purpose,
            }
        )
    return rows


def use_rows(disclosed: Disclosed) -> list[dict]:
    return [
        {
            "date": move.day,
            "item": move.item.name,
            "quantity": f"{move.quantity.normalize():f}{move.item.base_unit}",
            "recipient": move.recipient_node.name if move.recipient_node else "",
        }
        for move in selectors.disclosure_uses(disclosed.node, disclosed.start, disclosed.end)
    ]
