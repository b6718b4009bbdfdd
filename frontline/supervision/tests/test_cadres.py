"""Cadre records: only inspection and organisation roles read them, every read audited;
holiday duty from checkpoint check-ins, typed only where missing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.checkpoints import services as checkpoint_services
from frontline.checkpoints.tests.factories import checkpoint_make, shift_make
from frontline.core.models import AuditEvent
from frontline.supervision import figures, services

pytestmark = pytest.mark.django_db


def _record(world, kind="interview", node=None):
    return services.cadre_record_create(
        actor=world.inspector,
        node=node or world.sandian,
        kind=kind,
        cadre_name="李某",
        day=timezone.localdate(),
        reason="卡口夜班脱岗",
    )


def test_a_village_cadre_cannot_read_cadre_records(world, login):
    _record(world)
    for user in (world.cadre_sandian, world.village_leader_sandian, world.town_leader):
        assert login(user).get(reverse("supervision:cadre_records")).status_code == 404
        assert login(user).get("/api/v1/cadre-records").status_code == 404


def test_every_read_of_cadre_records_is_audited(world, login):
    _record(world)
    organisation = world.holder("organisation", "sandian")
    before = AuditEvent.objects.filter(action="supervision.cadre_record.list").count()
    page = login(organisation).get(reverse("supervision:cadre_records"))
    assert "李某" in page.text and "约谈" in page.text
    api = login(world.inspector).get("/api/v1/cadre-records")
    assert api.json()["items"][0]["kind_label"] == "约谈"
    reads = AuditEvent.objects.filter(action="supervision.cadre_record.list")
    assert reads.count() == before + 2
    assert "李某" not in str(list(reads.values()))


def test_a_record_is_made_through_the_api_linked_to_an_inspection(world, login):
    answer = login(world.inspector).post(
        "/api/v1/cadre-records",
        {
            "node_id": world.sandian.pk,
            "kind": "evaluated",
            "cadre_name": "王某",
            "day": str(timezone.localdate()),
            "reason": "卡口值守 40 天",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["kind_label"] == "股级干部考察"
    refused = login(world.inspector).post(
        "/api/v1/cadre-records",
        {
            "node_id": world.sandian.pk,
            "kind": "notice",
            "cadre_name": "王某",
            "day": "2026-01-01",
            "reason": " ",
        },
        content_type="application/json",
    )
    assert refused.status_code == 422 and "事由" in refused.json()["detail"]


def test_three_mechanism_figures_agree_with_their_pages(world, login):
    for kind, count in (("evaluated", 2), ("promoted", 1), ("activist", 3)):
        for _ in range(count):
            _record(world, kind)
    _record(world, "interview")
    today = timezone.localdate()
    client = login(world.inspector)
    for key, function, expected in (
        ("evaluated", figures.cadres_evaluated, 2),
        ("promoted", figures.cadres_promoted, 1),
        ("activist", figures.activists_developed, 3),
    ):
        assert function(world.town, today, today) == expected
        page = client.get(figures.cadre_page(key)(world.town, today, today))
        assert page.text.count("data-row") == expected


def test_holiday_duty_comes_from_check_ins_and_typed_days_fill_the_gaps(world, login):
    today = timezone.localdate()
    checkpoint = checkpoint_make(world.sandian, name="三店村东口")
    shift = shift_make(checkpoint, day=today)
    member = checkpoint_services.shift_member_add(actor=None, shift=shift, user=world.cadre_sandian)
    checkpoint_services.duty_check_in(actor=world.cadre_sandian, checkpoint=checkpoint)
    member.refresh_from_db()
    assert member.kind == "cadre"
    services.holiday_duty_create(
        actor=world.cadre_zhengyuan,
        node=world.zhengyuan,
        cadre_name="郑海波",
        day=today,
        place="郑园村委会",
    )
    with pytest.raises(Exception, match="已登记"):
        services.holiday_duty_create(
            actor=world.cadre_zhengyuan,
            node=world.zhengyuan,
            cadre_name="郑海波",
            day=today,
            place="村口",
        )
    assert figures.cadres_on_duty(world.town, today, today) == 2
    page = login(world.town_leader).get(figures.duty_page(world.town, today, today))
    assert page.text.count("data-row") == 2
    assert "三店村东口" in page.text and "郑园村委会" in page.text
