"""The claim's hot path through the API, with core's fast paths on and off: the winner is
answered with what the volunteer now needs (the address and the lines), a phone that
arrives after the winner is told who has it without a write, and each costs few
statements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.core.roles import Role
from frontline.core.tests.fixtures import user_make
from frontline.errands import services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import errand_make, household_make
from frontline.errands.tests.test_api import bearer
from frontline.teams.tests.factories import member_make, team_make


@pytest.fixture(params=[True, False], ids=["fast", "plain"])
def fast(request, settings):
    settings.FAST_PATHS = request.param
    return request.param


def _claim(client, headers: dict, errand: Errand, body: dict | None = None):
    url = reverse("api:errands_claim", kwargs={"errand_id": errand.pk})
    if body is None:  # as the phones send it: a token, no body
        return client.generic("POST", url, headers=headers)
    return client.post(url, body, content_type="application/json", headers=headers)


def test_the_winner_gets_the_address_and_the_lines_in_the_answer(world, client, fast):
    errand = errand_make(household_make(world.sandian))
    errand.lines.create(category="medicine", text="感冒灵一盒")
    answer = _claim(client, bearer(world.volunteer_sandian), errand)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["address"] == "三店村3组18号"
    assert body["lines"] == [
        {"category": "vegetables", "text": "白菜两斤"},
        {"category": "medicine", "text": "感冒灵一盒"},
    ]
    assert (body["status"], body["claimed_by"], body["claimed_team"]) == (
        "claimed",
        str(world.volunteer_sandian),
        "",
    )
    stored = Errand.objects.get(pk=errand.pk)
    assert (stored.status, stored.claimed_by) == (Status.CLAIMED, world.volunteer_sandian)
    event = AuditEvent.objects.get(action="errands.errand.claim", object_id=str(errand.pk))
    assert (event.actor, event.node, event.fields) == (
        world.volunteer_sandian,
        world.sandian,
        ["claimed_by"],
    )


def test_a_late_phone_is_told_who_has_it_and_writes_nothing(world, client, fast):
    errand = errand_make(household_make(world.sandian))
    winner = bearer(world.volunteer_sandian)
    late = bearer(user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian)))
    assert _claim(client, winner, errand).status_code == 200
    _claim(client, late, errand_make(household_make(world.sandian, name="李奶奶")))  # warm
    with CaptureQueriesContext(connection) as lost_queries:
        lost = _claim(client, late, errand)
    assert lost.status_code == 422
    assert lost.json()["detail"] == "状态：已被 volunteer_sandian 认领，请看看其他请求"
    written = [q["sql"] for q in lost_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert written == []
    assert len(lost_queries) <= 2  # the token, the errand with its claimer
    again = _claim(client, winner, errand)
    assert again.status_code == 422 and "您已认领" in again.json()["detail"]
    assert AuditEvent.objects.filter(action="errands.errand.claim").count() == 2


def test_a_late_phone_is_told_which_vehicle_has_it(world, client, fast):
    vehicle = team_make(world.sandian, "purchase_vehicle", "三店村党员代购车1号")
    member_make(vehicle, user=world.volunteer_sandian, is_leader=True)
    errand = errand_make(household_make(world.sandian))
    won = _claim(client, bearer(world.volunteer_sandian), errand, {"team_id": vehicle.pk})
    assert won.json()["claimed_team"] == "三店村党员代购车1号"
    late = bearer(user_make("volunteer2_sandian", (Role.VOLUNTEER, world.sandian)))
    lost = _claim(client, late, errand)
    assert lost.status_code == 422
    assert "已被 volunteer_sandian（三店村党员代购车1号）认领" in lost.json()["detail"]


def test_a_claim_on_a_cancelled_errand_is_refused_by_its_state(world, client, fast):
    errand = errand_make(household_make(world.sandian))
    services.errand_cancel(actor=world.cadre_sandian, errand=errand, reason="住户已自行购买")
    refused = _claim(client, bearer(world.volunteer_sandian), errand)
    assert refused.status_code == 422 and "已取消" in refused.json()["detail"]
    assert Errand.objects.get(pk=errand.pk).claimed_by is None


def test_a_won_claim_costs_few_statements(world, client, fast):
    """The token, the errand with its claimer, the claim with its audit row (one
    statement on PostgreSQL with the fast paths; here inside the test's transaction, so
    with a savepoint), the lines."""
    headers = bearer(world.volunteer_sandian)
    household = household_make(world.sandian)
    _claim(client, headers, errand_make(household))  # warm: the token's idle clock
    errand = errand_make(household)
    with CaptureQueriesContext(connection) as queries:
        assert _claim(client, headers, errand).status_code == 200
    sqls = [q["sql"] for q in queries]
    writes = [sql for sql in sqls if sql.startswith(("UPDATE", "INSERT", "WITH"))]
    if fast and connection.vendor == "postgresql":
        assert len(writes) == 1 and "core_auditevent" in writes[0]  # claim and audit row
    assert len(sqls) <= 7, sqls
