"""The demo zone has the seed's teams, their members and a week of activity."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from frontline.core.models import Node, User
from frontline.core.registry import registry
from frontline.teams.models import TeamMember


def test_the_demo_loads_the_seeds_teams(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    town = Node.objects.get(name="赣榆经济开发区")
    today = timezone.localdate()
    week = today - timedelta(days=6)

    def figure(key):
        return registry().figures[key].compute(town, week, today)

    counts = [
        figure(key)
        for key in (
            "purchase_vehicles",
            "service_squads",
            "patrol_teams",
            "loudspeaker_teams",
            "prevention_teams",
            "volunteer_service_teams",
        )
    ]
    assert counts == [36, 18, 18, 72, 62, 18]
    service = TeamMember.objects.filter(team__kind__code="volunteer_service").count()
    assert service >= 600
    assert figure("volunteers") > 1_000 and figure("volunteer_hours") > 1_000
    volunteer = User.objects.get(username="volunteer_sandian")
    assert TeamMember.objects.filter(user=volunteer).count() >= 2
