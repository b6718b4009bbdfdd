"""A person met at a barrier without papers: accepted by name and phone or plate, the ID
number added later — the resident completes, or merges onto the one who has that ID."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontline.control import services
from frontline.control.models import KeyPerson
from frontline.control.public import ReferralSource, referral_open
from frontline.core.models import AuditEvent
from frontline.people.models import Resident
from frontline.people.tests.factories import id_number_next, resident_make


@pytest.fixture
def referral(world):
    return referral_open(
        actor=world.volunteer_sandian,
        node=world.sandian,
        source_kind=ReferralSource.CHECKPOINT,
        source_id=7,
        source_place="三店村北卡口",
        name="姓名待补（苏G12345）",
        reason="卡口测温发热",
        origin="湖北省武汉市",
        temperature=Decimal("37.8"),
    )


def _accept(client, referral, category, **data):
    body = {"no_papers": "1", "name": "李四", "phone": "", "plate": "", **data}
    return client.post(
        reverse("control:referral_accept", args=[referral.pk]), {"category": category.pk, **body}
    )


def test_a_referral_is_accepted_with_name_and_plate_only(world, referral, category, login):
    client = login(world.cadre_sandian)
    page = client.get(reverse("control:referral_accept", args=[referral.pk])).content.decode()
    assert "没有身份证号？先接收" in page and "请先新增居民" not in page
    response = _accept(client, referral, category, plate="苏G12345")
    person = KeyPerson.objects.get()
    assert response.status_code == 302
    assert person.resident.name == "李四" and not person.resident.has_id_number
    assert person.origin == "湖北省武汉市" and "苏G12345" in person.resident.notes
    detail = client.get(response["Location"]).content.decode()
    assert "身份证号待补" in detail and "补录身份证号" in detail


def test_without_phone_or_plate_the_person_cannot_be_found_again(world, referral, category, login):
    response = _accept(login(world.cadre_sandian), referral, category)
    assert response.status_code == 422
    assert "请至少填写手机号或车牌" in response.content.decode()
    assert not KeyPerson.objects.exists()


def _unidentified_person(world, referral, category) -> KeyPerson:
    return services.key_person_from_referral(
        actor=world.cadre_sandian,
        referral=referral,
        category=category,
        name="李四",
        phone="13800138000",
    )


def test_a_new_id_number_completes_the_resident(world, referral, category, login):
    person = _unidentified_person(world, referral, category)
    number = id_number_next()
    response = login(world.cadre_sandian).post(
        reverse("control:key_person_identify", args=[person.pk]), {"id_number": number}
    )
    assert response.status_code == 302 and number not in response["Location"]
    person.refresh_from_db()
    resident = person.resident
    assert resident.id_number == number and resident.birth_date is not None
    assert Resident.objects.count() == 1
    assert AuditEvent.objects.filter(action="control.key_person.identify").count() == 1


def test_an_id_number_already_registered_merges_onto_that_resident(world, referral, category):
    registered = resident_make(world.sandian_grid, name="李四")
    person = _unidentified_person(world, referral, category)
    provisional = person.resident
    services.key_person_identify(
        actor=world.cadre_sandian, key_person=person, id_number=registered.id_number
    )
    person.refresh_from_db()
    assert person.resident == registered
    assert not Resident.objects.filter(pk=provisional.pk).exists()
    assert Resident.objects.filter(name="李四").count() == 1
    merged = AuditEvent.objects.get(action="people.resident.merge")
    assert merged.object_id == str(registered.pk) and registered.id_number not in merged.reason
    assert "并入" in person.timeline.first().text


def test_a_merge_onto_someone_already_under_control_is_refused(world, referral, category):
    registered = resident_make(world.sandian_grid, name="李四")
    services.key_person_register(actor=world.cadre_sandian, resident=registered, category=category)
    person = _unidentified_person(world, referral, category)
    with pytest.raises(ValidationError, match="已在管控中"):
        services.key_person_identify(
            actor=world.cadre_sandian, key_person=person, id_number=registered.id_number
        )
    assert Resident.objects.filter(name="李四").count() == 2


def test_a_cadre_of_another_village_cannot_add_the_id(world, referral, category, login):
    person = _unidentified_person(world, referral, category)
    response = login(world.cadre_zhengyuan).post(
        reverse("control:key_person_identify", args=[person.pk]), {"id_number": id_number_next()}
    )
    assert response.status_code == 404
    person.resident.refresh_from_db()
    assert not person.resident.has_id_number


def test_the_unidentified_resident_shows_in_the_roster_without_breaking_it(
    world, referral, category, login
):
    person = _unidentified_person(world, referral, category)
    client = login(world.cadre_sandian)
    page = client.get(reverse("people:list"))
    assert page.status_code == 200 and "李四" in page.content.decode()
    detail = client.get(reverse("people:detail", args=[person.resident_id]))
    assert detail.status_code == 200 and "待补" in detail.content.decode()
    assert client.post(reverse("people:export")).status_code == 200
    api = client.get(reverse("api:people_detail", args=[person.resident_id]))
    assert api.status_code == 200 and api.json()["age"] is None


def test_a_village_leader_is_told_who_can_accept_without_papers(world, referral, category):
    with pytest.raises(ValidationError, match="请村干部或网格员接收"):
        services.key_person_from_referral(
            actor=world.village_leader_sandian,
            referral=referral,
            category=category,
            name="李四",
            phone="13800138000",
        )
    assert not KeyPerson.objects.exists()


def test_a_village_leader_is_told_who_can_add_the_id(world, referral, category, login):
    person = _unidentified_person(world, referral, category)
    client = login(world.village_leader_sandian)
    response = client.post(
        reverse("control:key_person_identify", args=[person.pk]), {"id_number": id_number_next()}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "请村干部或网格员补录" in page
