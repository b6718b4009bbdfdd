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
    "party:call_list": "calls to action and their counts",
    "party:call_create": "the empty call form",
    "party:call_detail": "a call and its pledges (names, availability, skills)",
    "party:pledge_create": "the pledge form",
    "party:pledge_list": "pledges: names, calls, organisations",
    "party:post_list": "pioneer posts and zones with their holders' names",
    "party:post_create": "the empty post form",
    "party:post_holder_add": "a member picker",
    "api:party_orgs": _ORGS,
    "api:party_call_detail": "a call and its counts",
}
