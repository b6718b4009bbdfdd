"""A screening visit: its checklist, findings and persons found; refused outside scope."""

import json
import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from frontline.control.models import Referral
from frontline.core.models import AuditEvent
from frontline.screening.models import ScreeningRecord
from frontline.screening.tests.factories import checklist_make


def _form(items, **data) -> dict:
    base = {
        "day": timezone.localdate().isoformat(),
        "findings": "",
        "idempotency_key": "r-1",
        "person-TOTAL_FORMS": "2",
        "person-INITIAL_FORMS": "0",
        "person-MIN_NUM_FORMS": "0",
        "person-MAX_NUM_FORMS": "20",
    }
    base.update({f"check_{item.pk}": "on" for item in items})
    base.update(data)
    return base


def _url(unit) -> str:
    return reverse("screening:record_create") + f"?unit={unit.pk}"


def test_the_form_shows_the_towns_checklist(world, login):
    checklist_make(world.town, "出入口管控", "进门测温")
    page = login(world.cadre_sandian).get(_url(world.sandian)).content.decode()
    assert "出入口管控" in page and "进门测温" in page


def test_a_record_keeps_checks_findings_and_hands_over_persons(world, login):
    items = checklist_make(world.town, "出入口管控", "进门测温")
    client = login(world.cadre_sandian)
    data = _form(
        items[:1],
        findings="测温枪没电",
        **{"person-0-name": "王某", "person-0-origin": "武汉", "person-0-temperature": "３７．５"},
    )
    response = client.post(_url(world.sandian), data)
    record = ScreeningRecord.objects.get()
    assert response.status_code == 302
    assert [(c["label"], c["ok"]) for c in record.checks] == [
        ("出入口管控", True),
        ("进门测温", False),
    ]
    assert record.failed_checks == ["进门测温"] and record.findings == "测温枪没电"
    referral = Referral.objects.get()
    assert (referral.source_kind, referral.source_id) == ("screening", record.pk)
    assert referral.node == world.sandian
    assert str(referral.temperature) == "37.5" and referral.status == "pending"
    event = AuditEvent.objects.get(action="screening.record.create")
    assert "测温枪没电" not in json.dumps(event.fields)


def test_submitting_twice_stores_one_record_and_one_referral(world, login):
    client = login(world.cadre_sandian)
    data = _form([], **{"person-0-name": "王某", "person-0-reason": "返乡"})
    client.post(_url(world.sandian), data)
    client.post(_url(world.sandian), data)
    assert ScreeningRecord.objects.count() == 1 and Referral.objects.count() == 1


