"""Every page and endpoint that shows a temperature, an origin or a health status records
one read in the audit log, the same way everywhere (SECURITY 7 and 40).

The walk finds every GET route itself (scope_routes); each app says in
tests/audited_reads.py which show such data and which do not (read_registry says how), so
that a new page cannot skip the log unnoticed. Each audited route is then opened by a user
of 郑园村 holding every role: exactly one row with its action, at that user, naming no value.
"""

import re

import pytest
from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.core.registry import registry
from frontline.core.tests.read_registry import all_reads
from frontline.core.tests.scope_registry import Call, all_targets, call_of
from frontline.core.tests.scope_routes import routes

# Readings taken "now" must lie in a round window: the clock reads 10:00.
pytestmark = pytest.mark.usefixtures("round_morning")

ROUTES = routes()
AUDITED, PLAIN = all_reads()
GETS = sorted(n for n, r in ROUTES.items() if r.methods is None or "get" in r.methods)
OWNER = "zhengyuan_all"


def test_every_get_route_says_whether_it_shows_health_data():
    missing = [name for name in GETS if name not in AUDITED and name not in PLAIN]
    assert not missing, f"declare in <app>/tests/audited_reads.py (AUDITED or PLAIN): {missing}"
    stale = sorted((AUDITED.keys() | PLAIN.keys()) - set(GETS))
    assert not stale, f"no such GET route: {stale}"


def test_every_audited_read_action_is_declared_as_a_read():
    for name, read in AUDITED.items():
        assert read.action in registry().audit_actions, f"{name}: {read.action}?"


def _call(name: str, world) -> Call:
    read = AUDITED[name]
    if read.get is not None:
        return call_of(read.get(world))
    target = all_targets().get(name)
    if target is not None and target.get is not None:
        return call_of(target.makes("get")[0](world))
    assert not ROUTES[name].path_ids, f"{name}: give Read(get=...) to reach it"
    return Call()


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_an_audited_read_records_one_row(name, world, client):
    call = _call(name, world)
    user = world.users[OWNER]
    client.force_login(user)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(reverse(name, kwargs=call.kwargs), call.query)
    assert response.status_code == 200, f"{name}: {response.status_code}"
    rows = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    reads = [row for row in rows if row.action == AUDITED[name].action]
    assert len(reads) == 1, f"{name}: {[row.action for row in rows]}"
    (row,) = reads
    assert row.actor == user
    # Field names at most (an export names what it held), never a value.
    assert row.object_type and all(re.fullmatch(r"[a-z_]+", f) for f in row.fields)
