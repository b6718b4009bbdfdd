"""Which pages and endpoints of enterprise resumption show health data (test_audited_reads):
the roster's colours and reasons, and one employee's card."""

from frontline.core.tests.read_registry import Read

AUDITED = {
    "enterprises:employees": Read("enterprises.employee.list"),
    "api:enterprises_employees": Read("enterprises.employee.list"),
    "enterprises:card": Read("enterprises.card.view"),
}

_RECORD = "the enterprise's registry record and resumption state, no person"

PLAIN = {
    "enterprises:list": _RECORD,
    "enterprises:detail": _RECORD + "; its bookings, support and difficulties",
    "enterprises:edit": "the form of an enterprise's record",
    "enterprises:register": "the form registering an enterprise",
    "enterprises:export": _RECORD,
    "enterprises:application": "the 123456 checklist with the enterprise's own evidence",
    "enterprises:items": "the checklist's items",
    "enterprises:evidence": "a photo or PDF of the enterprise's own evidence",
    "enterprises:mine": "a redirect to the contact's own application",
    "enterprises:employees_mine": "a redirect to the contact's own roster",
    "enterprises:gate": "the empty scan form (a scan is a POST)",
    "enterprises:tickets": "enterprises' difficulties",
    "enterprises:policy_applications": "support measures and applications",
    "enterprises:slots": "service-hall slots and an enterprise's bookings",
    "enterprises:enterprise_import_upload": "the upload form",
    "enterprises:enterprise_import_template": "an empty enterprise list",
    "enterprises:enterprise_import_preview": "the uploader's own list: counts and row errors",
    "enterprises:enterprise_import_errors": "the uploader's own bad rows (no person)",
    "api:enterprises_list": _RECORD,
    "api:enterprises_detail": _RECORD,
    "api:appointments_list": "service-hall slots and bookings",
    "api:policies_list": "support measures and their totals",
    "api:tickets_list": "enterprises' difficulties",
}
