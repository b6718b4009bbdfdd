"""Which pages and endpoints of key-person control show health data (test_audited_reads)."""

from frontline.core.tests.read_registry import Read

AUDITED = {
    "control:key_person_list": Read("control.key_person.list"),
    "control:key_person_detail": Read("control.key_person.view"),
    "control:referral_accept": Read("control.referral.view"),
    "control:gap_list": Read("control.gap.list"),
    "control:rounds": Read("control.round.view"),
    "control:overdue_list": Read("control.overdue.list"),
    "control:alert_list": Read("control.alert.list"),
    "control:reading_list": Read("control.reading.list"),
    "control:alert_handle": Read("control.alert.view"),
    "control:service_list": Read("control.service.list"),
    "control:key_person_export": Read("control.key_person.export"),
    "control:reading_export": Read("control.reading.export"),
    "control:overdue_export": Read("control.overdue.export"),
    "control:alert_export": Read("control.alert.export"),
    "api:control_key_person_list": Read("control.key_person.list"),
    "api:control_key_person_detail": Read("control.key_person.view"),
    "api:control_isolation_detail": Read("control.isolation.view"),
    "api:control_rounds_today": Read("control.round.view"),
    "api:control_alert_list": Read("control.alert.list"),
}

_FORM = "an edit form: the key person's masked name as a way back, no reading or origin"

PLAIN = {
    "control:list_settings": "the town's lists of key-person categories and 五送 kinds",
    "api:control_category_list": "the list of key-person categories",
    "api:control_service_kind_list": "the list of 五送 kinds",
    "api:control_six_candidates": "names of the staff who may hold a 六包一 role, no health data",
    "control:key_person_find_resident": "resident search: masked names and IDs, no health data",
    "control:key_person_register": "the form to register a resident: masked name only",
    "control:key_person_control": _FORM,
    "control:isolation_start": _FORM,
    "control:isolation_six": _FORM,
    "control:isolation_end": _FORM,
    "control:lead_template": "an empty workbook with the column headings",
    "control:lead_upload": "the upload form",
    "control:lead_preview": "the uploader's own upload: counts and row errors",
    "control:lead_errors": "the uploader's own rows, recorded as control.lead_list.errors_export",
}
