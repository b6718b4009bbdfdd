"""Registering and changing residents: identity rules, uniqueness, masks, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from frontline.core.models import AuditEvent
from frontline.people.models import Household, Resident, Tag
from frontline.people.services import resident_create, resident_unmask, resident_update
from frontline.people.tests.factories import id_number_next, resident_make

ID = "32070719900101123X"


def _fix_check(body: str) -> str:
    from stdnum.cn.ric import calc_check_digit

    return body + calc_check_digit(body + "0")


VALID_ID = _fix_check("32072119900101123")


def test_it_registers_a_resident_with_birth_date_and_gender_from_the_id(world):
    resident, warnings = resident_create(
        actor=world.cadre_sandian,
        name=" 王 芳 ",
        id_number=VALID_ID,
        phone="+86 138-0013-8000",
        node=world.sandian_grid,
    )
    resident.refresh_from_db()
    assert resident.birth_date.isoformat() == "1990-01-01"
    assert resident.gender == ("M" if int(VALID_ID[16]) % 2 else "F")
    assert resident.id_number == VALID_ID
    assert resident.phone == "+8613800138000"
    assert resident.phone_last4 == "8000"
    assert resident.id_number_masked == VALID_ID[:6] + "********" + VALID_ID[-4:]
    assert resident.phone_masked == "138****8000"
    assert warnings == []


def test_the_same_id_in_another_spelling_is_refused_as_a_duplicate(world):
    resident_make(world.sandian, id_number=VALID_ID)
    spaced = "ｘ".join([VALID_ID[:-1], ""]) if VALID_ID.endswith("X") else VALID_ID
    spaced = f"{spaced[:6]} {spaced[6:14]}-{spaced[14:]}\u200b"
    with pytest.raises(ValidationError) as caught:
        resident_create(
            actor=world.cadre_sandian, name="李四", id_number=spaced, node=world.sandian
        )
    assert "已登记" in str(caught.value.message_dict["id_number"])
    assert Resident.objects.count() == 1


def test_a_duplicate_from_another_village_is_named_without_disclosing_the_person(world):
    resident_make(world.zhengyuan, name="郑某", id_number=VALID_ID)
    with pytest.raises(ValidationError) as caught:
        resident_create(
            actor=world.cadre_sandian, name="李四", id_number=VALID_ID, node=world.sandian
        )
    message = caught.value.message_dict["id_number"][0]
    assert "其他辖区" in message and "郑" not in message


def test_a_resident_can_only_live_in_a_village_or_a_village_grid(world):
    with pytest.raises(ValidationError, match="村/社区"):
        resident_create(actor=None, name="李四", id_number=id_number_next(), node=world.town)
    with pytest.raises(ValidationError, match="村/社区"):
        resident_create(
            actor=None, name="李四", id_number=id_number_next(), node=world.enterprise_grid
        )


def test_a_cadre_cannot_register_in_another_village(world):
    with pytest.raises(PermissionDenied):
        resident_create(
            actor=world.cadre_sandian, name="李四", id_number=id_number_next(), node=world.zhengyuan
        )


def test_a_bad_phone_names_the_phone_field(world):
    with pytest.raises(ValidationError) as caught:
        resident_create(
            actor=None, name="李四", id_number=id_number_next(), phone="10086", node=world.sandian
        )
    assert "phone" in caught.value.message_dict


def test_a_household_number_joins_or_creates_the_household_of_the_village(world):
    first = resident_make(world.sandian_grid, household_number="A-01", relation="head")
    second = resident_make(world.sandian, household_number="A-01", relation="spouse")
    assert first.household_id == second.household_id
    assert first.household.node == world.sandian
    assert Household.objects.count() == 1


def test_submitting_the_masked_values_back_changes_nothing(world):
    resident = resident_make(world.sandian, id_number=VALID_ID, phone="13800138000")
    resident_update(
        actor=world.cadre_sandian,
        resident=resident,
        name="张三丰",
        id_number=resident.id_number_masked,
        phone=resident.phone_masked,
    )
    resident.refresh_from_db()
    assert resident.id_number == VALID_ID
    assert resident.phone == "+8613800138000"
    assert resident.name == "张三丰"
    event = AuditEvent.objects.filter(action="people.resident.update").get()
    assert event.fields == ["name"]


def test_an_update_records_field_names_only(world):
    resident = resident_make(world.sandian, phone="13800138000")
    resident_update(actor=world.cadre_sandian, resident=resident, phone="13900139000")
    event = AuditEvent.objects.filter(action="people.resident.update").get()
    assert event.fields == ["phone"]
    assert "13900139000" not in str(event.__dict__)


def test_moving_a_resident_keeps_one_record(world):
    resident = resident_make(world.sandian, household_number="7")
    resident_update(actor=world.admin, resident=resident, node=world.zhengyuan_grid)
    resident.refresh_from_db()
    assert resident.node == world.zhengyuan_grid
    assert Resident.objects.count() == 1
    # The household belongs to the old village: the resident leaves it.
    assert resident.household is None
    assert Household.objects.get().members.count() == 0


def test_tags_are_set_and_audited(world):
    resident = resident_make(world.sandian)
    party = Tag.objects.get(name="党员")
    resident_update(actor=world.cadre_sandian, resident=resident, tags=[party])
    assert list(resident.tags.all()) == [party]
    assert AuditEvent.objects.filter(action="people.resident.update").get().fields == ["tags"]


def test_unmasking_needs_a_reason_and_writes_an_audit_row(world):
    resident = resident_make(world.sandian, id_number=VALID_ID)
    with pytest.raises(ValidationError):
        resident_unmask(actor=world.cadre_sandian, resident=resident, reason=" ")
    shown = resident_unmask(actor=world.cadre_sandian, resident=resident, reason="核对疫苗登记")
    assert shown["id_number"] == VALID_ID
    event = AuditEvent.objects.get(action="people.resident.unmask")
    assert event.reason == "核对疫苗登记"
    assert VALID_ID not in str(event.__dict__)


def test_a_grid_worker_may_not_unmask(world):
    resident = resident_make(world.sandian_grid)
    with pytest.raises(PermissionDenied):
        resident_unmask(actor=world.grid_sandian, resident=resident, reason="想看看")


def test_the_database_never_holds_an_id_number_or_phone_in_the_clear(world):
    resident_make(world.sandian, name="王秀英", id_number=VALID_ID, phone="13800138000")
    needles = [VALID_ID, VALID_ID[6:14] + VALID_ID[14:], "13800138000", "8613800138000"]
    if connection.vendor == "sqlite":
        # The bytes of the database file as it would be copied off the disk.
        connection.ensure_connection()
        content = connection.connection.serialize()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT CAST(r.* AS text) FROM people_resident r")
            content = "\n".join(row[0] for row in cursor.fetchall()).encode()
    assert "王秀英".encode() in content  # the file really holds the resident
    for needle in needles:
        assert needle.encode() not in content


def test_the_demo_zone_has_thousands_of_residents_in_households(db):
    import time

    from django.core.management import call_command

    started = time.monotonic()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    elapsed = time.monotonic() - started
    count = Resident.objects.count()
    assert 2500 <= count <= 6000
    sandian = Resident.objects.filter(node__parent__name="三店村")
    assert sandian.count() >= 400
    assert Household.objects.filter(node__name="三店村").count() >= 100
    assert Resident.objects.filter(tags__name="党员").exists()
    assert Resident.objects.filter(tags__name="孤寡老人").exists()
    assert elapsed < 60  # a guard against a per-row slow path, not a benchmark
