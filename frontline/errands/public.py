"""What other apps may use of errands (帮您跑腿); nothing else of errands is theirs to import.

- Ask for an errand on a resident's behalf (`errand_ask`): the household is enrolled if it
  is not yet, then the errand is asked for as a cadre asks on the page — errands' own
  checks, idempotency and audit. Community's care visits turn a need found into one.
- The categories of what is bought (`LineCategory`).
"""

from datetime import datetime
from decimal import Decimal

from frontline.errands.models import LineCategory
from frontline.errands.services import errand_create, household_enroll

__all__ = ["LineCategory", "errand_ask"]


def errand_ask(
    *,
    actor,
    resident,
    lines: list[tuple[str, str]],
    budget: Decimal,
    deliver_by: datetime,
    note: str = "",
    idempotency_key: str | None = None,
):
    """A 代购 errand for the resident's household, asked by a cadre (errands.manage at the
    resident's village). Returns (errand, created), as `errand_create` does."""
    household = household_enroll(actor=actor, resident=resident)
    return errand_create(
        actor=actor,
        household=household,
        lines=lines,
        budget=budget,
        deliver_by=deliver_by,
        note=note,
        idempotency_key=idempotency_key,
    )
