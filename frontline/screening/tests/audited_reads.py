"""Which pages and endpoints of screening show health or travel data (test_audited_reads)."""

from frontline.core.tests.read_registry import Read

AUDITED = {
    "screening:record_detail": Read("screening.record.view"),
    "screening:referrals": Read("screening.referral.list"),
    "api:screening_record_detail": Read("screening.record.view"),
    "api:screening_referrals": Read("screening.referral.list"),
    "screening:record_export": Read("screening.record.export"),
}

_COVERAGE = "which units were screened on which days, with counts; no person"

PLAIN = {
    "screening:board": _COVERAGE,
    "screening:week": _COVERAGE,
    "screening:screened": _COVERAGE,
    "screening:record_create": "the empty record form and the unit's checklist",
    "screening:record_photo": "the photo of a unit's check (a place, not a person)",
    "screening:assignments": "who screens which unit",
    "screening:checklist": "the checklist items",
    "api:screening_coverage": _COVERAGE,
    "api:screening_checklist": "the checklist items",
    "api:screening_assignments": "who screens which unit",
}
