"""Which pages and endpoints of the party app show health or travel data: none. They show
organisations, masked members, calls and pledges (test_audited_reads)."""

_MEMBERS = "party members, masked as people.public shows them; no health or travel data"
_ORGS = "party organisations and their counts"

AUDITED: dict = {}

PLAIN = {
    "party:org_list": _ORGS,
    "party:org_detail": _MEMBERS,
    "party:org_create": "the empty organisation form",
    "party:member_add": "a resident picker (masked) and the membership form",
    "party:member_list": _MEMBERS,
    "party:member_transfer": "a member's organisations over time",
    "party:member_account": "a member's linked login: names and roles of the eligible logins",
    "party:call_list": "calls to action and their counts",
    "party:call_create": "the empty call form",
    "party:call_detail": "a call and its pledges (names, availability, skills)",
    "party:pledge_create": "the pledge form",
    "party:pledge_list": "pledges: names, calls, organisations",
    "party:post_list": "pioneer posts and zones with their holders' names",
    "party:post_create": "the empty post form",
    "party:post_holder_add": "a member picker",
    "party:oath_list": "an organisation's oath events and who stood there (masked names)",
    "party:oath_create": "the oath form with a member picker",
    "party:flag_list": "front-line sites and the organisations whose flags fly there",
    "party:flag_create": "the flag form with the organisation's checkpoints",
    "party:member_import_upload": "the upload form",
    "party:member_import_template": "an empty workbook with the column headings",
    "party:member_import_preview": "the uploader's own upload: counts and row errors",
    "party:member_import_errors": "the uploader's own rows, recorded as party.member.errors_export",
    "api:party_orgs": _ORGS,
    "api:party_call_detail": "a call and its counts",
}