def test_a_unit_outside_the_users_scope_is_refused(world, login):
    client = login(world.cadre_sandian)
    assert client.get(_url(world.zhengyuan)).status_code == 404
    assert client.post(_url(world.zhengyuan), _form([])).status_code == 404
    api = client.post(
        reverse("api:screening_record_create"),
        json.dumps({"unit_id": world.zhengyuan.pk}),
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not ScreeningRecord.objects.exists()


def test_a_future_date_is_refused_in_chinese(world, login):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = login(world.cadre_sandian).post(_url(world.sandian), _form([], day=tomorrow))
    assert response.status_code == 422
    assert "不能晚于今天" in response.content.decode()


def test_a_person_without_a_name_is_explained(world, login):
    response = login(world.cadre_sandian).post(
        _url(world.sandian), _form([], **{"person-0-temperature": "38.2"})
    )
    assert response.status_code == 422
    assert "请填写需管控人员的姓名" in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_an_implausible_temperature_is_refused(world, login):
    response = login(world.cadre_sandian).post(
        _url(world.sandian), _form([], **{"person-0-name": "王某", "person-0-temperature": "45"})
    )
    assert response.status_code == 422 and "不合理" in response.content.decode()


def test_the_api_records_a_visit_once_per_key(world, login):
    items = checklist_make(world.town, "出入口管控")
    client = login(world.cadre_sandian)
    payload = {
        "unit_id": world.sandian.pk,
        "checks": {str(items[0].pk): True},
        "findings": "正常",
        "persons": [{"name": "李某", "temperature": "37.9℃", "reason": "发热"}],
        "idempotency_key": "api-1",
    }
    url = reverse("api:screening_record_create")
    first = client.post(url, json.dumps(payload), content_type="application/json")
    second = client.post(url, json.dumps(payload), content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["checks"][0]["ok"] is True and len(first.json()["referral_ids"]) == 1
    referrals = client.get(reverse("api:screening_referrals")).json()["items"]
    assert [r["source"] for r in referrals] == ["screening"]


def test_the_unit_picker_puts_todays_unscreened_first(world, login):
    client = login(world.town_leader)
    client.post(_url(world.sandian), _form([]))
    page = client.get(reverse("screening:record_create")).content.decode()
    names = re.findall(r'<span class="flex-grow-1">([^<]+)</span>', page)
    assert names[-1] == "三店村"


def test_the_town_configures_checklists_and_assignments(world, login):
    client = login(world.town_leader)
    client.post(reverse("screening:checklist"), {"node": world.town.pk, "label": "消毒记录"})
    client.post(
        reverse("screening:assignments"),
        {"node": world.enterprise_grid.pk, "assignee": world.cadre_sandian.pk},
    )
    page = client.get(reverse("screening:assignments")).content.decode()
    assert "企业第一网格" in page and "cadre_sandian" in page
    form = login(world.cadre_sandian).get(_url(world.sandian)).content.decode()
    assert "消毒记录" in form


def test_a_retired_checklist_item_leaves_old_records_alone(world, login):
    items = checklist_make(world.town, "出入口管控", "旧检查项")
    client = login(world.cadre_sandian)
    client.post(_url(world.sandian), _form(items))
    login(world.town_leader).post(reverse("screening:checklist_toggle", args=[items[1].pk]))
    form = login(world.cadre_sandian).get(_url(world.sandian)).content.decode()
    assert "旧检查项" not in form
    assert [c["label"] for c in ScreeningRecord.objects.get().checks] == ["出入口管控", "旧检查项"]


def test_a_cadre_cannot_configure(world, login):
    assert login(world.cadre_sandian).get(reverse("screening:checklist")).status_code == 404
    assert login(world.cadre_sandian).get(reverse("screening:assignments")).status_code == 404


def test_reading_referrals_is_audited(world, login):
    client = login(world.cadre_sandian)
    client.post(_url(world.sandian), _form([], **{"person-0-name": "王某"}))
    assert "王某" in client.get(reverse("screening:referrals")).content.decode()
    event = AuditEvent.objects.get(action="screening.referral.list")
    assert event.node == world.sandian and event.actor == world.cadre_sandian


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 200


def test_a_site_photo_is_kept_and_shown_only_within_scope(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.cadre_sandian)
    photo = SimpleUploadedFile("张三家门口.jpg", JPEG, content_type="image/jpeg")
    client.post(_url(world.sandian), {**_form([]), "photo": photo})
    record = ScreeningRecord.objects.get()
    # The uploaded name may carry personal details: stored under a random name.
    assert "张三" not in record.photo.name and record.photo.name.endswith(".jpg")
    detail = client.get(reverse("screening:record_detail", args=[record.pk])).content.decode()
    assert reverse("screening:record_photo", args=[record.pk]) in detail
    served = client.get(reverse("screening:record_photo", args=[record.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == JPEG


def test_a_file_that_is_not_a_photo_is_refused_in_chinese(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = login(world.cadre_sandian).post(_url(world.sandian), {**_form([]), "photo": fake})
    assert response.status_code == 422
    assert "只能是 JPG、PNG 或 WebP" in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_a_phone_number_in_the_findings_is_refused(world, login):
    response = login(world.cadre_sandian).post(
        _url(world.sandian), _form([], findings="联系人 13800138000")
    )
    assert response.status_code == 422 and "手机号" in response.content.decode()
    assert not ScreeningRecord.objects.exists()


def test_the_idempotency_key_has_one_unique_index_and_no_pattern_index(world):
    table = ScreeningRecord._meta.db_table
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    on_key = {n: i for n, i in found.items() if "idempotency_key" in (i["columns"] or [])}
    # PostgreSQL would add a varchar_pattern_ops twin for unique=True that an exact key
    # never uses and every record would maintain (migration screening 0002).
    assert len(on_key) == 1 and next(iter(on_key.values()))["unique"], sorted(on_key)
    record = ScreeningRecord.objects.create(
        node=world.sandian,
        day=timezone.localdate(),
        screened_by=world.cadre_sandian,
        idempotency_key="k-1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningRecord.objects.create(
            node=world.sandian,
            day=record.day,
            screened_by=world.cadre_sandian,
            idempotency_key="k-1",
        )
    ScreeningRecord.objects.create(
        node=world.sandian, day=record.day, screened_by=world.cadre_sandian
    )
    ScreeningRecord.objects.create(
        node=world.sandian, day=record.day, screened_by=world.cadre_sandian
    )
    assert ScreeningRecord.objects.filter(idempotency_key__isnull=True).count() == 2


def test_a_key_stored_by_another_request_after_the_first_look_returns_that_record(
    world, monkeypatch
):
    # The race of two phones submitting one visit, made deterministic: the other request
    # commits between this one's look-up and its insert. The database's unique key answers,
    # with the stored record (before the fix, model validation refused it as a duplicate).
    from frontline.screening import services

    checklist_make(world.town, "出入口管控")
    validate = ScreeningRecord.full_clean
    stored = []

    def other_request_commits_first(record, *args, **kwargs):
        if not stored:
            stored.append(
                ScreeningRecord.objects.create(
                    node=record.node,
                    day=record.day,
                    screened_by=record.screened_by,
                    idempotency_key=record.idempotency_key,
                )
            )
        return validate(record, *args, **kwargs)

    monkeypatch.setattr(ScreeningRecord, "full_clean", other_request_commits_first)
    record, created = services.record_create(
        actor=world.cadre_sandian,
        unit=world.sandian,
        day=timezone.localdate(),
        checks={},
        idempotency_key="same-visit",
    )
    assert (record.pk, created) == (stored[0].pk, False)
    assert ScreeningRecord.objects.filter(idempotency_key="same-visit").count() == 1


def _api_record(client, **payload):
    body = {"unit_id": payload.pop("unit").pk, "checks": {}, "idempotency_key": "key-1", **payload}
    url = reverse("api:screening_record_create")
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_same_key_from_another_user_is_their_own_record(world, login):
    first = _api_record(login(world.cadre_sandian), unit=world.sandian, findings="正常")
    second = _api_record(login(world.village_leader_sandian), unit=world.sandian, findings="正常")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_the_same_key_with_another_body_is_409_in_chinese(world, login):
    client = login(world.cadre_sandian)
    assert _api_record(client, unit=world.sandian, findings="正常").status_code == 201
    again = _api_record(client, unit=world.sandian, findings="正常")
    assert again.status_code == 200
    response = _api_record(client, unit=world.sandian, findings="垃圾未清运")
    assert response.status_code == 409 and "请求编号" in response.json()["detail"]
    assert list(ScreeningRecord.objects.values_list("findings", flat=True)) == ["正常"]
