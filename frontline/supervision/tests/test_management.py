"""Those who own supervision set up groups and rubrics on pages, and the 红黑榜's weights."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.core.models import AuditEvent
from frontline.supervision import ranking, services
from frontline.supervision.models import InspectionGroup, Rubric, TargetKind
from frontline.supervision.tests.factories import group_make, inspection_make

pytestmark = pytest.mark.django_db


def test_a_town_leader_sets_up_a_group_with_members_and_scope(world, login):
    client = login(world.town_leader)
    assert client.get(reverse("supervision:group_new")).status_code == 200
    answer = client.post(
        reverse("supervision:group_new"),
        {
            "node": world.town.pk,
            "name": "第三督察组",
            "members": [world.inspector.pk],
            "scope": [world.sandian.pk, world.zhengyuan.pk],
        },
    )
    assert answer.status_code == 302
    group = InspectionGroup.objects.get(name="第三督察组")
    assert list(group.members.all()) == [world.inspector]
    assert set(group.scope.all()) == {world.sandian, world.zhengyuan}
    page = client.get(reverse("supervision:groups")).text
    assert "第三督察组" in page and reverse("supervision:group_edit", args=[group.pk]) in page


def test_a_group_is_edited_and_its_new_scope_holds_at_once(world, login):
    group = group_make(world.town, [world.inspector], [world.sandian], name="第一督察组")
    client = login(world.town_leader)
    url = reverse("supervision:group_edit", args=[group.pk])
    assert "三店村" in client.get(url).text
    answer = client.post(
        url, {"name": "第一督察组", "members": [world.inspector.pk], "scope": [world.zhengyuan.pk]}
    )
    assert answer.status_code == 302
    assert list(group.scope.all()) == [world.zhengyuan]
    assert AuditEvent.objects.filter(action="supervision.group.update").get().fields == ["scope"]
    # An inspection of 三店村 by this group is now outside its scope.
    with pytest.raises(Exception, match="督查范围"):
        inspection_make(inspector=world.inspector, group=group, target=world.sandian)


def test_a_group_without_scope_or_members_is_refused_in_chinese(world, login):
    group = group_make(world.town, [world.inspector], [world.sandian], name="第一督察组")
    answer = login(world.town_leader).post(
        reverse("supervision:group_edit", args=[group.pk]), {"name": "第一督察组"}
    )
    assert answer.status_code == 422
    assert "督查范围" in answer.text or "这个字段是必填项" in answer.text
    assert list(group.scope.all()) == [world.sandian]


def test_a_village_cadre_cannot_manage_groups(world, login):
    client = login(world.cadre_sandian)
    assert client.get(reverse("supervision:group_new")).status_code == 404
    assert "新建督察组" not in client.get(reverse("supervision:groups")).text


def test_a_rubric_is_set_up_with_items_and_points_typed_one_a_line(world, login):
    client = login(world.inspector)
    answer = client.post(
        reverse("supervision:rubric_new"),
        {
            "node": world.town.pk,
            "target_kind": "checkpoint",
            "name": "夜间卡口评分表",
            "items": "夜间有人值守 50\n登记本完整，40\n\n消毒记录：１０",
        },
    )
    assert answer.status_code == 302
    rubric = Rubric.objects.get(name="夜间卡口评分表")
    assert [(i.text, i.points) for i in rubric.items.all()] == [
        ("夜间有人值守", 50),
        ("登记本完整", 40),
        ("消毒记录", 10),
    ]
    page = client.get(reverse("supervision:rubrics")).text
    assert "夜间卡口评分表" in page and "满分 100 分" in page
    # It serves the town's inspections at once.
    assert rubric in services_rubrics(world.inspector)


def services_rubrics(user):
    from frontline.supervision.selectors import rubrics_for

    return list(rubrics_for(user, TargetKind.CHECKPOINT))


def test_a_bad_item_line_is_refused_by_its_number(world, login):
    answer = login(world.inspector).post(
        reverse("supervision:rubric_new"),
        {
            "node": world.town.pk,
            "target_kind": "village",
            "name": "坏表",
            "items": "台账 20\n没有分值",
        },
    )
    assert answer.status_code == 422 and "第 2 行" in answer.text
    assert not Rubric.objects.filter(name="坏表").exists()
    answer = login(world.inspector).post(
        reverse("supervision:rubric_new"),
        {"node": world.town.pk, "target_kind": "village", "name": "坏表", "items": "台账 120"},
    )
    assert answer.status_code == 422 and "1–100" in answer.text


def test_a_used_rubric_keeps_its_items_and_can_only_be_stopped(world, login):
    rubric = services.rubric_create(
        actor=None,
        node=world.town,
        target_kind=TargetKind.VILLAGE,
        name="镇村评分表",
        items=[("台账", 60), ("值守", 40)],
    )
    client = login(world.town_leader)
    url = reverse("supervision:rubric_edit", args=[rubric.pk])
    edited = client.post(
        url, {"name": "镇村评分表", "items": "台账 50\n值守 50", "is_active": "on"}
    )
    assert edited.status_code == 302
    assert [i.points for i in rubric.items.all()] == [50, 50]
    group = group_make(world.town, [world.inspector], [world.town])
    services.inspection_create(
        actor=world.inspector,
        group=group,
        rubric=rubric,
        target_kind="village",
        target_id=world.sandian.pk,
        scores={str(i.pk): i.points for i in rubric.items.all()},
        idempotency_key="used-1",
    )
    refused = client.post(
        url, {"name": "镇村评分表", "items": "台账 70\n值守 30", "is_active": "on"}
    )
    assert refused.status_code == 422 and "停用" in refused.text
    assert [i.points for i in rubric.items.all()] == [50, 50]
    stopped = client.post(url, {"name": "镇村评分表", "items": "台账 50\n值守 50"})
    assert stopped.status_code == 302
    rubric.refresh_from_db()
    assert rubric.is_active is False


def test_the_common_rubrics_are_shown_but_not_editable_on_the_page(world, login):
    page = login(world.town_leader).get(reverse("supervision:rubrics")).text
    common = Rubric.objects.filter(node=None).first()
    assert common.name in page
    assert reverse("supervision:rubric_edit", args=[common.pk]) not in page
    answer = login(world.town_leader).get(reverse("supervision:rubric_edit", args=[common.pk]))
    assert answer.status_code == 404


def _last_week():
    return ranking.period_of("week", timezone.localdate() - timedelta(days=7))


def test_a_town_stores_its_weights_and_the_page_shows_them(world, login):
    client = login(world.town_leader)
    body = {f"village__{part}": 0 for part in ranking.WEIGHTS[TargetKind.VILLAGE]}
    body.update({f"checkpoint__{part}": 0 for part in ranking.WEIGHTS[TargetKind.CHECKPOINT]})
    body.update({"village__inspection": 70, "village__screening": 30, "checkpoint__manning": 100})
    answer = client.post(reverse("supervision:ranking_weights"), body)
    assert answer.status_code == 302
    assert ranking.weights_for(world.sandian)["village"]["inspection"] == 70
    page = client.get(reverse("supervision:rankings")).text
    assert "督查得分 70%" in page and "卡口值守 100%" in page


def test_weights_that_do_not_add_up_to_100_are_refused_naming_the_kind(world, login):
    client = login(world.town_leader)
    body = {f"village__{part}": 10 for part in ranking.WEIGHTS[TargetKind.VILLAGE]}
    body.update({f"checkpoint__{part}": 0 for part in ranking.WEIGHTS[TargetKind.CHECKPOINT]})
    body["checkpoint__inspection"] = 100
    answer = client.post(reverse("supervision:ranking_weights"), body)
    assert answer.status_code == 422 and "村/社区的权重合计须为 100，现为 50" in answer.text
    assert ranking.weights_for(world.town) == {str(k): dict(v) for k, v in ranking.WEIGHTS.items()}


def test_a_published_list_keeps_the_weights_it_was_computed_with(world, login):
    group = group_make(world.town, [world.inspector], [world.town])
    period = _last_week()
    at = timezone.make_aware(
        timezone.datetime.combine(period.start, timezone.datetime.min.time())
    ) + timedelta(hours=10)
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, minus=20, at=at)
    published = services.ranking_publish(
        actor=world.town_leader, node=world.town, period_kind="week", start=period.start
    )
    frozen_rows, frozen_weights = published.rows, published.weights
    weights = ranking.weights_for(world.town)
    weights["village"] = {part: 0 for part in weights["village"]} | {"inspection": 100}
    services.ranking_weights_set(actor=world.town_leader, node=world.town, weights=weights)
    published.refresh_from_db()
    assert published.weights == frozen_weights and published.rows == frozen_rows
    assert frozen_weights["village"]["inspection"] == 40
    page = login(world.town_leader).get(reverse("supervision:ranking_detail", args=[published.pk]))
    assert "督查得分 40%" in page.text
    live = ranking.compute(world.town, period).rows_json()
    assert next(r for r in live if r["label"] == "三店村")["score"] == 80.0


def test_a_village_leader_may_not_change_the_weights(world, login):
    client = login(world.village_leader_sandian)
    assert client.get(reverse("supervision:ranking_weights")).status_code == 404
    assert (
        reverse("supervision:ranking_weights")
        not in client.get(reverse("supervision:rankings")).text
    )
