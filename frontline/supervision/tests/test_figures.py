"""Supervision's dashboard figures agree with the pages their urls open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.core.registry import registry
from frontline.supervision import figures, ranking, services
from frontline.supervision.models import HonourKind
from frontline.supervision.tests.factories import group_make, inspection_make

pytestmark = pytest.mark.django_db


def test_groups_and_honours_agree_with_their_pages(world, login):
    today = timezone.localdate()
    group = group_make(world.town, [world.inspector], [world.town])
    group_make(world.town, [world.inspector], [world.sandian])
    period = ranking.period_of("week", today - timedelta(days=7))
    at = timezone.now() - timedelta(days=(today - period.start).days - 1)
    checkpoints = [checkpoint_make(world.sandian), checkpoint_make(world.zhengyuan)]
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, at=at)
    inspection_make(inspector=world.inspector, group=group, target=world.zhengyuan, minus=20, at=at)
    for checkpoint in checkpoints:
        inspection_make(
            inspector=world.inspector,
            group=group,
            target=checkpoint.node,
            kind="checkpoint",
            target_id=checkpoint.pk,
            at=at,
        )
    published = services.ranking_publish(
        actor=world.inspector, node=world.town, period_kind="week", start=period.start
    )
    village, benchmark = (
        HonourKind.objects.get(name="示范村"),
        HonourKind.objects.get(name="标杆卡口"),
    )
    services.honour_grant(
        actor=world.inspector,
        kind=village,
        ranking=published,
        target_kind="village",
        target_id=world.sandian.pk,
    )
    for checkpoint in checkpoints:
        services.honour_grant(
            actor=world.inspector,
            kind=benchmark,
            ranking=published,
            target_kind="checkpoint",
            target_id=checkpoint.pk,
        )
    client = login(world.town_leader)
    assert figures.inspection_groups(world.town, today, today) == 2
    assert client.get(figures.groups_page(world.town, today, today)).text.count("data-row") == 2
    assert figures.model_villages(world.town, today, today) == 1
    assert figures.benchmark_checkpoints(world.town, today, today) == 2
    page = client.get(figures.honours_page(world.town, today, today))
    assert page.text.count('data-kind="示范村"') == 1
    assert page.text.count('data-kind="标杆卡口"') == 2
    assert figures.model_villages(world.zhengyuan, today, today) == 0


def test_every_issue_20_key_is_declared():
    keys = {
        "inspection_groups",
        "model_villages",
        "benchmark_checkpoints",
        "cadres_evaluated",
        "cadres_promoted",
        "activists_developed",
        "weddings_postponed",
        "funerals_simplified",
        "care_volunteers",
        "care_visits",
        "exemplars",
        "leaflets",
        "cadres_on_duty",
    }
    declared = registry().figures
    assert keys <= declared.keys()
    assert all(declared[key].url is not None for key in keys)
