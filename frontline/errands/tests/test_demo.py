"""The demo has errands in every state in 三店村 and a second volunteer there."""

from django.core.management import call_command

from frontline.core.models import User
from frontline.errands import selectors
from frontline.errands.models import Errand, MealSeries, Status


def test_the_demo_has_errands_in_every_state(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    states = set(Errand.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Errand.objects.filter(confirmed_by_household=True).exists()
    assert MealSeries.objects.filter(stopped_at__isnull=True).count() == 1
    second = User.objects.get(username="volunteer2_sandian")
    assert Errand.objects.filter(claimed_by=second).exists()
    assert selectors.errands_open_count(second) >= 2
    cadre = User.objects.get(username="cadre_sandian")
    assert selectors.errands_overdue_count(cadre) >= 1
    # A couple claimed for 三店村's 党员代购车, whose crew both demo volunteers are.
    by_vehicle = Errand.objects.filter(claimed_team__isnull=False)
    assert by_vehicle.count() == 2
    assert all(e.claimed_team.node.name == "三店村" for e in by_vehicle)
    assert set(by_vehicle.values_list("status", flat=True)) == {Status.CLAIMED, Status.BOUGHT}
    assert selectors.errands_mine(second).filter(claimed_team__isnull=False).count() == 2
