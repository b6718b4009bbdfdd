"""The demo has the seed's supervision and community figures."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.registry import registry
from frontline.supervision.models import Finding, Inspection, Ranking


def test_the_demo_loads_supervision_and_community(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    town = Node.objects.get(name="赣榆经济开发区")
    today = timezone.localdate()
    start = today - timedelta(days=45)
    figures = registry().figures

    def figure(key):
        return figures[key].compute(town, start, today)

    assert figure("inspection_groups") == 2
    assert figure("model_villages") == 4 and figure("benchmark_checkpoints") == 6
    assert (
        figure("cadres_evaluated"),
        figure("cadres_promoted"),
        figure("activists_developed"),
    ) == (4, 3, 3)
    assert figure("cadres_on_duty") >= 120
    assert figure("weddings_postponed") == 24 and figure("funerals_simplified") == 34
    assert figure("care_volunteers") >= 300 and figure("care_visits") >= 300
    assert figure("leaflets") >= 40000
    assert figure("exemplars") == 4
    assert Ranking.objects.count() == 1
    assert Inspection.objects.count() >= 120
    assert Finding.objects.filter(status="open", deadline__lt=today).exists()
    assert Finding.objects.filter(status="rectified").exists()
