"""Writes for supplies, donations, requests and funds: one transaction each, audited.

The ledger rule: a move and the balance it changes are written together. Every balance
row a move touches is locked (SELECT … FOR UPDATE, in primary-key order so that two
transfers in opposite directions cannot deadlock), checked, then updated; a draw that
would go below zero is refused naming the item and the shortfall, and nothing is written.
"""

from frontline.supplies.services.catalogue import *  # noqa: F403
from frontline.supplies.services.common import *  # noqa: F403
from frontline.supplies.services.donations import *  # noqa: F403
from frontline.supplies.services.funds import *  # noqa: F403
from frontline.supplies.services.ledger import *  # noqa: F403
from frontline.supplies.services.requests import *  # noqa: F403
