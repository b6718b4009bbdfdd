"""Every /api/ answer is JSON with a Chinese message, whatever was wrong with the request
(issue 15, item 18): a probe of odd requests across the API's families, none of which may
answer HTML, English or a parser's own words."""

import json

import pytest
from django.urls import reverse

from frontline.core import services

PARSER_WORDS = ("Expecting", "line 1", "column", "JSONDecodeError", "Traceback", "<html", "char ")


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {services.api_token_issue(user=user)}"}


def _chinese_json(response, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"detail", "errors"}
    text = json.dumps(body, ensure_ascii=False)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"]), body
    for error in body["errors"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), body
    assert not any(word in text for word in PARSER_WORDS), text
    return body


BODIES = {
    "not JSON": "{not json",
    "truncated JSON": '{"isolation_id": 1, "value": "36',
    "a list, not an object": "[1, 2, 3]",
    "a bare string": '"36.5"',
    "null": "null",
    "a number": "42",
    "empty": "",
    "invalid UTF-8": b"\xff\xfe{\x00",
    "deeply nested": "[" * 5000 + "]" * 5000,
    "NaN": '{"isolation_id": 1, "value": NaN, "slot": "am"}',
}

ROUTES = [
    ("post", "api:control_reading_create", []),
    ("post", "api:screening_record_create", []),
    ("post", "api:people_create", []),
    ("post", "api:people_search", []),
    ("post", "api:token_create", []),
    ("post", "api:control_key_person_create", []),
]


@pytest.mark.parametrize("kind", BODIES)
@pytest.mark.parametrize("route", [r[1] for r in ROUTES])
def test_a_malformed_body_is_answered_in_chinese_json(world, client, route, kind):
    response = client.post(
        reverse(route),
        BODIES[kind],
        content_type="application/json",
        headers=bearer(world.sandian_all),
    )
    _chinese_json(response, (400, 422))


@pytest.mark.parametrize("kind", BODIES)
def test_a_malformed_patch_of_a_resident_is_answered_in_chinese_json(world, client, kind):
    from frontline.people.tests.factories import resident_make

    resident = resident_make(world.sandian_grid, name="王远")
    response = client.patch(
        reverse("api:people_update", args=[resident.pk]),
        BODIES[kind],
        content_type="application/json",
        headers=bearer(world.cadre_sandian),
    )
    _chinese_json(response, (400, 422))


def test_a_body_sent_as_a_form_or_text_is_answered_in_chinese_json(world, client):
    url = reverse("api:control_reading_create")
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(
            url,
            "isolation_id=1&value=36.5",
            content_type=content_type,
            headers=bearer(world.sandian_all),
        )
        _chinese_json(response, (400, 415, 422))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/checkpoints/abc",
        "/api/v1/checkpoints/abc/passers",
        "/api/v1/checkpoints/1.5/stats",
        "/api/v1/checkpoints/-1",
        "/api/v1/people/abc",
        "/api/v1/isolations/%00",
        "/api/v1/key-persons/1e3",
        "/api/v1/screening/records/abc",
        "/api/v1/nodes/abc",
    ],
)
def test_a_path_of_the_wrong_type_is_a_json_404(world, client, path):
    _chinese_json(client.get(path, headers=bearer(world.cadre_sandian)), 404)


@pytest.mark.parametrize(
    "path", ["/api/v1/nope", "/api/v2/checkpoints", "/api/", "/api/nope/", "/api/v1/people/1/nope"]
)
def test_an_unknown_api_route_is_a_json_404(world, client, path):
    _chinese_json(client.get(path, headers=bearer(world.cadre_sandian)), 404)


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("delete", "api:checkpoints_list"),
        ("put", "api:control_reading_create"),
        ("get", "api:token_create"),
        ("post", "api:me"),
        ("patch", "api:screening_record_create"),
    ],
)
def test_a_method_the_route_does_not_take_is_a_json_405(world, client, method, route):
    response = getattr(client, method)(reverse(route), headers=bearer(world.cadre_sandian))
    assert "不支持" in _chinese_json(response, 405)["detail"]


def test_a_query_of_the_wrong_type_is_named_in_chinese(world, client):
    response = client.get(
        reverse("api:checkpoints_list"),
        {"limit": "many", "open_only": "perhaps"},
        headers=bearer(world.cadre_sandian),
    )
    body = _chinese_json(response, 422)
    assert {e["field"] for e in body["errors"]} == {"limit", "open_only"}


def test_the_lockout_of_the_token_endpoint_is_json_in_chinese(world, client):
    url = reverse("api:token_create")
    body = {"username": "cadre_sandian", "password": "wrong"}
    for _ in range(6):
        response = client.post(url, body, "application/json")
    assert "锁定" in _chinese_json(response, 429)["detail"]
    # Locked out even with the right password: still JSON, still Chinese.
    right = client.post(url, {"username": "cadre_sandian", "password": "x"}, "application/json")
    _chinese_json(right, (401, 429))


def test_an_oversized_upload_to_the_api_is_json(world, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        reverse("api:people_search"),
        json.dumps({"q": "王" * 5000}),
        content_type="application/json",
        headers=bearer(world.cadre_sandian),
    )
    assert "太大" in _chinese_json(response, 413)["detail"]


def test_a_wrong_token_is_json_in_chinese(world, client):
    for header in ("Bearer nonsense", "Bearer ", "Basic abc", "Bearer " + "x" * 5000):
        response = client.get(reverse("api:me"), headers={"Authorization": header})
        _chinese_json(response, 401)
