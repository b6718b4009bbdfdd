"""The case pages' writes through the API, as the mini-program sends them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from frontline.control import services
from frontline.control.models import KeyPerson, Reading, ServiceDelivery, ServiceKind
from frontline.control.public import ReferralSource, referral_open
from frontline.control.tests.factories import category_make, isolation_make
from frontline.control.tests.test_api import bearer
from frontline.people.tests.factories import id_number_next, resident_make


def _post(client, user, name, body=None, **kwargs):
    return client.post(
        reverse(f"api:{name}", kwargs=kwargs),
        body or {},
        content_type="application/json",
        headers=bearer(user),
    )


def test_four_ones_are_set_and_a_leader_from_elsewhere_refused(world, client, isolated_sandian):
    person = isolated_sandian.key_person
    body = {"leader_id": world.village_leader_sandian.pk, "team": "三店村专班", "plan": "每日两测"}
    response = _post(
        client, world.cadre_sandian, "control_key_person_set_control", body, key_person_id=person.pk
    )
    assert response.status_code == 200 and response.json()["gaps"] == []
    body["leader_id"] = world.village_leader_zhengyuan.pk
    refused = _post(
        client, world.cadre_sandian, "control_key_person_set_control", body, key_person_id=person.pk
    )
    assert refused.status_code == 422 and "责任领导" in refused.json()["detail"]


def test_the_six_are_offered_by_role_and_set_one_at_a_time(world, client, isolated_sandian):
    candidates = client.get(
        reverse("api:control_six_candidates", kwargs={"isolation_id": isolated_sandian.pk}),
        headers=bearer(world.cadre_sandian),
    ).json()
    health = next(c for c in candidates if c["role"] == "health_worker")
    offered = {c["id"] for c in health["choices"]}
    assert world.health_sandian.pk in offered and world.supply_keeper_sandian.pk not in offered
    body = {"role": "health_worker", "user_id": world.health_sandian.pk}
    response = _post(
        client, world.cadre_sandian, "control_six_set", body, isolation_id=isolated_sandian.pk
    )
    six = {s["role"]: s["name"] for s in response.json()["six"]}
    assert response.status_code == 200 and six["health_worker"] == "health_sandian"
    body = {"role": "police", "user_id": world.supply_keeper_sandian.pk}
    refused = _post(
        client, world.cadre_sandian, "control_six_set", body, isolation_id=isolated_sandian.pk
    )
    assert refused.status_code == 422 and "不能担任片警" in refused.json()["detail"]


def test_an_alert_is_handled_with_a_retest_as_typed(world, client, isolated_sandian):
    reading, _ = services.reading_record(
        actor=world.health_sandian, isolation=isolated_sandian, value="37.9", slot="am"
    )
    body = {"action": "retest", "retest_value": "36.8℃", "note": "半小时后复测"}
    response = _post(
        client, world.health_sandian, "control_alert_handle", body, alert_id=reading.alert.pk
    )
    assert response.status_code == 200 and response.json()["is_open"] is False
    again = _post(
        client, world.health_sandian, "control_alert_handle", body, alert_id=reading.alert.pk
    )
    assert again.status_code == 422 and "已处置" in again.json()["detail"]


def test_an_isolation_is_ended_early_and_a_served_one_released(world, client, isolated_sandian):
    body = {"status": "transferred", "reason": "转集中隔离"}
    ended = _post(
        client, world.cadre_sandian, "control_isolation_end", body, isolation_id=isolated_sandian.pk
    )
    assert ended.status_code == 200 and ended.json()["status"] == "transferred"
    served = isolation_make(world, world.sandian_grid, "期满人", days_ago=14)
    too_early = _post(
        client, world.cadre_sandian, "control_isolation_release", isolation_id=served.pk
    )
    assert too_early.status_code == 422 and "没有体温记录" in too_early.json()["detail"]
    Reading.objects.create(
        isolation=served,
        node=served.node,
        local_date=served.end_date - timedelta(days=1),
        slot="am",
        value="36.5",
        taken_at=timezone.now(),
        taken_by=world.health_sandian,
    )
    released = _post(
        client, world.cadre_sandian, "control_isolation_release", isolation_id=served.pk
    )
    assert released.status_code == 200 and released.json()["status"] == "released"


def test_a_service_is_recorded_and_a_stopped_kind_refused(world, client, isolated_sandian):
    kind = ServiceKind.objects.get_or_create(name="代购", defaults={"quantity_label": "份"})[0]
    body = {
        "resident_id": isolated_sandian.key_person.resident_id,
        "kind_id": kind.pk,
        "description": "代购蔬菜",
        "quantity": 2,
    }
    response = _post(client, world.volunteer_sandian, "control_service_create", body)
    assert response.status_code == 201 and response.json()["resident_name"] == "王*明"
    assert ServiceDelivery.objects.get().quantity == 2
    too_many = _post(
        client, world.volunteer_sandian, "control_service_create", {**body, "quantity": 10**9}
    )
    assert too_many.status_code == 422
    kind.is_active = False
    kind.save()
    stopped = _post(client, world.volunteer_sandian, "control_service_create", body)
    assert stopped.status_code == 422 and "停用" in stopped.json()["detail"]


def test_a_referral_is_accepted_without_papers_and_identified_later(world, client):
    referral = referral_open(
        actor=world.volunteer_sandian,
        node=world.sandian,
        source_kind=ReferralSource.CHECKPOINT,
        source_id=5,
        name="姓名待补（苏G11111）",
        reason="卡口发热",
        origin="武汉",
    )
    body = {"category_id": category_make().pk, "name": "赵六", "plate": "苏G11111"}
    response = _post(
        client, world.cadre_sandian, "control_referral_accept", body, referral_id=referral.pk
    )
    assert response.status_code == 201 and response.json()["name"] == "赵*"
    person = KeyPerson.objects.get()
    registered = resident_make(world.sandian_grid, name="赵六", id_number=id_number_next())
    merged = _post(
        client,
        world.cadre_sandian,
        "control_key_person_identify",
        {"id_number": registered.id_number},
        key_person_id=person.pk,
    )
    assert merged.status_code == 200
    person.refresh_from_db()
    assert person.resident_id == registered.pk


def test_the_lists_offer_active_categories_and_kinds(world, client):
    category_make("密切接触者")
    names = [
        c["name"]
        for c in client.get(
            reverse("api:control_category_list"), headers=bearer(world.cadre_sandian)
        ).json()
    ]
    assert "密切接触者" in names
    kinds = client.get(
        reverse("api:control_service_kind_list"), headers=bearer(world.cadre_sandian)
    )
    assert kinds.status_code == 200
