"""API for enterprise resumption: the registry, the 123456 application, employees and the
gate scan, appointments, policies and difficulty tickets. One router; each feature module
registers its operations on it when imported, in this order (the order of /api/docs)."""

# isort: off
from frontline.enterprises.api.common import router
from frontline.enterprises.api import registry, application, cards, support  # noqa: F401
# isort: on

__all__ = ["router"]
