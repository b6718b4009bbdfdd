"""Writes of key-person control, one module per feature; each one transaction, each
audited, each a step on the key person's timeline.

key_persons (四个一), referrals (hand-overs), isolations (居家隔离 and 六包一), readings
(door-step temperatures), alerts (fever alerts), deliveries (五送), lists (the kinds of
key person and of 五送 service). Import from here:
`from frontline.control import services; services.isolation_start(...)`.
"""

from frontline.control.services.alerts import alert_handle
from frontline.control.services.deliveries import service_record
from frontline.control.services.isolations import (
    isolation_end,
    isolation_release,
    isolation_start,
    responsible_set,
)
from frontline.control.services.key_persons import (
    key_person_close,
    key_person_identify,
    key_person_note,
    key_person_register,
    key_person_set_control,
)
from frontline.control.services.lists import category_save, service_kind_save
from frontline.control.services.readings import reading_record
from frontline.control.services.referrals import key_person_from_referral, referral_open

__all__ = [
    "alert_handle",
    "category_save",
    "isolation_end",
    "isolation_release",
    "isolation_start",
    "key_person_close",
    "key_person_from_referral",
    "key_person_identify",
    "key_person_note",
    "key_person_register",
    "key_person_set_control",
    "reading_record",
    "referral_open",
    "responsible_set",
    "service_kind_save",
    "service_record",
]
