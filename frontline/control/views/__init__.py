"""Pages of key-person control, one module per feature: key persons (四个一), referrals
(accepting hand-overs), isolations (居家隔离 and 六包一), rounds (door-step temperatures
and missed slots), alerts (fever alerts), deliveries (五送). urls.py reads them from here."""

from frontline.control.views.alerts import alert_handle, alert_list
from frontline.control.views.deliveries import service_list
from frontline.control.views.exports import (
    alert_export,
    key_person_export,
    overdue_export,
    reading_export,
)
from frontline.control.views.isolations import (
    isolation_end,
    isolation_release,
    isolation_six,
    isolation_start,
)
from frontline.control.views.key_persons import (
    gap_list,
    key_person_close,
    key_person_control,
    key_person_detail,
    key_person_find_resident,
    key_person_identify,
    key_person_list,
    key_person_note,
    key_person_register,
)
from frontline.control.views.lists import list_settings
from frontline.control.views.referrals import referral_accept
from frontline.control.views.rounds import overdue_list, reading_list, round_reading, rounds

__all__ = [
    "alert_export",
    "alert_handle",
    "alert_list",
    "gap_list",
    "isolation_end",
    "isolation_release",
    "isolation_six",
    "isolation_start",
    "key_person_close",
    "key_person_control",
    "key_person_detail",
    "key_person_export",
    "key_person_find_resident",
    "key_person_identify",
    "key_person_list",
    "key_person_note",
    "key_person_register",
    "list_settings",
    "overdue_export",
    "overdue_list",
    "reading_export",
    "reading_list",
    "referral_accept",
    "round_reading",
    "rounds",
    "service_list",
]
