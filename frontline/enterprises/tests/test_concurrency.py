"""Concurrent bookings of the last place of a slot: one wins (PostgreSQL, real threads)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from frontline.enterprises import services
from frontline.enterprises.models import Appointment
from frontline.enterprises.tests.factories import enterprise_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")


def test_a_slot_is_never_overbooked_by_concurrent_bookings(world):
    slot = services.slot_create(
        actor=world.town_leader,
        node=world.town,
        starts_at=timezone.now() + timedelta(days=1),
        capacity=2,
    )
    enterprises = [enterprise_make(world) for _ in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)
    booked, refused, errors = [], [], []

    def book(enterprise) -> None:
        try:
            barrier.wait(timeout=10)
            services.appointment_book(actor=world.town_leader, enterprise=enterprise, slot=slot)
            booked.append(enterprise.pk)
        except ValidationError:
            refused.append(enterprise.pk)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(e,)) for e in enterprises]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert len(booked) == 2 and len(refused) == CLIENTS - 2
    assert Appointment.objects.filter(slot=slot, cancelled_at__isnull=True).count() == 2
