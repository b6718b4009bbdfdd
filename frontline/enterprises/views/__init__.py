"""Pages for enterprise resumption: the list, an enterprise with its 123456 application,
employees and health cards, the gate scan, tickets, policy support and appointments."""

from frontline.enterprises.views.application import *  # noqa: F403
from frontline.enterprises.views.cards import *  # noqa: F403
from frontline.enterprises.views.registry import *  # noqa: F403
from frontline.enterprises.views.support import *  # noqa: F403
