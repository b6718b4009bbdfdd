"""Pages for supplies: stock, ledger and moves; donations and receipts; requests and
allocation; funds; the 公示 link and the public page it opens (no login)."""

from frontline.supplies.views.common import *  # noqa: F403
from frontline.supplies.views.disclosure import *  # noqa: F403
from frontline.supplies.views.donations import *  # noqa: F403
from frontline.supplies.views.funds import *  # noqa: F403
from frontline.supplies.views.requests import *  # noqa: F403
from frontline.supplies.views.stock import *  # noqa: F403
