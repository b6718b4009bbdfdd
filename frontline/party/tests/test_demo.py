"""The demo zone has the seed's party figures: 75 organisations, 2,000+ members, ~1,850 pledges."""

from django.core.management import call_command
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.registry import registry
from frontline.party.models import Membership, Oath, OathAttendee, Pledge


def test_the_demo_loads_the_seeds_party_figures(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    town = Node.objects.get(name="赣榆经济开发区")
    today = timezone.localdate()
    week_ago = today - timezone.timedelta(days=6)

    def figure(key, start=today):
        return registry().figures[key].compute(town, start, today)

    assert figure("party_orgs") == 75
    assert 2_000 <= figure("party_members") <= 2_200
    assert figure("activists") >= 100
    assert 1_800 <= figure("pledges", week_ago) <= 1_900
    assert figure("calling_orgs", week_ago) == 75  # every organisation issued a call
    assert figure("temporary_branches") == 4  # the fifth closed in February
    assert figure("pioneer_posts") >= 24 and figure("responsibility_zones") == 48
    assert figure("flag_sites") == 10  # the eight checkpoints and two other sites
    assert Oath.objects.count() == 3 and OathAttendee.objects.count() >= 20
    # The demo's two volunteers are members of 三店村 who have not pledged yet: linked to
    # their logins, so that the demo's volunteer can write a 请战书.
    linked = Membership.objects.filter(account__isnull=False, end_date__isnull=True)
    assert sorted(linked.values_list("account__username", flat=True)) == [
        "volunteer2_sandian",
        "volunteer_sandian",
    ]
    assert {m.org.node.name for m in linked.select_related("org__node")} == {"三店村"}
    assert not Pledge.objects.filter(membership__in=linked).exists()
    # Each writes as the member of their own name (孙志强 pledges as 孙志强).
    assert all(
        m.resident.name == m.account.full_name for m in linked.select_related("resident", "account")
    )
