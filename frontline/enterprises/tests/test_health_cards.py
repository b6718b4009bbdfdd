"""Employees and the health card: the colour derived from control's records and the
employee's return, the signed card, and the gate that sees a colour and a masked name."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from frontline.control import public as control
from frontline.control.tests.factories import isolation_make, key_person_make
from frontline.core.tests.fixtures import user_make
from frontline.enterprises import services
from frontline.enterprises.manifest import GATE_GUARD
from frontline.enterprises.tests.factories import employee_make, sector_make, uscc_next
from frontline.people.tests.factories import id_number_next, resident_make


@pytest.fixture
def own(world):
    return services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )


@pytest.fixture
def guard(world):
    return user_make("gate_guard_test", (GATE_GUARD, world.enterprise))


def _add(world, enterprise, resident, **fields):
    return services.employee_add(
        actor=world.town_leader, enterprise=enterprise, resident=resident, **fields
    )


def test_colours_follow_the_rule(world, own):
    today = timezone.localdate()
    isolated = _add(world, own, isolation_make(world, world.sandian, "隔离人").key_person.resident)
    watched = _add(world, own, key_person_make(world, world.sandian, "管控人").resident)
    back = _add(
        world,
        own,
        resident_make(node=world.sandian, name="返乡人"),
        from_affected_area=True,
        return_date=today - timedelta(days=3),
    )
    long_back = _add(
        world,
        own,
        resident_make(node=world.sandian, name="早返人"),
        from_affected_area=True,
        return_date=today - timedelta(days=20),
    )
    plain = employee_make(world, own, name="普通人")
    colours = services.health_colours([isolated, watched, back, long_back, plain])
    assert colours[isolated.pk] == ("red", "正在居家隔离")
    assert colours[watched.pk][0] == "red"
    assert colours[back.pk][0] == "amber"
    assert colours[long_back.pk][0] == "green"
    assert colours[plain.pk][0] == "green"


def test_control_flags_name_isolation_and_open_records_only(world):
    isolated = isolation_make(world, world.sandian, "隔离人").key_person.resident
    free = resident_make(node=world.sandian, name="无事人")
    flags = control.health_flags_for([isolated.pk, free.pk], timezone.localdate())
    assert flags == {isolated.pk: {"key_person", "isolated"}}


def test_the_gate_shows_red_and_a_masked_name_for_an_isolated_employee(world, own, guard, login):
    resident = isolation_make(world, world.sandian, "王小明").key_person.resident
    employee = _add(world, own, resident)
    client = login(guard)
    body = {"code": employee.code.lower(), "temperature": "36.5", "idempotency_key": "k1"}
    answer = client.post("/api/v1/gates/scan", body, content_type="application/json")
    assert answer.status_code == 201
    data = answer.json()
    assert data["colour"] == "red" and data["admitted"] is False
    # The guard learns the colour, not the health record behind it.
    assert "隔离" not in data["reason"] and data["reason"] == "健康管控中，不得进入"
    assert data["name"] != "王小明" and data["name"].startswith("王")
    assert "小明" not in json.dumps(data, ensure_ascii=False)
    again = client.post("/api/v1/gates/scan", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["entry_id"] == data["entry_id"]
    changed = client.post(
        "/api/v1/gates/scan", {**body, "temperature": "38.0"}, content_type="application/json"
    )
    assert changed.status_code == 409


def test_a_fever_at_the_gate_turns_amber_keeps_out_and_hands_over(world, own, guard, login):
    employee = employee_make(world, own, name="赵发热")
    client = login(guard)
    token = services.card_token(employee)
    body = {"token": token, "temperature": "38.2", "idempotency_key": "f1"}
    data = client.post("/api/v1/gates/scan", body, content_type="application/json").json()
    assert data["colour"] == "amber" and data["admitted"] is False
    assert control.referrals_of_source(control.ReferralSource.GATE, data["entry_id"])
    assert services.health_colours([employee])[employee.pk][0] == "amber"


def test_forged_stale_revoked_and_foreign_cards_are_refused(world, own, guard, login):
    employee = employee_make(world, own)
    client = login(guard)

    def scan(**body):
        body = {"idempotency_key": json.dumps(body)[:60], **body}
        return client.post("/api/v1/gates/scan", body, content_type="application/json")

    forged = signing.dumps({"e": employee.pk, "v": 1}, salt="another-salt")
    assert scan(token=forged).status_code == 422
    old_token, old_code = services.card_token(employee), employee.code
    services.card_reissue(actor=world.town_leader, employee=employee)
    assert scan(token=old_token).status_code == 422
    assert scan(code=old_code).status_code == 422
    assert scan(token=services.card_token(employee)).status_code == 201
    services.card_reissue(actor=world.town_leader, employee=employee, revoke=True)
    assert scan(code=employee.code).status_code == 422
    from frontline.enterprises.tests.factories import enterprise_make

    elsewhere = employee_make(world, enterprise_make(world), name="外企员工")
    refused = scan(code=elsewhere.code)
    assert refused.status_code == 422 and "无效" in refused.json()["detail"]


def test_the_guard_never_reads_the_roster(world, own, guard, login):
    employee_make(world, own)
    client = login(guard)
    assert client.get(reverse("enterprises:employees", args=[own.pk])).status_code == 404
    assert client.get(f"/api/v1/enterprises/{own.pk}/employees").status_code == 404
    assert client.get(reverse("enterprises:gate")).status_code == 200


def test_the_contact_adds_an_employee_by_id_number_and_sees_the_rule(world, own, login):
    number = id_number_next()
    resident_make(node=world.sandian, name="钱员工", id_number=number)
    client = login(world.enterprise_contact)
    response = client.post(
        reverse("enterprises:employees", args=[own.pk]),
        {"name": "钱员工", "id_number": number, "origin": "武汉", "commute": "dormitory"},
    )
    assert response.status_code == 302
    page = client.get(reverse("enterprises:employees", args=[own.pk]))
    assert "钱**" in page.text or "钱*" in page.text
    assert "绿码" in page.text and "红码：正在居家隔离" in page.text
    # A number alone finds nobody: a registered ID with another name reads exactly as an
    # unregistered one, and neither shows anything of the person.
    stranger = id_number_next()
    resident_make(node=world.zhengyuan, name="郑陌生", id_number=stranger)
    answers = []
    for name, id_number in (("钱员工", id_number_next()), ("王某", stranger)):
        refused = client.post(
            reverse("enterprises:employees", args=[own.pk]),
            {"name": name, "id_number": id_number, "commute": "commute"},
        )
        assert refused.status_code == 422 and "郑陌生" not in refused.text
        answers.append(refused.text.count("居民库中没有姓名和身份证号都相符的居民"))
    assert answers == [1, 1]
    assert own.employees.count() == 1


def test_the_mini_program_adds_an_employee_from_the_card_as_the_page_does(world, own, login):
    # The contact's scope holds the enterprise, not its employees' villages: the API takes
    # the name and number on the card, with the page's rule and the page's one answer.
    number = id_number_next()
    resident_make(node=world.sandian, name="钱接口", id_number=number)
    client = login(world.enterprise_contact)
    url = f"/api/v1/enterprises/{own.pk}/employees"
    for body in (
        {"name": "王某", "id_number": number},
        {"name": "钱接口", "id_number": id_number_next()},
    ):
        refused = client.post(url, body, content_type="application/json")
        assert refused.status_code == 422 and "姓名和身份证号都相符" in refused.json()["detail"]
    assert client.post(url, {}, content_type="application/json").status_code == 422
    added = client.post(
        url, {"name": "钱 接口", "id_number": number}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["name"].startswith("钱")
    assert list(own.employees.values_list("resident__name", flat=True)) == ["钱接口"]


def test_the_gate_page_shows_the_colour(world, own, guard, login):
    employee = _add(world, own, isolation_make(world, world.sandian, "孙隔离").key_person.resident)
    client = login(guard)
    page = client.post(
        reverse("enterprises:gate"), {"code": employee.code, "idempotency_key": "p1"}
    )
    assert page.status_code == 200 and "红码" in page.text and "不得进入" in page.text


def test_the_card_page_shows_a_qr_without_personal_data(world, own, login):
    employee = employee_make(world, own, name="周卡片")
    page = login(world.enterprise_contact).get(reverse("enterprises:card", args=[employee.pk]))
    assert "<svg" in page.text and employee.code in page.text
    payload = signing.loads(services.card_token(employee), salt=services.CARD_SALT)
    assert set(payload) == {"e", "v"}
    # The look is logged as a read of this employee's card (by id, never a name), at the
    # enterprise's node.
    from frontline.core.models import AuditEvent

    (row,) = AuditEvent.objects.filter(action="enterprises.card.view")
    assert (row.object_type, row.object_id) == ("enterprises.employee", str(employee.pk))
    assert row.node_id == own.node_id and "周" not in row.reason


def test_the_gate_page_takes_the_token_the_camera_read(world, own, guard, login):
    employee = employee_make(world, own, name="钱扫码")
    client = login(guard)
    page = client.get(reverse("enterprises:gate"))
    assert "frontline/gate.js" in page.text and 'name="token"' in page.text
    scanned = client.post(
        reverse("enterprises:gate"),
        {"token": services.card_token(employee), "temperature": "36.5", "idempotency_key": "c1"},
    )
    assert scanned.status_code == 200 and "绿码" in scanned.text and "钱*" in scanned.text


def test_the_gate_page_without_code_or_token_asks_for_one(world, own, guard, login):
    page = login(guard).post(reverse("enterprises:gate"), {"idempotency_key": "c2"})
    assert page.status_code == 422 and "请扫码或输入健康码短码" in page.text


def test_a_forged_token_from_the_camera_is_refused(world, own, guard, login):
    page = login(guard).post(
        reverse("enterprises:gate"), {"token": "e:1:forged", "idempotency_key": "c3"}
    )
    assert page.status_code == 422 and "健康码无效或已作废" in page.text


def test_a_scan_costs_few_queries(world, own, guard, login, django_assert_max_num_queries):
    """The gate's hot path: no look-up before the insert, today's gate fevers read with
    the card (session 2, card 1, control's flags 1, entry and audit row 2–4)."""
    employee = employee_make(world, own, name="孙快速")
    client = login(guard)
    body = {"code": employee.code, "temperature": "36.5", "idempotency_key": "q0"}
    client.post("/api/v1/gates/scan", body, content_type="application/json")
    with django_assert_max_num_queries(8):
        body["idempotency_key"] = "q1"
        answer = client.post("/api/v1/gates/scan", body, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["colour"] == "green"


@pytest.mark.parametrize("by", ["code", "pk"])
def test_the_card_read_through_the_fast_paths_is_the_one_the_orm_reads(
    world, own, guard, by, settings
):
    from frontline.enterprises.services import cards

    feverish, calm = (
        employee_make(world, own, name="钱发热"),
        employee_make(world, own, name="孙平"),
    )
    services.gate_scan(
        actor=guard,
        code=feverish.code,
        temperature=Decimal("38.4"),
        idempotency_key="x",
    )
    today = timezone.localdate()
    read = {"code": cards._card_by_code, "pk": cards._card_by_pk}[by]

    def seen(employee) -> list[tuple]:
        return [
            (
                e.pk,
                e.resident_id,
                e.card_version,
                e.card_revoked,
                e.from_affected_area,
                e.return_date,
                e.fever_at_gate,
                e.resident.name,
                e.enterprise.node.path,
            )
            for e in read(getattr(employee, by), today)
        ]

    answers = {}
    for fast in (True, False):
        settings.FAST_PATHS = fast
        answers[fast] = [seen(feverish), seen(calm), read("ZZZZZZZZ" if by == "code" else 0, today)]
    assert answers[True] == answers[False]
    assert answers[True][0][0][6] is True and answers[True][1][0][6] is False
    assert answers[True][2] == []


def test_a_replayed_scan_answers_the_first_entry_in_few_queries(
    world, own, guard, login, django_assert_max_num_queries
):
    """Session 2, card 1, control's flags 1, the refused insert 1 (with its savepoint 3 in a
    test's transaction) and the first entry with what its answer shows 1."""
    employee = employee_make(world, own, name="周重放")
    client = login(guard)
    body = {"code": employee.code, "temperature": "36.6", "idempotency_key": "r1"}
    first = client.post("/api/v1/gates/scan", body, content_type="application/json")
    with django_assert_max_num_queries(9):
        again = client.post("/api/v1/gates/scan", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["entry_id"] == first.json()["entry_id"]
    assert again.json()["name"] == first.json()["name"] == "周*放"
    assert again.json()["colour"] == "green" and again.json()["enterprise"] == own.node.name
