"""Which supervision pages and endpoints record a read (test_audited_reads): cadre records
are audited on every read; the rest shows scores and findings, no health data."""

from frontline.core.tests.read_registry import Read

AUDITED = {
    "supervision:cadre_records": Read("supervision.cadre_record.list"),
    "api:cadre_records_list": Read("supervision.cadre_record.list"),
}

_SCORES = "inspection scores and findings, no health data"

PLAIN = {
    "supervision:inspections": _SCORES,
    "supervision:inspection_new": "the scoring form",
    "supervision:inspection_detail": _SCORES,
    "supervision:findings": _SCORES,
    "supervision:finding_detail": _SCORES,
    "supervision:finding_photo": "a photo of a finding",
    "supervision:groups": "the inspection groups",
    "supervision:group_new": "the form for a group",
    "supervision:group_edit": "the form for a group",
    "supervision:rubrics": "the rubrics",
    "supervision:rubric_new": "the form for a rubric",
    "supervision:rubric_edit": "the form for a rubric",
    "supervision:findings_flagged": _SCORES,
    "supervision:ranking_weights": "the weights of the 红黑榜",
    "supervision:rankings": "the 红黑榜 computed from figures",
    "supervision:ranking_detail": "a published 红黑榜",
    "supervision:honours": "honours per village",
    "supervision:cadre_record_new": "the form for a cadre record",
    "supervision:duty": "cadres on duty and where",
    "supervision:duty_new": "the form for a day of duty",
    "api:rubrics_list": "the rubrics",
    "api:inspections_list": _SCORES,
    "api:inspections_detail": _SCORES,
    "api:findings_list": _SCORES,
    "api:rankings_get": "the 红黑榜",
    "api:honours_list": "honours",
}
