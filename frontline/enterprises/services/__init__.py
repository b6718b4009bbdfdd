"""Writes for enterprise resumption; each checks the actor's permission at the enterprise,
runs in one transaction, validates with full_clean and is audited (field names only)."""

from frontline.enterprises.services.application import *  # noqa: F403
from frontline.enterprises.services.appointments import *  # noqa: F403
from frontline.enterprises.services.cards import *  # noqa: F403
from frontline.enterprises.services.checklist import *  # noqa: F403
from frontline.enterprises.services.common import *  # noqa: F403
from frontline.enterprises.services.policies import *  # noqa: F403
from frontline.enterprises.services.registry import *  # noqa: F403
from frontline.enterprises.services.tickets import *  # noqa: F403
