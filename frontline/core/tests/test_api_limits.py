"""What any client may send to the API is bounded in the schema, the same as the forms
and models (issue 15, items 2 and 3): every number a range, every text a length, every
list a number of items; list endpoints cap `limit`."""

import pytest
from django.core.exceptions import ValidationError

from frontline.api import api
from frontline.core.limits import ID_MARK

INT64_MAX = 2**63 - 1


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _unbounded(schema: dict, components: dict, where: str, seen: set) -> list[str]:
    """Every place under a schema where a client's value has no bound."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen = seen | {name}
    schema = _resolve(schema, components)
    problems = []
    for variant in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        problems += _unbounded(variant, components, where, seen)
    kind = schema.get("type")
    if kind == "string" and schema.get("format") not in ("date", "date-time", "binary"):
        if "enum" not in schema and "maxLength" not in schema:
            problems.append(f"{where}: text without maxLength")
    elif kind in ("integer", "number") and not schema.get(ID_MARK):
        if "maximum" not in schema and "exclusiveMaximum" not in schema:
            problems.append(f"{where}: number without maximum")
        if "minimum" not in schema and "exclusiveMinimum" not in schema:
            problems.append(f"{where}: number without minimum")
    elif kind == "array":
        if "maxItems" not in schema:
            problems.append(f"{where}: list without maxItems")
        problems += _unbounded(schema.get("items", {}), components, f"{where}[]", seen)
    elif kind == "object":
        for name, field in schema.get("properties", {}).items():
            problems += _unbounded(field, components, f"{where}.{name}", seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                problems.append(f"{where}: mapping without maxProperties")
            problems += _unbounded(extra, components, f"{where}{{}}", seen)
        names = schema.get("propertyNames")
        if isinstance(names, dict):
            problems += _unbounded(names, components, f"{where}{{key}}", seen)
    return problems


def _inputs() -> list[tuple[str, dict]]:
    spec = api.get_openapi_schema()
    components = spec.get("components", {}).get("schemas", {})
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                # A path's id is matched by a lookup: one out of the database's range
                # finds no row (404, test below), so path ids carry no schema bound.
                if parameter["in"] == "path":
                    continue
                name = f"{where} {parameter['in']} {parameter['name']}"
                found.append((name, parameter["schema"]))
            for media in operation.get("requestBody", {}).get("content", {}).values():
                found.append((f"{where} body", media["schema"]))
    return [(where, {"schema": schema, "components": components}) for where, schema in found]


def test_every_value_a_client_sends_to_the_api_is_bounded():
    problems = []
    for where, item in _inputs():
        problems += _unbounded(item["schema"], item["components"], where, set())
    assert problems == []


def test_the_walk_finds_an_unbounded_field():
    # The walk itself can fail: an unbounded text, number and list are each named.
    components = {
        "In": {
            "type": "object",
            "properties": {
                "note": {"type": "string"},
                "people": {"type": "integer", "minimum": 1},
                "persons": {"type": "array", "items": {"type": "string", "maxLength": 5}},
            },
        }
    }
    problems = _unbounded({"$ref": "#/components/schemas/In"}, components, "POST /x", set())
    assert problems == [
        "POST /x.note: text without maxLength",
        "POST /x.people: number without maximum",
        "POST /x.persons: list without maxItems",
    ]


def test_every_api_list_caps_limit():
    limits = [schema for where, schema in _inputs() if where.endswith("query limit")]
    assert len(limits) >= 6
    assert {item["schema"]["maximum"] for item in limits} == {200}


# ---------------------------------------------------------------- what the limits answer

import json  # noqa: E402

from django.db import IntegrityError, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from frontline.checkpoints.models import Passer  # noqa: E402
from frontline.checkpoints.tests.factories import checkpoint_make  # noqa: E402
from frontline.control.models import Referral  # noqa: E402
from frontline.screening.models import ScreeningRecord  # noqa: E402


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _refused(response, field: str, words: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert words in messages[field], messages


@pytest.fixture
def checkpoint(world):
    return checkpoint_make(world.sandian, "三店村东村口")


def test_the_int64_passer_is_refused_by_the_api(world, login, checkpoint):
    client = login(world.cadre_sandian)
    url = reverse("api:checkpoints_passer_log", args=[checkpoint.pk])
    body = {"kind": "vehicle", "plate": "苏G12345", "outcome": "pass", "idempotency_key": "k"}
    _refused(_post(client, url, {**body, "people": INT64_MAX}), "people", "不能大于 99")
    _refused(_post(client, url, {**body, "people": 0}), "people", "不能小于 1")
    assert _post(client, url, {**body, "people": 99}).status_code == 201


def test_the_int64_passer_is_refused_by_the_form(world, login, checkpoint):
    client = login(world.cadre_sandian)
    response = client.post(
        reverse("checkpoints:log", args=[checkpoint.pk]),
        {
            "kind": "vehicle",
            "plate": "苏G12345",
            "people": str(INT64_MAX),
            "direction": "in",
            "outcome": "pass",
            "idempotency_key": "form-1",
        },
    )
    assert response.status_code in (200, 422)
    assert "99" in response.content.decode() and not Passer.objects.exists()


def _forced(world, checkpoint, people: int, key: str) -> Passer:
    """A passer written straight to the table, past the service (a script, a bad
    migration would)."""
    return Passer.objects.create(
        checkpoint=checkpoint,
        day=timezone.localdate(),
        kind="vehicle",
        people=people,
        outcome="pass",
        logged_by=world.cadre_sandian,
        logged_at=timezone.now(),
        idempotency_key=key,
    )


def test_the_database_refuses_a_passer_count_out_of_range(world, checkpoint):
    # One row forced past the service cannot break the day's sums: it is not stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        _forced(world, checkpoint, 10_000, "forced")


def test_the_checkpoint_pages_and_api_sum_the_largest_rows(world, login, checkpoint):
    for number in range(3):
        _forced(world, checkpoint, 99, f"big-{number}")
    client = login(world.cadre_sandian)
    for url in (
        reverse("checkpoints:list"),
        reverse("checkpoints:summary"),
        reverse("checkpoints:detail", args=[checkpoint.pk]),
        reverse("checkpoints:passers", args=[checkpoint.pk]),
        reverse("api:checkpoints_list"),
        reverse("api:checkpoints_summary"),
        reverse("api:checkpoints_stats", args=[checkpoint.pk]),
        reverse("api:checkpoints_passers", args=[checkpoint.pk]),
    ):
        assert client.get(url).status_code == 200, url
    stats = client.get(reverse("api:checkpoints_stats", args=[checkpoint.pk])).json()
    assert stats["people"] == 297


def test_a_list_asked_for_a_hundred_thousand_rows_is_refused(world, login, checkpoint):
    client = login(world.cadre_sandian)
    for name in ("api:checkpoints_list", "api:control_alert_list", "api:screening_referrals"):
        response = client.get(reverse(name), {"limit": 100_000})
        _refused(response, "limit", "不能大于 200")
        _refused(client.get(reverse(name), {"offset": 10**12}), "offset", "不能大于 100000")
        assert client.get(reverse(name), {"limit": 200}).status_code == 200


def test_a_screening_record_carries_the_forms_limits(world, login):
    client = login(world.cadre_sandian)
    url = reverse("api:screening_record_create")
    body = {"unit_id": world.sandian.pk, "idempotency_key": "lim-1"}
    many = [{"name": f"人{i}"} for i in range(5000)]
    _refused(_post(client, url, {**body, "persons": many}), "persons", "最多 20 项")
    _refused(_post(client, url, {**body, "findings": "问" * 100_000}), "findings", "2000")
    person = {"name": "李某", "reason": "因" * 1000}
    _refused(_post(client, url, {**body, "persons": [person]}), "persons.0.reason", "200")
    checks = {str(i): True for i in range(1, 1000)}
    _refused(_post(client, url, {**body, "checks": checks}), "checks", "最多 100 项")
    assert not ScreeningRecord.objects.exists() and not Referral.objects.exists()


def test_a_screening_record_of_twenty_one_persons_is_refused_by_the_service(world):
    from frontline.screening import services
    from frontline.screening.services import PersonFound

    with pytest.raises(ValidationError, match="最多登记 20"):
        services.record_create(
            actor=world.cadre_sandian,
            unit=world.sandian,
            day=timezone.localdate(),
            checks={},
            persons=[PersonFound(name=f"人{i}") for i in range(21)],
        )


def test_a_resident_carries_the_forms_limits(world, login):
    client = login(world.cadre_sandian)
    body = {"name": "王芳", "id_number": "32072119850615002X", "node": world.sandian_grid.pk}
    url = reverse("api:people_create")
    _refused(_post(client, url, {**body, "notes": "备" * 1_000_000}), "notes", "2000")
    _refused(_post(client, url, {**body, "name": "王" * 51}), "name", "50")
    _refused(_post(client, url, {**body, "tags": list(range(1, 100))}), "tags", "最多 50 项")
    _refused(_post(client, reverse("api:people_search"), {"q": "王" * 101}), "q", "100")


def test_an_isolation_and_a_key_person_carry_the_forms_limits(world, login):
    client = login(world.cadre_sandian)
    url = reverse("api:control_isolation_create")
    body = {"key_person_id": 1, "address": "三店村1组", "start_date": "2020-02-10"}
    _refused(_post(client, url, {**body, "planned_days": INT64_MAX}), "planned_days", "60")
    _refused(_post(client, url, {**body, "address": "址" * 201}), "address", "200")
    url = reverse("api:control_key_person_create")
    body = {"resident_id": 1, "category_id": 1, "origin": "武" * 101}
    _refused(_post(client, url, body), "origin", "100")


def test_a_reading_carries_the_forms_limits(world, login):
    client = login(world.health_sandian)
    url = reverse("api:control_reading_create")
    body = {"isolation_id": 1, "value": "36.5", "slot": "am", "symptoms": "咳" * 201}
    _refused(_post(client, url, body), "symptoms", "200")
    _refused(_post(client, url, {**body, "symptoms": "", "value": "3" * 100}), "value", "16")


@pytest.mark.parametrize("absurd", [INT64_MAX + 1, 10**30])
def test_an_absurd_id_in_a_path_is_a_json_404(world, login, checkpoint, absurd):
    client = login(world.cadre_sandian)
    for url in (f"/api/v1/checkpoints/{absurd}", f"/api/v1/people/{absurd}"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["detail"] == "未找到"


def test_an_isolation_starting_in_the_year_9999_is_refused_not_a_crash(world, login):
    from frontline.control.tests.factories import key_person_make

    key_person = key_person_make(world, world.sandian_grid, "王远")
    client = login(world.cadre_sandian)
    body = {"key_person_id": key_person.pk, "address": "三店村1组", "start_date": "9999-12-31"}
    response = _post(client, reverse("api:control_isolation_create"), body)
    _refused(response, "start_date", "一年之内")
