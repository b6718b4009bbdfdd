"""Writes for supplies, donations, requests and funds: one transaction each, audited.

The ledger rule: a move and the balance it changes are written together. Each balance a
move touches is changed by a conditional UPDATE (… WHERE quantity >= the draw), the last
write before the commit, in (warehouse, item) order so that two transfers in opposite
directions cannot deadlock; PostgreSQL re-checks the condition on the row's latest version
when another draw committed first. A draw that would go below zero matches no row and is
refused naming the item and the shortfall, and nothing is written.
"""

from frontline.supplies.services.catalogue import *  # noqa: F403
from frontline.supplies.services.common import *  # noqa: F403
from frontline.supplies.services.donations import *  # noqa: F403
from frontline.supplies.services.funds import *  # noqa: F403
from frontline.supplies.services.ledger import *  # noqa: F403
from frontline.supplies.services.requests import *  # noqa: F403
