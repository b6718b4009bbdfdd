"""The mobile API: readings with idempotency, today's round, alerts, key persons."""

from datetime import UTC

from django.urls import reverse
from django.utils import timezone

from frontline.control.models import Isolation, Reading
from frontline.control.tests.factories import isolation_make
from frontline.core import services as core_services
from frontline.core.models import Node
from frontline.core.roles import Role
from frontline.core.scoping import get_by_pk_in_scope_or_404
from frontline.core.tests.fixtures import user_make


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {core_services.api_token_issue(user=user)}"}


def post_reading(client, user, **body):
    return client.post(
        reverse("api:control_reading_create"),
        body,
        content_type="application/json",
        headers=bearer(user),
    )


def test_a_reading_is_created_then_replayed(world, client, isolated_sandian):
    body = {
        "isolation_id": isolated_sandian.pk,
        "value": "36.6",
        "slot": "am",
        "idempotency_key": "phone-1-0001",
    }
    first = post_reading(client, world.health_sandian, **body)
    again = post_reading(client, world.health_sandian, **body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert Reading.objects.count() == 1


def test_a_bad_value_is_422_with_a_message(world, client, isolated_sandian):
    response = post_reading(
        client, world.health_sandian, isolation_id=isolated_sandian.pk, value="43.5", slot="pm"
    )
    assert response.status_code == 422
    assert "不合理" in response.json()["detail"]


def test_a_reading_for_another_village_is_404(world, client, isolated_zhengyuan):
    response = post_reading(
        client, world.health_sandian, isolation_id=isolated_zhengyuan.pk, value="36.6", slot="am"
    )
    assert response.status_code == 404


def test_a_reading_for_a_missing_or_absurd_id_is_404(world, client, isolated_sandian):
    for isolation_id in (isolated_sandian.pk + 1000, 0, -1, 10**30):
        response = post_reading(
            client, world.health_sandian, isolation_id=isolation_id, value="36.6", slot="am"
        )
        assert response.status_code == 404, isolation_id
    assert Reading.objects.count() == 0


def test_a_reading_in_a_deactivated_village_is_404(client, world, isolated_sandian):
    Node.objects.filter(pk=isolated_sandian.node_id).update(is_active=False)
    response = post_reading(
        client, world.health_sandian, isolation_id=isolated_sandian.pk, value="36.6", slot="am"
    )
    assert response.status_code == 404


def test_the_hot_path_fetch_builds_the_object_the_orm_would(world, isolated_sandian):
    fetched = get_by_pk_in_scope_or_404(
        Isolation, world.health_sandian, "control.reading", isolated_sandian.pk
    )
    expected = Isolation.objects.select_related("node").get(pk=isolated_sandian.pk)
    for model_field in Isolation._meta.concrete_fields:
        name = model_field.attname
        assert getattr(fetched, name) == getattr(expected, name), name
        assert type(getattr(fetched, name)) is type(getattr(expected, name)), name
    assert fetched.node.path == expected.node.path and fetched.node.is_active is True
    assert not fetched._state.adding and fetched._state.db == "default"


def test_today_lists_own_village_in_full_and_slot_states(world, client, isolated_sandian):
    post_reading(
        client, world.health_sandian, isolation_id=isolated_sandian.pk, value="37.4", slot="am"
    )
    body = client.get(
        reverse("api:control_rounds_today"), headers=bearer(world.health_sandian)
    ).json()
    item = body["items"][0]
    assert item["isolation_id"] == isolated_sandian.pk
    assert item["name"] == "王小明" and item["address"] == "第一网格1组3号" and item["in_full"]
    assert item["am"] == "done" and item["pm"] in ("due", "overdue")


def test_today_masks_a_person_on_another_workers_round(world, client, isolated_sandian):
    town_health = user_make("town_health", (Role.HEALTH_WORKER, world.town))
    body = client.get(reverse("api:control_rounds_today"), headers=bearer(town_health)).json()
    item = body["items"][0]
    assert item["name"] == "王*明" and "王小明" not in str(body) and not item["in_full"]
    assert "1组3号" not in str(body)


def test_open_alerts_are_listed(world, client, isolated_sandian):
    post_reading(
        client, world.health_sandian, isolation_id=isolated_sandian.pk, value="38.2", slot="am"
    )
    body = client.get(
        reverse("api:control_alert_list"), {"status": "open"}, headers=bearer(world.health_sandian)
    ).json()
    assert [a["value"] for a in body["items"]] == ["38.2"]


def test_a_key_person_is_registered_through_the_api(client, world, category):
    from frontline.people.tests.factories import resident_make

    resident = resident_make(node=world.sandian, name="接口人")
    response = client.post(
        reverse("api:control_key_person_create"),
        {"resident_id": resident.pk, "category_id": category.pk, "found_via": "report"},
        content_type="application/json",
        headers=bearer(world.cadre_sandian),
    )
    assert response.status_code == 201
    assert response.json()["gaps"] == ["责任领导", "工作专班", "管控方案"]


def test_the_same_key_from_another_health_worker_is_their_own_reading(
    world, client, isolated_sandian
):
    other = isolation_make(world, world.sandian_grid, "李小红")
    first = post_reading(
        client,
        world.health_sandian,
        isolation_id=isolated_sandian.pk,
        value="36.6",
        slot="am",
        idempotency_key="phone-0001",
    )
    second = post_reading(
        client,
        world.sandian_all,
        isolation_id=other.pk,
        value="36.7",
        slot="am",
        idempotency_key="phone-0001",
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["isolation_id"] == other.pk and second.json()["value"] == "36.7"
    assert Reading.objects.count() == 2


def test_the_same_key_with_another_body_is_409_in_chinese(world, client, isolated_sandian):
    body = {"isolation_id": isolated_sandian.pk, "slot": "am", "idempotency_key": "phone-0002"}
    assert post_reading(client, world.health_sandian, value="36.6", **body).status_code == 201
    response = post_reading(client, world.health_sandian, value="36.8", **body)
    assert response.status_code == 409
    assert "请求编号" in response.json()["detail"]
    assert [str(r.value) for r in Reading.objects.all()] == ["36.6"]


def test_the_same_moment_in_another_zone_is_the_same_body(world, client, isolated_sandian):
    body = {"isolation_id": isolated_sandian.pk, "slot": "am", "idempotency_key": "phone-0003"}
    local = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    first = post_reading(
        client, world.health_sandian, value="36.6", taken_at=local.isoformat(), **body
    )
    again = post_reading(
        client,
        world.health_sandian,
        value="36.6",
        taken_at=local.astimezone(UTC).isoformat(),
        **body,
    )
    assert (first.status_code, again.status_code) == (201, 200)
