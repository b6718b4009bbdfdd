"""API for supplies (/api/v1/supplies/…), donations (/api/v1/donations) and funds
(/api/v1/funds…). Quantities are decimal strings in the item's base unit; money is a
decimal string in yuan with two places. A repeated idempotency key answers the stored
record (200); the same key with another body is refused (409)."""

from frontline.supplies.api import donations, funds, requests, stock  # noqa: F401 (routes)
from frontline.supplies.api.common import router

__all__ = ["router"]
