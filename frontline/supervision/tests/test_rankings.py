"""The 红黑榜: computed with its formula shown, published once and frozen, honours from it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.checkpoints import services as checkpoint_services
from frontline.checkpoints.tests.factories import checkpoint_make, shift_make
from frontline.supervision import ranking, services
from frontline.supervision.models import HonourKind, Ranking, TargetKind
from frontline.supervision.tests.factories import finding_spec, group_make, inspection_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(world):
    return group_make(world.town, [world.inspector], [world.town], name="第一督察组")


def _last_week():
    return ranking.period_of("week", timezone.localdate() - timedelta(days=7))


def _at(period, day=1):
    return timezone.make_aware(
        timezone.datetime.combine(period.start + timedelta(days=day), timezone.datetime.min.time())
    ) + timedelta(hours=10)


def _row(table_rows, label):
    return next(r for r in table_rows if r["label"] == label)


def test_the_list_ranks_villages_by_the_formula_and_shows_it(world, login, group):
    period = _last_week()
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, at=_at(period))
    inspection_make(
        inspector=world.inspector, group=group, target=world.zhengyuan, minus=20, at=_at(period)
    )
    rows = ranking.compute(world.town, period).rows_json()
    sandian, zhengyuan = _row(rows, "三店村"), _row(rows, "郑园村")
    assert sandian["parts"]["inspection"] == 100.0 and zhengyuan["parts"]["inspection"] == 80.0
    assert sandian["rank"] < zhengyuan["rank"]
    assert sandian["list"] == "red" and zhengyuan["list"] == "black"
    page = login(world.inspector).get(
        reverse("supervision:rankings") + f"?period=week&date={period.start}"
    )
    assert "督查得分 40%" in page.text and "并列" in page.text
    assert page.text.index("三店村") < page.text.index("郑园村")


def test_ties_share_a_rank_and_are_ordered_by_the_stated_rule(world, group):
    period = _last_week()
    for village in (world.sandian, world.zhengyuan):
        inspection_make(inspector=world.inspector, group=group, target=village, at=_at(period))
    rows = [
        r for r in ranking.compute(world.town, period).rows_json() if r["target_kind"] == "village"
    ]
    assert rows[0]["score"] == rows[1]["score"] and rows[0]["rank"] == rows[1]["rank"] == 1
    # Equal inspection part too: the tree's order, 三店村 before 郑园村.
    assert [r["label"] for r in rows] == ["三店村", "郑园村"]
    assert {r["list"] for r in rows} == {"red"}


def test_overdue_findings_and_manning_move_the_list(world, group):
    period = _last_week()
    at = _at(period)
    due = timezone.localdate(at) + timedelta(days=1)
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, at=at)
    inspection_make(
        inspector=world.inspector,
        group=group,
        target=world.zhengyuan,
        at=at,
        findings=[finding_spec(world.cadre_zhengyuan, deadline=due)],
    )
    checkpoint = checkpoint_make(world.sandian)
    shift = shift_make(checkpoint, day=period.start)
    member = checkpoint_services.shift_member_add(actor=None, shift=shift, name="张志愿")
    member.checked_in_at = shift.starts_at
    member.save()
    rows = ranking.compute(world.town, period).rows_json()
    assert _row(rows, "郑园村")["parts"]["overdue"] == 100 - ranking.OVERDUE_PENALTY
    assert _row(rows, "三店村")["parts"]["manning"] == round(100 / 7, 1)
    assert _row(rows, checkpoint.name)["parts"]["manning"] == round(100 / 7, 1)


def test_publishing_freezes_the_list_and_a_published_list_never_changes(world, login, group):
    period = _last_week()
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, at=_at(period))
    client = login(world.inspector)
    answer = client.post(
        reverse("supervision:ranking_publish"), {"period": "week", "start": period.start}
    )
    published = Ranking.objects.get()
    assert answer["Location"] == reverse("supervision:ranking_detail", args=[published.pk])
    assert published.published_by == world.inspector
    frozen = published.rows
    # Later activity changes the live computation, not the published list.
    inspection_make(
        inspector=world.inspector, group=group, target=world.sandian, minus=30, at=_at(period, 2)
    )
    assert ranking.compute(world.town, period).rows_json() != frozen
    published.refresh_from_db()
    assert published.rows == frozen
    again = client.post(f"/api/v1/rankings/{published.pk}/publish")
    assert again.status_code == 422 and "不能修改" in again.json()["detail"]
    published.rows = []
    with pytest.raises(ValidationError, match="不能修改"):
        published.save()
    api = client.get(f"/api/v1/rankings?period=week&date={period.start}").json()
    assert api["published"] is True and api["rows"] == frozen


def test_the_running_period_cannot_be_published(world, group):
    with pytest.raises(ValidationError, match="期满后"):
        services.ranking_publish(
            actor=world.inspector, node=world.town, period_kind="week", start=timezone.localdate()
        )


def test_honours_come_from_the_red_list_and_show_per_village(world, login, group):
    period = _last_week()
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, at=_at(period))
    inspection_make(
        inspector=world.inspector, group=group, target=world.zhengyuan, minus=30, at=_at(period)
    )
    published = services.ranking_publish(
        actor=world.inspector, node=world.town, period_kind="week", start=period.start
    )
    client = login(world.inspector)
    body = {
        "ranking_id": published.pk,
        "honour": "示范村",
        "target_kind": "village",
        "target_id": world.zhengyuan.pk,
    }
    refused = client.post("/api/v1/honours", body, content_type="application/json")
    assert refused.status_code == 422 and "不在红榜上" in refused.json()["detail"]
    body["target_id"] = world.sandian.pk
    granted = client.post("/api/v1/honours", body, content_type="application/json")
    assert granted.status_code == 201 and granted.json()["target_label"] == "三店村"
    wrong_kind = {**body, "honour": "标杆卡口"}
    assert (
        client.post("/api/v1/honours", wrong_kind, content_type="application/json").status_code
        == 422
    )
    page = login(world.village_leader_sandian).get(reverse("supervision:honours"))
    assert page.text.count("data-row") == 1 and "三店村" in page.text
    other = login(world.village_leader_zhengyuan).get(reverse("supervision:honours"))
    assert other.text.count("data-row") == 0


def test_another_title_can_be_configured(world):
    kind = services.honour_kind_create(
        actor=None, name="先进督查点", target_kind=TargetKind.CHECKPOINT
    )
    assert HonourKind.objects.filter(pk=kind.pk, target_kind="checkpoint").exists()


def test_the_api_publishes_a_list_by_the_id_its_get_gives(world, login, group):
    period = _last_week()
    inspection_make(inspector=world.inspector, group=group, target=world.sandian, at=_at(period))
    client = login(world.inspector)
    listed = client.get(f"/api/v1/rankings?period=week&date={period.start}").json()
    assert listed["published"] is False and isinstance(listed["id"], int)
    # Asking again names the same list.
    assert (
        client.get(f"/api/v1/rankings?period=week&date={period.end}").json()["id"] == listed["id"]
    )
    answer = client.post(f"/api/v1/rankings/{listed['id']}/publish")
    assert answer.status_code == 201
    body = answer.json()
    assert body["published"] is True and body["id"] == listed["id"]
    assert body["rows"] == listed["rows"] and body["weights"] == listed["weights"]
    assert Ranking.objects.get(pk=listed["id"]).published_by == world.inspector


def test_the_api_refuses_the_running_period_in_chinese(world, login):
    client = login(world.inspector)
    listed = client.get("/api/v1/rankings?period=week").json()
    answer = client.post(f"/api/v1/rankings/{listed['id']}/publish")
    assert answer.status_code == 422 and "期满后" in answer.json()["detail"]


def test_another_towns_list_is_not_found(world, login):
    from frontline.core.roles import Role
    from frontline.core.tests.fixtures import user_make

    other = user_make("qingkou_inspector", (Role.INSPECTOR, world.other_town))
    period = _last_week()
    handle = services.ranking_handle(node=world.other_town, period_kind="week", day=period.start)
    answer = login(world.inspector).post(f"/api/v1/rankings/{handle.pk}/publish")
    assert answer.status_code == 404
    assert login(other).post(f"/api/v1/rankings/{handle.pk}/publish").status_code == 201
    # A village cadre sees lists but may not publish: not found, as elsewhere.
    mine = services.ranking_handle(node=world.town, period_kind="week", day=period.start)
    refused = login(world.village_leader_sandian).post(f"/api/v1/rankings/{mine.pk}/publish")
    assert refused.status_code == 404


def test_unpublished_handles_never_show_as_published_lists(world, login):
    period = _last_week()
    services.ranking_handle(node=world.town, period_kind="week", day=period.start)
    page = login(world.inspector).get(reverse("supervision:rankings")).text
    assert "已发布" not in page
