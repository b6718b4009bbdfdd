"""Every /api/ answer, errors included, is JSON of one shape with a Chinese message
(SECURITY 39): what the service refuses, what the schema refuses, what never reaches a route."""

import pytest
from django.urls import reverse

from frontline.core import services


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {services.api_token_issue(user=user)}"}


def _is_chinese_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body["detail"]
    return body


def test_a_missing_field_is_named_in_chinese(world, client):
    response = client.post(
        reverse("api:control_reading_create"),
        {"value": "36.5", "slot": "am"},
        content_type="application/json",
        headers=bearer(world.sandian_all),
    )
    body = _is_chinese_error(response, 422)
    assert body["errors"] == [{"field": "isolation_id", "message": "必填"}]
    assert "isolation_id：必填" in body["detail"]


def test_a_value_of_the_wrong_type_says_what_it_must_be(world, client):
    response = client.post(
        reverse("api:control_reading_create"),
        {"isolation_id": "one", "value": "36.5", "slot": "noon"},
        content_type="application/json",
        headers=bearer(world.sandian_all),
    )
    body = _is_chinese_error(response, 422)
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages["isolation_id"] == "须为整数"
    assert messages["slot"].startswith("只能是")


def test_a_malformed_json_body_is_answered_in_chinese(world, client):
    response = client.post(
        reverse("api:control_reading_create"),
        "{not json",
        content_type="application/json",
        headers=bearer(world.sandian_all),
    )
    assert "JSON" in _is_chinese_error(response, 400)["detail"]


def test_an_unknown_path_is_json(world, client):
    response = client.get("/api/v1/checkpoints/abc", headers=bearer(world.cadre_sandian))
    assert _is_chinese_error(response, 404)["detail"] == "未找到"


def test_an_id_outside_scope_is_the_same_json_404(world, client):
    url = reverse("api:node_detail", args=[world.zhengyuan.pk])
    assert _is_chinese_error(client.get(url, headers=bearer(world.cadre_sandian)), 404)


def test_no_token_is_401_in_chinese(client):
    _is_chinese_error(client.get(reverse("api:me")), 401)


def test_a_lockout_is_json(world, client):
    url = reverse("api:token_create")
    for _ in range(4):
        client.post(url, {"username": "cadre_sandian", "password": "x"}, "application/json")
    response = client.post(url, {"username": "cadre_sandian", "password": "x"}, "application/json")
    _is_chinese_error(response, 429)


def test_a_body_over_the_size_limit_is_json(world, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        reverse("api:control_reading_create"),
        {"isolation_id": 1, "value": "36.5", "slot": "am", "symptoms": "咳" * 2000},
        content_type="application/json",
        headers=bearer(world.sandian_all),
    )
    assert "太大" in _is_chinese_error(response, 413)["detail"]


def test_a_crash_is_a_json_500_and_logged(world, client, monkeypatch, caplog):
    from frontline.core import api as core_api

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(core_api.selectors, "user_roles", broken)
    response = client.get(reverse("api:me"), headers=bearer(world.cadre_sandian))
    _is_chinese_error(response, 500)
    assert "boom" not in response.content.decode()
    assert any("API request failed" in r.message for r in caplog.records)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_csrf_refusal_under_api_is_json(world, method):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sandian_all)
    response = getattr(client, method)(
        reverse("api:control_reading_create"), {}, content_type="application/json"
    )
    if method == "get":
        _is_chinese_error(response, 405)
    else:
        # ninja's session auth refuses a POST without the CSRF token.
        assert "CSRF" in _is_chinese_error(response, 403)["detail"]


def test_a_field_is_labelled_as_its_own_endpoint_names_it():
    """`team` is 工作专班 on a key person, a 代购车 on an errand claim (its schema's title)
    and a 队伍 in the teams app: never the label another app's model gives the name."""
    from frontline.control import api_actions as control_api
    from frontline.core.api_errors import joined, route_labels
    from frontline.errands import api as errands_api
    from frontline.teams import api as teams_api

    error = [{"field": "team", "message": "请重新选择"}]
    assert joined(error, route_labels(errands_api.errands_claim)) == "代购车：请重新选择"
    assert joined(error, route_labels(teams_api.teams_member_add)) == "队伍：请重新选择"
    assert (
        joined(error, route_labels(control_api.control_key_person_set_control))
        == "工作专班：请重新选择"
    )
    assert route_labels(errands_api.errands_claim)["team_id"] == "代购车"
