"""What other apps may use of key-person control; nothing else of control is theirs to import.

- Hand a person over (转重点人员), whoever found the person — screening, a checkpoint,
  next an enterprise gate: `referral_open`, naming the caller's own record by kind
  (`ReferralSource`) and id. Control keeps the hand-over and its staff accept it.
- Read hand-overs: the user's list (`referrals_for`), one record's (`referrals_of_source`),
  an id for each entry of a list in the list's own query (`referral_id_annotation`).
- The key person a resident is under control as now (`key_person_active_of`).
- Log a 五送 service another app delivered (`five_services_record`).
"""

from frontline.control.models import ReferralSource, ReferralStatus, ServiceKind
from frontline.control.selectors import (
    key_person_active_of,
    referral_id_annotation,
    referrals_for,
    referrals_of_source,
)
from frontline.control.services import referral_open, service_record

__all__ = [
    "ReferralSource",
    "ReferralStatus",
    "five_services_record",
    "key_person_active_of",
    "referral_id_annotation",
    "referral_open",
    "referrals_for",
    "referrals_of_source",
]


def five_services_record(
    *, actor, resident, kind_name: str, delivered_on, description: str = "", quantity: int = 0
):
    """Log a 五送 service another app delivered (an errand: 代购, 送餐) under the kind of
    that name, through control's own `service_record` (its check, timeline and audit).
    A kind an administrator removed comes back: a delivery is never refused for it."""
    kind, _ = ServiceKind.objects.get_or_create(name=kind_name)
    return service_record(
        actor=actor,
        resident=resident,
        kind=kind,
        delivered_on=delivered_on,
        description=description,
        quantity=quantity,
    )
