"""Which pages and endpoints of the teams app show health or travel data: none. They show
teams, their members' names, vehicles and activity (test_audited_reads)."""

_TEAMS = "teams, members' names, vehicles and activity counts"
_HOURS = "volunteers' names and hours"

AUDITED: dict = {}

PLAIN = {
    "teams:list": _TEAMS,
    "teams:detail": _TEAMS,
    "teams:create": "the empty team form",
    "teams:kinds": "the kinds of team",
    "teams:member_add": "a resident picker (masked) and users' names",
    "teams:activity_log": "the activity form with the team's members",
    "teams:volunteers": _HOURS,
    "teams:volunteer_resident": _HOURS,
    "teams:volunteer_user": _HOURS,
    "api:teams_list": _TEAMS,
}
