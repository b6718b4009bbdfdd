"""The resident table keeps one resident per ID number with one index, not two: every
roster row maintains each index on the way in."""

import pytest
from django.db import IntegrityError, connection, transaction

from frontline.people.models import Resident, Tag
from frontline.people.tests.factories import resident_make


def _indexes_on(table: str, column: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: info for name, info in found.items() if column in (info["columns"] or [])}


def test_the_id_hash_has_one_unique_index_and_no_pattern_index(db):
    on_hash = _indexes_on(Resident._meta.db_table, "id_hash")
    # PostgreSQL would add a varchar_pattern_ops twin for unique=True: exact hashes never
    # use it, and a 100,000-row roster spent ~0.5 s of its insert maintaining it.
    assert len(on_hash) == 1, sorted(on_hash)
    assert next(iter(on_hash.values()))["unique"]


def test_the_database_refuses_a_second_resident_with_the_same_id_hash(world):
    first = resident_make(world.sandian)
    twin = Resident(
        name="李四",
        id_cipher=first.id_cipher,
        id_hash=first.id_hash,
        gender=first.gender,
        birth_date=first.birth_date,
        node=world.sandian,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.bulk_create([twin])
    assert Resident.objects.filter(id_hash=first.id_hash).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite compares text as bytes")
def test_the_hash_and_phone_tail_columns_compare_as_bytes_on_postgresql(world):
    # A linguistic collation made each comparison in these indexes a strcoll: the
    # 100,000-row roster's COPY spent ~0.4 s more on them. Migration people 0007.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, collation_name FROM information_schema.columns"
            " WHERE table_name = %s AND column_name IN ('id_hash', 'phone_hash', 'phone_last4')",
            [Resident._meta.db_table],
        )
        collations = dict(cursor.fetchall())
    assert collations == {"id_hash": "C", "phone_hash": "C", "phone_last4": "C"}
    stored = resident_make(world.sandian)
    assert Resident.objects.get(id_hash=stored.id_hash) == stored


def test_the_tag_links_keep_the_unique_pair_and_the_tag_index_only(world):
    table = Resident.tags.through._meta.db_table
    by_resident = _indexes_on(table, "resident_id")
    # The unique (resident, tag) index answers "this resident's tags"; Django's implicit link
    # table also kept a resident_id index that every tagged roster row maintained for nothing.
    indexed = [info["columns"] for info in by_resident.values() if info["index"] or info["unique"]]
    assert indexed == [["resident_id", "tag_id"]]
    assert any(info["columns"] == ["tag_id"] for info in _indexes_on(table, "tag_id").values())
    resident = resident_make(world.sandian)
    party = Tag.objects.get(name="党员")
    resident.tags.add(party)
    resident.tags.add(party)  # a second add is no second link
    assert list(Resident.objects.filter(tags=party)) == [resident]
    assert Resident.tags.through.objects.filter(resident=resident).count() == 1
