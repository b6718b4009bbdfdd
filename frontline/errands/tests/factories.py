"""Households and errands for tests, made through the services as cadres make them."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.core.models import Node, User
from frontline.errands import services
from frontline.errands.models import Errand, ErrandHousehold
from frontline.people.tests.factories import resident_make


def household_make(
    village: Node, name: str = "王奶奶", address: str = "三店村3组18号"
) -> ErrandHousehold:
    resident = resident_make(village, name=name, address=address)
    return services.household_enroll(
        actor=User.objects.get(username="town_leader"), resident=resident
    )


def errand_make(
    household: ErrandHousehold,
    *,
    text: str = "白菜两斤",
    budget: str = "50",
    hours: float = 4,
    actor: User | None = None,
) -> Errand:
    """A waiting errand asked by the household itself (or by `actor`)."""
    errand, _ = services.errand_create(
        actor=actor,
        household=household,
        lines=[("vegetables", text)],
        budget=Decimal(budget),
        deliver_by=timezone.now() + timedelta(hours=hours),
    )
    return errand
