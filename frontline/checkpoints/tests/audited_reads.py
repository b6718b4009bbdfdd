"""Which pages and endpoints of checkpoints show health or travel data (test_audited_reads)."""

from frontline.core.tests.read_registry import Read

AUDITED = {
    "checkpoints:log": Read("checkpoints.passer.list"),
    "checkpoints:passers": Read("checkpoints.passer.list"),
    "checkpoints:passers_all": Read("checkpoints.passer.list"),
    "api:checkpoints_passers": Read("checkpoints.passer.list"),
    "checkpoints:passer_export": Read("checkpoints.passer.export"),
}

_COUNTS = "counts per checkpoint and day (fevers among them), no person"

PLAIN = {
    "checkpoints:list": "the checkpoints and who is on duty",
    "checkpoints:create": "the form for a new checkpoint",
    "checkpoints:edit": "the form of a checkpoint",
    "checkpoints:unmanned": "the checkpoints nobody is on duty at",
    "checkpoints:summary": _COUNTS,
    "checkpoints:manned": "the checkpoints someone checked in at over a span",
    "checkpoints:templates": "shift templates",
    "checkpoints:detail": _COUNTS + "; the rosters",
    "checkpoints:shift_create": "the form for a shift",
    "api:checkpoints_list": "the checkpoints and who is on duty",
    "api:checkpoints_unmanned": "the checkpoints nobody is on duty at",
    "api:checkpoints_summary": _COUNTS,
    "api:checkpoints_detail": "one checkpoint and whether it is manned",
    "api:checkpoints_shifts": "the shifts and their members",
    "api:checkpoints_stats": _COUNTS,
}
