"""The demo zone has checkpoints with rosters and passers, and a week of screening with gaps."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from frontline.checkpoints import selectors
from frontline.checkpoints.models import Checkpoint, Passer, ShiftMember
from frontline.control.models import Referral
from frontline.core.models import Node, User
from frontline.screening.models import Assignment, ScreeningRecord
from frontline.screening.selectors import coverage_day, units_for_record


def test_the_demo_loads_checkpoints_and_screening(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    checkpoints = Checkpoint.objects.all()
    villages = {c.node.name for c in checkpoints if c.node.kind == "village"}
    assert checkpoints.count() >= 6 and len(villages) >= 4
    assert 300 <= Passer.objects.count() <= 500
    assert ShiftMember.objects.filter(checked_in_at__isnull=False).exists()
    leader = User.objects.get(username="town_leader")
    unmanned = list(selectors.checkpoints_unmanned_now(leader))
    assert 0 < len(unmanned) < checkpoints.count()
    assert Referral.objects.filter(source_kind="checkpoint").exists()

    town = Node.objects.get(name="赣榆经济开发区")
    assert Assignment.objects.count() >= 24
    today = timezone.localdate()
    days = {day for day in ScreeningRecord.objects.values_list("day", flat=True)}
    assert days == {today - timedelta(days=n) for n in range(7)}
    yesterday = coverage_day(town, today - timedelta(days=1))
    assert 0 < yesterday.missing < yesterday.total / 4
    assert Referral.objects.filter(source_kind="screening").count() == 3
    # The volunteer of 三店村 is on this morning's roster there.
    volunteer = User.objects.get(username="volunteer_sandian")
    assert ShiftMember.objects.filter(user=volunteer, shift__day=today).exists()
    # The grid worker of 三店村 screens the village of their grid.
    grid_worker = User.objects.get(username="grid_sandian")
    assert [unit.name for unit in units_for_record(grid_worker)] == ["三店村"]
