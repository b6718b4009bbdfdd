"""The passer log: fast, idempotent, validated, scoped, and hand-overs made exactly once."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from frontline.checkpoints.models import Passer
from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.control.models import Referral
from frontline.core.models import AuditEvent


@pytest.fixture
def checkpoint(world):
    return checkpoint_make(world.sandian, "三店村东村口")


def _post(client, checkpoint, **payload):
    body = {"kind": "person", "outcome": "pass", "idempotency_key": "k-1", **payload}
    return client.post(
        reverse("api:checkpoints_passer_log", args=[checkpoint.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def test_it_logs_a_passer_through_the_api(world, login, checkpoint):
    response = _post(login(world.cadre_sandian), checkpoint, temperature="36.5℃", origin="青口镇")
    assert response.status_code == 201
    body = response.json()
    assert body["temperature"] == "36.5" and body["origin"] == "青口镇"
    assert body["is_fever"] is False and body["outcome_label"] == "放行"


def test_the_same_key_twice_stores_one_passer(world, login, checkpoint):
    client = login(world.cadre_sandian)
    first = _post(client, checkpoint, temperature="36.6")
    second = _post(client, checkpoint, temperature="36.6")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Passer.objects.count() == 1


def test_the_same_key_from_another_user_is_their_own_passer(world, login, checkpoint):
    first = _post(login(world.cadre_sandian), checkpoint, origin="青口镇")
    second = _post(login(world.volunteer_sandian), checkpoint, origin="青口镇")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert Passer.objects.count() == 2


def test_the_same_key_with_another_body_is_409_in_chinese(world, login, checkpoint):
    client = login(world.cadre_sandian)
    _post(client, checkpoint, temperature="36.6")
    response = _post(client, checkpoint, temperature="36.9")
    assert response.status_code == 409
    assert "请求编号" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "idempotency_key"
    assert list(Passer.objects.values_list("temperature", flat=True)) == [Decimal("36.6")]


def test_the_same_key_at_another_checkpoint_is_a_conflict(world, login, checkpoint):
    client = login(world.cadre_sandian)
    other = checkpoint_make(world.sandian, "三店村南卡点")
    _post(client, checkpoint)
    assert _post(client, other).status_code == 409
    assert Passer.objects.count() == 1


def test_a_temperature_spelt_otherwise_is_the_same_body(world, login, checkpoint):
    client = login(world.cadre_sandian)
    first = _post(client, checkpoint, temperature="36.5℃")
    second = _post(client, checkpoint, temperature="３６．５")
    assert (first.status_code, second.status_code) == (201, 200)


def test_a_hand_over_sent_twice_creates_exactly_one_referral(world, login, checkpoint):
    client = login(world.cadre_sandian)
    for _ in range(2):
        _post(
            client,
            checkpoint,
            temperature="37.6",
            outcome="handed_over",
            name="王某",
            origin="武汉",
            idempotency_key="hand-1",
        )
    referral = Referral.objects.get()
    assert referral.name == "王某" and str(referral.temperature) == "37.6"
    passer = Passer.objects.get()
    assert referral.status == "pending" and passer.checkpoint == checkpoint
    assert (referral.source_kind, referral.source_id) == ("checkpoint", passer.pk)
    assert referral.source_place == checkpoint.name
    assert "37.6" in referral.reason


def test_the_api_names_each_hand_overs_referral_in_the_entry_and_the_day_list(
    world, login, checkpoint
):
    client = login(world.cadre_sandian)
    _post(client, checkpoint, idempotency_key="pass-1")
    handed = _post(client, checkpoint, outcome="handed_over", name="王某", idempotency_key="h-1")
    referral = Referral.objects.get()
    assert handed.json()["referral_id"] == referral.pk
    day = client.get(reverse("api:checkpoints_passers", args=[checkpoint.pk])).json()["items"]
    assert sorted((p["outcome"], p["referral_id"]) for p in day) == [
        ("handed_over", referral.pk),
        ("pass", None),
    ]


def test_a_fever_cannot_be_let_through(world, login, checkpoint):
    response = _post(login(world.cadre_sandian), checkpoint, temperature="37.3")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("处置：") and "发热" in body["detail"]
    assert [error["field"] for error in body["errors"]] == ["outcome"]
    assert not Passer.objects.exists()


def test_37_2_is_let_through(world, login, checkpoint):
    assert _post(login(world.cadre_sandian), checkpoint, temperature="37.2").status_code == 201


@pytest.mark.parametrize("typed", ["33.9", "43.1", "热"])
def test_an_implausible_temperature_is_refused_in_chinese(world, login, checkpoint, typed):
    response = _post(login(world.cadre_sandian), checkpoint, temperature=typed)
    assert response.status_code == 422 and "体温" in response.json()["detail"]


def test_full_width_digits_are_read(world, login, checkpoint):
    response = _post(login(world.cadre_sandian), checkpoint, temperature="３６．５")
    assert response.json()["temperature"] == "36.5"


def test_a_vehicle_needs_a_plate_with_a_province(world, login, checkpoint):
    response = _post(login(world.cadre_sandian), checkpoint, kind="vehicle", plate="G12345")
    assert response.status_code == 422
    assert "省份简称" in response.json()["detail"]
    ok = _post(
        login(world.cadre_sandian),
        checkpoint,
        kind="vehicle",
        plate="苏gd12345",
        people=3,
        idempotency_key="v",
    )
    assert ok.status_code == 201 and ok.json()["plate"] == "苏GD12345"


def test_logging_at_another_villages_checkpoint_is_404(world, login):
    zhengyuan = checkpoint_make(world.zhengyuan, "郑园村村口")
    response = _post(login(world.sandian_all), zhengyuan, temperature="36.5")
    assert response.status_code == 404
    assert not Passer.objects.exists()


def test_a_role_without_duty_may_not_log(world, login, checkpoint):
    # An admin of 三店村 manages the tree but does not stand at the barrier.
    response = _post(login(world.admin_sandian), checkpoint, temperature="36.5")
    assert response.status_code == 404


def test_a_closed_checkpoint_refuses_entries(world, login, checkpoint):
    checkpoint.is_open = False
    checkpoint.save()
    response = _post(login(world.cadre_sandian), checkpoint, temperature="36.5")
    assert response.status_code == 422 and "关闭" in response.json()["detail"]


# The barrier screen


def _screen_post(client, checkpoint, **data):
    form = {
        "kind": "person",
        "direction": "in",
        "people": "1",
        "outcome": "pass",
        "idempotency_key": "s-1",
        **data,
    }
    return client.post(
        reverse("checkpoints:log", args=[checkpoint.pk]), form, HTTP_HX_REQUEST="true"
    )


def test_the_screen_answers_with_the_next_entry_ready(world, login, checkpoint):
    client = login(world.cadre_sandian)
    response = _screen_post(client, checkpoint, temperature="36.4", origin="海州区")
    page = response.content.decode()
    assert response.status_code == 200
    assert "已登记" in page and "36.4" in page
    # A fresh key and the last origin are ready; the temperature field is empty and focused.
    assert 'value="s-1"' not in page
    assert 'value="海州区"' in page
    field = re.search(r'<input[^>]*id="id_temperature"[^>]*>', page).group(0)
    assert 'value=""' in field and "autofocus" in field


def test_the_screen_shows_errors_in_place_with_422(world, login, checkpoint):
    response = _screen_post(login(world.cadre_sandian), checkpoint, temperature="45")
    assert response.status_code == 422
    page = response.content.decode()
    assert "不合理" in page and 'value="45"' in page
    assert not Passer.objects.exists()


def test_the_hand_over_button_pressed_twice_makes_one_referral(world, login, checkpoint):
    client = login(world.cadre_sandian)
    for _ in range(2):
        _screen_post(
            client,
            checkpoint,
            temperature="38.1",
            outcome="handed_over",
            name="李某",
            idempotency_key="double-tap",
        )
    assert Passer.objects.count() == 1
    assert Referral.objects.filter(name="李某").count() == 1


def test_the_direction_is_kept_for_today_only(world, login, checkpoint):
    client = login(world.cadre_sandian)
    _screen_post(client, checkpoint, temperature="36.5", direction="out")
    form = client.get(reverse("checkpoints:log", args=[checkpoint.pk])).context["form"]
    assert form.initial["direction"] == "out"
    Passer.objects.update(day="2020-02-01")
    form = client.get(reverse("checkpoints:log", args=[checkpoint.pk])).context["form"]
    assert form.initial["direction"] == "in"


def test_reading_the_day_log_is_audited_without_values(world, login, checkpoint):
    client = login(world.cadre_sandian)
    _post(client, checkpoint, temperature="36.5", origin="武汉")
    client.get(reverse("checkpoints:passers", args=[checkpoint.pk]))
    event = AuditEvent.objects.get(action="checkpoints.passer.list")
    assert event.actor == world.cadre_sandian and event.node == world.sandian
    assert "武汉" not in str(event.fields) + event.reason


def test_the_screen_lists_only_the_loggers_own_entries(world, login, checkpoint):
    _screen_post(login(world.cadre_sandian), checkpoint, temperature="36.1", origin="甲地")
    page = _screen_post(
        login(world.volunteer_sandian),
        checkpoint,
        temperature="36.2",
        origin="乙地",
        idempotency_key="v-1",
    ).content.decode()
    assert "乙地" in page and "甲地" not in page
    assert '<div class="stat-num">2</div><div class="stat-label">登记' in page


def test_a_traffic_crossing_starts_each_entry_as_a_vehicle(world, login):
    crossing = checkpoint_make(world.town, "G228 道口", kind="traffic")
    page = login(world.town_leader).get(reverse("checkpoints:log", args=[crossing.pk]))
    assert page.context["form"].initial["kind"] == "vehicle"
    plate = re.search(r'<input[^>]*id="id_plate"[^>]*>', page.content.decode()).group(0)
    assert "autofocus" in plate


def test_a_phone_number_in_a_note_is_refused(world, login, checkpoint):
    response = _post(
        login(world.cadre_sandian), checkpoint, temperature="36.5", note="家属电话13800138000"
    )
    assert response.status_code == 422 and "手机号" in response.json()["detail"]
    assert not Passer.objects.exists()


def test_an_id_number_as_the_handed_over_name_stores_nothing(world, login, checkpoint):
    response = _screen_post(
        login(world.cadre_sandian),
        checkpoint,
        temperature="38.0",
        outcome="handed_over",
        name="320721199001011234",
    )
    assert response.status_code == 422 and "身份证号" in response.content.decode()
    assert not Passer.objects.exists() and not Referral.objects.exists()
