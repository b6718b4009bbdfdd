"""The 预约办 page (book, cancel, move a booking; a full slot refuses and the old booking
stands) and the policies page (a measure published with its cap, totals per measure)."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from frontline.enterprises import services
from frontline.enterprises.models import Appointment, Policy
from frontline.enterprises.tests.factories import enterprise_make, sector_make, slot_make, uscc_next


def _own(world):
    return services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )


def _live(enterprise):
    return Appointment.objects.filter(enterprise=enterprise, cancelled_at__isnull=True)


def test_the_contact_books_a_slot_on_the_page_and_sees_it_booked(world, login):
    own, slot = _own(world), slot_make(world, capacity=2)
    client = login(world.enterprise_contact)
    page = client.get(reverse("enterprises:slots")).content.decode()
    assert f"为 {own} 预约" in page and "余 2" not in page  # the button, not the count
    response = client.post(
        reverse("enterprises:appointment_book", args=[own.pk]),
        {"slot_id": slot.pk, "back": "slots"},
    )
    assert response["Location"].endswith(f"?enterprise={own.pk}")
    assert _live(own).get().slot == slot
    assert "已预约" in client.get(response["Location"]).content.decode()


def test_moving_a_booking_frees_the_old_place_and_takes_the_new(world, login):
    own, first, second = _own(world), slot_make(world), slot_make(world, hours=48)
    booked = services.appointment_book(actor=world.town_leader, enterprise=own, slot=first)
    client = login(world.enterprise_contact)
    client.post(reverse("enterprises:appointment_rebook", args=[booked.pk]), {"slot_id": second.pk})
    assert _live(own).get().slot == second
    other = enterprise_make(world)
    services.appointment_book(actor=world.town_leader, enterprise=other, slot=first)


def test_moving_to_a_full_slot_is_refused_and_the_booking_stands(world, login):
    own, first, full = _own(world), slot_make(world), slot_make(world, hours=48)
    services.appointment_book(actor=world.town_leader, enterprise=enterprise_make(world), slot=full)
    booked = services.appointment_book(actor=world.town_leader, enterprise=own, slot=first)
    client = login(world.enterprise_contact)
    response = client.post(
        reverse("enterprises:appointment_rebook", args=[booked.pk]),
        {"slot_id": full.pk},
        follow=True,
    )
    assert "未能改约：该时段已约满" in response.content.decode()
    assert _live(own).get().slot == first
    assert Appointment.objects.filter(slot=full, cancelled_at__isnull=True).count() == 1


def test_the_town_opens_a_slot_on_the_page_and_a_past_time_is_refused(world, login):
    client = login(world.town_leader)
    later = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    made = client.post(
        reverse("enterprises:slots"), {"node": world.town.pk, "starts_at": later, "capacity": 4}
    )
    assert made.status_code == 302
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(
        reverse("enterprises:slots"), {"node": world.town.pk, "starts_at": past, "capacity": 4}
    )
    assert refused.status_code == 422 and "预约时段应在将来" in refused.content.decode()


def test_a_contact_cannot_open_slots(world, login):
    later = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = login(world.enterprise_contact).post(
        reverse("enterprises:slots"), {"node": world.town.pk, "starts_at": later, "capacity": 4}
    )
    assert response.status_code == 404


def test_a_measure_is_published_and_totals_show_per_measure(world, login):
    client = login(world.town_leader)
    response = client.post(
        reverse("enterprises:policy_applications"),
        {"node": world.town.pk, "name": "房租减免", "cap": "50000", "document": "扶持企业十项举措"},
    )
    assert response.status_code == 302
    policy = Policy.objects.get(name="房租减免")
    assert policy.cap == Decimal("50000")
    own = _own(world)
    for amount in ("20000", "25000"):
        services.policy_apply(
            actor=world.town_leader, policy=policy, enterprise=own, amount=Decimal(amount)
        )
    page = client.get(reverse("enterprises:policy_applications")).content.decode()
    assert "45000.00" in page and "2（2）" in page


def test_a_cap_above_the_limit_is_refused_by_name(world, login):
    response = login(world.town_leader).post(
        reverse("enterprises:policy_applications"),
        {"node": world.town.pk, "name": "税费奖补", "cap": "1000000000"},
    )
    assert response.status_code == 422
    assert not Policy.objects.filter(name="税费奖补").exists()
