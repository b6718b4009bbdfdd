"""Retention (SECURITY 29–30) of key-person control's records; core/retention.py finds
the due rows' cutoff, calls these and audits each run. Rows stay, so every count, figure
and list length reads the same; what could name a person goes."""

from datetime import date

from django.db import transaction

from frontline.control.models import Alert, Reading
from frontline.control.selectors import (
    isolations_due_for_retention,
    referrals_due_for_retention,
)
from frontline.core.retention import ANONYMISED


@transaction.atomic
def isolations_anonymise(*, cutoff: date) -> int:
    """Isolations ended before the cutoff: the address, the end reason, the readings'
    symptoms and the alerts' notes go; temperatures, slots and fevers (the figures) stay."""
    due = list(isolations_due_for_retention(cutoff).values_list("pk", flat=True))
    Reading.objects.filter(isolation_id__in=due).exclude(symptoms="").update(symptoms="")
    Alert.objects.filter(isolation_id__in=due).exclude(note="").update(note="")
    return (
        isolations_due_for_retention(cutoff)
        .filter(pk__in=due)
        .update(address=ANONYMISED, end_reason="")
    )


def _referrals_anonymise(cutoff: date, *, screening: bool) -> int:
    return referrals_due_for_retention(cutoff, screening=screening).update(
        name=ANONYMISED, origin="", reason=ANONYMISED
    )


@transaction.atomic
def screening_persons_anonymise(*, cutoff: date) -> int:
    """Persons found by screening visits and handed over before the cutoff: name, origin
    and reason go; the hand-over, its place, status and temperature stay."""
    return _referrals_anonymise(cutoff, screening=True)


@transaction.atomic
def referrals_anonymise(*, cutoff: date) -> int:
    """Hand-overs from checkpoints and gates before the cutoff, as screening persons."""
    return _referrals_anonymise(cutoff, screening=False)
