"""An inspector scores a target on the phone or the API; findings are followed up."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.core.models import AuditEvent
from frontline.supervision import services
from frontline.supervision.models import Finding, FindingStatus, TargetKind
from frontline.supervision.tests.factories import (
    finding_spec,
    full_scores,
    group_make,
    inspection_make,
    rubric_of,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def group(world):
    return group_make(world.town, [world.users["inspector"]], [world.sandian], name="第一督察组")


def _body(group, rubric, target_id, key="k-1", **extra):
    return {
        "group_id": group.pk,
        "rubric_id": rubric.pk,
        "target_kind": rubric.target_kind,
        "target_id": target_id,
        "scores": full_scores(rubric, minus=5),
        "idempotency_key": key,
        **extra,
    }


def test_rubrics_come_seeded_for_every_kind_with_items_and_points(world, login):
    answer = login(world.inspector).get("/api/v1/rubrics").json()
    assert {r["target_kind"] for r in answer} == set(TargetKind.values)
    village = next(r for r in answer if r["target_kind"] == "village")
    assert sum(item["points"] for item in village["items"]) == 100


def test_an_inspection_is_stored_once_per_key_and_a_different_body_is_a_conflict(
    world, login, group
):
    client = login(world.inspector)
    rubric = rubric_of(TargetKind.VILLAGE)
    body = _body(group, rubric, world.sandian.pk)
    first = client.post("/api/v1/inspections", body, content_type="application/json")
    assert first.status_code == 201, first.json()
    assert first.json()["total"] == 95 and first.json()["max_total"] == 100
    again = client.post("/api/v1/inspections", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    changed = {**body, "note": "补充"}
    conflict = client.post("/api/v1/inspections", changed, content_type="application/json")
    assert conflict.status_code == 409
    assert "请求编号" in conflict.json()["detail"]


def test_the_same_key_of_another_inspector_is_theirs(world, login, group):
    other = world.users["zhengyuan_all"]
    group.members.add(other)
    group.scope.add(world.zhengyuan)
    rubric = rubric_of(TargetKind.VILLAGE)
    a = login(world.inspector).post(
        "/api/v1/inspections",
        _body(group, rubric, world.sandian.pk),
        content_type="application/json",
    )
    b = login(other).post(
        "/api/v1/inspections",
        _body(group, rubric, world.zhengyuan.pk),
        content_type="application/json",
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_a_score_above_the_items_points_is_refused_by_name(world, login, group):
    rubric = rubric_of(TargetKind.VILLAGE)
    item = rubric.items.first()
    body = _body(group, rubric, world.sandian.pk)
    body["scores"][str(item.pk)] = item.points + 1
    answer = login(world.inspector).post(
        "/api/v1/inspections", body, content_type="application/json"
    )
    assert answer.status_code == 422
    assert f"最多 {item.points} 分" in answer.json()["detail"]
    assert item.text in answer.json()["detail"]


def test_a_target_outside_the_groups_scope_is_refused(world, login, group):
    rubric = rubric_of(TargetKind.VILLAGE)
    body = _body(group, rubric, world.zhengyuan.pk)
    answer = login(world.inspector).post(
        "/api/v1/inspections", body, content_type="application/json"
    )
    assert answer.status_code == 422
    assert "不在“第一督察组”的督查范围内" in answer.json()["detail"]


def test_a_target_outside_the_inspectors_own_scope_does_not_exist(world, login):
    inspector = world.holder("inspector", "sandian")
    group = group_make(world.town, [inspector], [world.town])
    rubric = rubric_of(TargetKind.VILLAGE)
    body = _body(group, rubric, world.zhengyuan.pk)
    answer = login(inspector).post("/api/v1/inspections", body, content_type="application/json")
    assert answer.status_code == 404


def test_an_inspector_scores_a_checkpoint_on_the_phone_with_a_finding_and_photo(
    world, login, group
):
    from frontline.checkpoints.tests.factories import checkpoint_make

    checkpoint = checkpoint_make(world.sandian, name="三店村东口")
    rubric = rubric_of(TargetKind.CHECKPOINT)
    client = login(world.inspector)
    page = client.get(reverse("supervision:inspection_new") + f"?rubric_id={rubric.pk}")
    assert page.status_code == 200 and "三店村东口" in page.text
    key = page.context["form"].initial["idempotency_key"]
    post = {"group": group.pk, "target": checkpoint.pk, "idempotency_key": key}
    post.update({f"score_{k}": v for k, v in full_scores(rubric, minus=10).items()})
    post.update(
        {
            "finding": "夜班未签到",
            "owner": world.cadre_sandian.pk,
            "deadline": (timezone.localdate() + timedelta(days=1)).isoformat(),
        }
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    post["photo"] = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    answer = client.post(reverse("supervision:inspection_new") + f"?rubric_id={rubric.pk}", post)
    assert answer.status_code == 302
    detail = client.get(answer["Location"])
    assert "三店村东口" in detail.text and "90/100" in detail.text and "夜班未签到" in detail.text
    finding = Finding.objects.get()
    photo = client.get(reverse("supervision:finding_photo", args=[finding.pk, "finding"]))
    assert photo.status_code == 200 and photo.content == PNG


def test_a_score_above_points_on_the_page_is_shown_on_the_field(world, login, group):
    rubric = rubric_of(TargetKind.VILLAGE)
    item = rubric.items.first()
    post = {"group": group.pk, "target": world.sandian.pk, "idempotency_key": "page-1"}
    post.update({f"score_{k}": v for k, v in full_scores(rubric).items()})
    post[f"score_{item.pk}"] = item.points + 5
    answer = login(world.inspector).post(
        reverse("supervision:inspection_new") + f"?rubric_id={rubric.pk}", post
    )
    assert answer.status_code == 422
    assert f"{item.points}" in answer.text and "is-invalid" in answer.text


def test_a_finding_is_closed_only_with_evidence_by_its_village(world, login, group):
    inspection = inspection_make(
        inspector=world.inspector,
        group=group,
        target=world.sandian,
        findings=[finding_spec(world.cadre_sandian)],
    )
    finding = inspection.findings.get()
    client = login(world.cadre_sandian)
    url = f"/api/v1/findings/{finding.pk}/rectify"
    refused = client.post(url, {"evidence": "  "}, content_type="application/json")
    assert refused.status_code == 422 and "整改证据" in refused.json()["detail"]
    done = client.post(url, {"evidence": "已补签到表并培训"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "rectified"
    again = client.post(url, {"evidence": "再来一次"}, content_type="application/json")
    assert again.status_code == 422
    other = login(world.cadre_zhengyuan).post(
        url, {"evidence": "x"}, content_type="application/json"
    )
    assert other.status_code == 404


def test_a_finding_owner_must_be_able_to_rectify_there(world, group):
    with pytest.raises(ValidationError, match="整改责任人"):
        inspection_make(
            inspector=world.inspector,
            group=group,
            target=world.sandian,
            findings=[finding_spec(world.cadre_zhengyuan)],
        )


def test_overdue_findings_are_listed_and_a_reinspection_gives_a_new_deadline(world, login, group):
    past = timezone.now() - timedelta(days=5)
    inspection = inspection_make(
        inspector=world.inspector,
        group=group,
        target=world.sandian,
        findings=[
            finding_spec(world.cadre_sandian, deadline=timezone.localdate(past) + timedelta(days=1))
        ],
        at=past,
    )
    finding = inspection.findings.get()
    page = login(world.village_leader_sandian).get(
        reverse("supervision:findings") + "?show=overdue"
    )
    assert "测温登记不全" in page.text and "已逾期" in page.text
    assert (
        "测温登记不全"
        not in login(world.village_leader_zhengyuan)
        .get(reverse("supervision:findings") + "?show=overdue")
        .text
    )
    services.finding_reinspect(
        actor=world.inspector, finding=finding, deadline=timezone.localdate() + timedelta(days=3)
    )
    finding.refresh_from_db()
    assert finding.reinspections == 1 and finding.status == FindingStatus.OPEN
    page = login(world.village_leader_sandian).get(
        reverse("supervision:findings") + "?show=overdue"
    )
    assert "测温登记不全" not in page.text


def test_the_owner_rectifies_on_the_page_and_the_home_card_counts_what_waits(world, login, group):
    inspection_make(
        inspector=world.inspector,
        group=group,
        target=world.sandian,
        findings=[finding_spec(world.cadre_sandian)],
    )
    client = login(world.cadre_sandian)
    home = client.get(reverse("core:home"))
    assert "督查整改" in home.text
    finding = Finding.objects.get()
    url = reverse("supervision:finding_detail", args=[finding.pk])
    refused = client.post(url, {"evidence": ""})
    assert refused.status_code == 422
    assert client.post(url, {"evidence": "已整改"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECTIFIED and finding.rectified_by == world.cadre_sandian
    assert AuditEvent.objects.filter(action="supervision.finding.rectify").count() == 1


def test_the_inspectors_home_cards_open_the_built_pages(world, login):
    page = login(world.inspector).get(reverse("core:home")).text
    assert f'href="{reverse("supervision:inspections")}"' in page
    assert f'href="{reverse("supervision:rankings")}"' in page


def test_a_village_leader_is_told_of_overdue_findings_on_the_home_page(world, login, group):
    past = timezone.now() - timedelta(days=5)
    inspection_make(
        inspector=world.inspector,
        group=group,
        target=world.sandian,
        findings=[finding_spec(world.cadre_sandian, deadline=timezone.localdate(past))],
        at=past,
    )
    cards = login(world.village_leader_sandian).get(reverse("core:home")).context["cards"]
    overdue = next(card for card in cards if card["card"].title == "逾期整改督促")
    assert overdue["count"] == 1
