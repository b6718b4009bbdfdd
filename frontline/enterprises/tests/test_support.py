"""预约办, policy support and difficulty tickets: capacity, caps, decisions, owners, overdue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.enterprises import services
from frontline.enterprises.tests.factories import enterprise_make, slot_make


def test_a_full_slot_is_refused_and_a_cancel_frees_it_for_a_rebooking(world):
    slot = slot_make(world, capacity=1)
    a, b = enterprise_make(world), enterprise_make(world)
    booked = services.appointment_book(actor=world.town_leader, enterprise=a, slot=slot)
    with pytest.raises(ValidationError, match="已约满"):
        services.appointment_book(actor=world.town_leader, enterprise=b, slot=slot)
    services.appointment_cancel(actor=world.town_leader, appointment=booked)
    services.appointment_book(actor=world.town_leader, enterprise=b, slot=slot)
    with pytest.raises(ValidationError, match="已约满"):
        services.appointment_book(actor=world.town_leader, enterprise=a, slot=slot)


def test_the_contact_books_and_cancels_through_the_api(world, login):
    from frontline.enterprises.tests.factories import sector_make, uscc_next

    own = services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )
    slot = slot_make(world, capacity=2)
    client = login(world.enterprise_contact)
    listed = client.get("/api/v1/appointments").json()
    assert [s["id"] for s in listed["slots"]] == [slot.pk]
    body = {"enterprise_id": own.pk, "slot_id": slot.pk}
    made = client.post("/api/v1/appointments", body, content_type="application/json")
    assert made.status_code == 201
    twice = client.post("/api/v1/appointments", body, content_type="application/json")
    assert twice.status_code == 422
    cancel = client.post(f"/api/v1/appointments/{made.json()['id']}/cancel")
    assert cancel.json()["cancelled"] is True
    again = client.post("/api/v1/appointments", body, content_type="application/json")
    assert again.status_code == 201


def test_an_amount_above_the_cap_is_refused_and_totals_add_up(world, login):
    policy = services.policy_create(
        actor=world.town_leader, node=world.town, name="房租减免", cap=Decimal("50000")
    )
    enterprise = enterprise_make(world)
    with pytest.raises(ValidationError, match="超过“房租减免”单户上限"):
        services.policy_apply(
            actor=world.town_leader, policy=policy, enterprise=enterprise, amount=Decimal("60000")
        )
    application = services.policy_apply(
        actor=world.town_leader, policy=policy, enterprise=enterprise, amount=Decimal("30000")
    )
    with pytest.raises(ValidationError, match="批准金额应在"):
        services.policy_decide(
            actor=world.town_leader, application=application, grant=True, amount=Decimal("40000")
        )
    services.policy_decide(
        actor=world.town_leader, application=application, grant=True, amount=Decimal("25000")
    )
    rows = login(world.town_leader).get("/api/v1/policies").json()
    assert rows[0]["applied"] == 1 and Decimal(rows[0]["granted_total"]) == Decimal("25000")


def test_the_api_refuses_a_cap_outside_its_range(world, login):
    client = login(world.town_leader)
    body = {"node_id": world.town.pk, "name": "金融扶持", "cap": "1000000000"}
    assert client.post("/api/v1/policies", body, content_type="application/json").status_code == 422


def test_tickets_are_flagged_overdue_and_resolved_by_their_owner(world, login):
    enterprise = enterprise_make(world)
    late = services.ticket_create(
        actor=world.town_leader,
        enterprise=enterprise,
        kind="labour",
        description="缺少普工 20 名",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    services.ticket_create(
        actor=world.town_leader, enterprise=enterprise, kind="supplies", description="口罩不足"
    )
    client = login(world.town_leader)
    rows = client.get("/api/v1/tickets", {"open": True}).json()["items"]
    assert {r["kind_label"]: r["overdue"] for r in rows} == {
        "防控物资筹措难": False,
        "用工难": True,
    }
    page = client.get(reverse("enterprises:tickets"), {"open": 1})
    assert "已逾期" in page.text
    done = client.post(
        f"/api/v1/tickets/{late.pk}/resolve",
        {"resolution": "对接人社局招聘会"},
        content_type="application/json",
    )
    assert done.json()["resolved"] is True and done.json()["owner"] == str(world.town_leader)
    again = client.post(
        f"/api/v1/tickets/{late.pk}/resolve",
        {"resolution": "再办"},
        content_type="application/json",
    )
    assert again.status_code == 422


def test_a_ticket_is_owned_only_by_a_cadre_of_its_enterprise(world, login):
    ticket = services.ticket_create(
        actor=world.town_leader,
        enterprise=enterprise_make(world, grid=world.zhengyuan_grid),
        kind="funds",
        description="贷款难",
    )
    client = login(world.town_leader)
    outsider = client.post(
        f"/api/v1/tickets/{ticket.pk}/assign",
        {"owner_id": world.cadre_sandian.pk},
        content_type="application/json",
    )
    assert outsider.status_code == 404
    owned = client.post(
        f"/api/v1/tickets/{ticket.pk}/assign",
        {"owner_id": world.cadre_zhengyuan.pk},
        content_type="application/json",
    )
    assert owned.status_code == 200 and owned.json()["owner"] == str(world.cadre_zhengyuan)


def test_the_town_opens_slots_in_the_future_only(world, login):
    client = login(world.town_leader)
    later = (timezone.now() + timedelta(days=2)).isoformat()
    body = {"node_id": world.town.pk, "starts_at": later, "capacity": 3}
    made = client.post("/api/v1/appointments/slots", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["capacity"] == 3
    past = {**body, "starts_at": (timezone.now() - timedelta(hours=1)).isoformat()}
    refused = client.post("/api/v1/appointments/slots", past, content_type="application/json")
    assert refused.status_code == 422 and "将来" in refused.json()["detail"]
    huge = {**body, "capacity": 100000}
    assert (
        client.post("/api/v1/appointments/slots", huge, content_type="application/json").status_code
        == 422
    )
