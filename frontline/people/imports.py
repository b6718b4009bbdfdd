"""The roster (花名册) import: people's importer on core's staged-import pipeline.

The preview checks each row (people/roster.py), then classifies each batch against
the registry with one query (new, updated, unchanged, registered elsewhere) and seals
three sections: households, changed rows, new rows. Commit reads them back in that
order: every household first, the changes with bulk_update, then the new residents
encrypted and written in one stream (COPY on PostgreSQL, executemany on SQLite); one
audit event covers the whole import.
"""

from array import array
from collections.abc import Iterator
from datetime import date
from itertools import chain
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from frontline.core.models import User
from frontline.core.personal_data import (
    encrypt,
    encrypter,
    keyed_hash,
    keyed_hasher,
    phone_last_digits,
)
from frontline.core.spreadsheets import RowError
from frontline.core.staged_import import Importer, ImportUrls, Sections, Sorter
from frontline.core.staged_import.bulk import insert_rows, one_of, reserve_ids
from frontline.core.staged_import.models import StagedImport
from frontline.core.staged_import.pipeline import staged_commit, staged_preview
from frontline.people.models import Household, Resident, Tag
from frontline.people.roster import (
    COLUMNS,
    TEMPLATE_EXAMPLE,
    CheckedRow,
    RowChecker,
    import_places,
    places_require_village,
)

ROSTER_MAX_BYTES = 60 * 1024 * 1024
DUPLICATE_ELSEWHERE = "该身份证号已在其他辖区登记；如已迁入，请联系上级管理员调整所在辖区"
CHANGED_SINCE = "预览之后花名册已有变化（可能有人同时登记了同一人），请重新上传"
_HOUSEHOLDS, _UPDATES, _NEW = "households", "updates", "new"


class RosterImporter(Importer):
    """A village roster: residents with their households and tags, new or changed."""

    key = "people.roster"
    title = "花名册"
    permission = "people.import"
    refusal = "没有导入花名册的权限"
    urls = ImportUrls(
        "people", "import", "import_template", "import_preview", "import_errors", "import_commit"
    )
    done_url = "people:list"
    done_label = "人员花名册"
    columns = COLUMNS
    required = ("name", "id_number")
    example_rows = [TEMPLATE_EXAMPLE]
    max_bytes = ROSTER_MAX_BYTES
    sections = (_HOUSEHOLDS, _UPDATES, _NEW)
    audit_fields = ("name", "id_number", "phone", "address", "node", "household", "tags", "notes")
    export_fields = ("name", "id_number", "phone")
    help_template = "people/_import_help.html"
    changed_since = CHANGED_SINCE
    unit = "人"

    def start(self, mapping: dict[str, int]) -> None:
        places = import_places(self.actor, self.permission)
        places_require_village(mapping, places)
        self.node_ids = places.node_ids
        # The checker's own method stands in for `check`: one call less on every row.
        self.check = RowChecker(mapping, places, {t.name: t for t in Tag.objects.all()}).check

    def classify(self, rows: list[tuple[CheckedRow, list[Any]]], out: Sorter) -> None:
        """Compare a batch with the registry in one query: new, updated, unchanged, elsewhere."""
        existing, tags = _registry_matches([row.id_hash for row, _ in rows])
        counts, warn = out.counts, out.warn
        new, updates = out.writer(_NEW).add, out.writer(_UPDATES).add
        households: set[tuple[int, str]] = set()
        for row, raw in rows:
            if row.warning:
                warn(row.row, "身份证号", row.warning)
            found = existing.get(row.id_hash)
            if found is None:
                counts.new += 1
                new(_row_values(row))
            elif found["node_id"] not in self.node_ids:
                out.bad([RowError(row.row, "身份证号", DUPLICATE_ELSEWHERE)], raw)
                continue
            elif _changes(row, found, tags.get(found["pk"], set())):
                counts.updated += 1
                updates([found["pk"], *_row_values(row)])
            else:
                counts.unchanged += 1
                continue
            if row.household:
                households.add((row.village_id, row.household))
        for key in households:
            out.write(_HOUSEHOLDS, key)

    def commit(self, staged: StagedImport, sections: Sections) -> None:
        """Households first (every row's household known before any resident is written),
        then the changed residents frame by frame, then the new ones in one stream, then
        their tags."""
        node_ids = import_places(self.actor, self.permission).node_ids
        households = _Households(set(map(tuple, sections.rows(_HOUSEHOLDS))))
        for frame in sections.frames(_UPDATES):
            _update_frame(frame, node_ids, households)
        link_residents, link_tags = _insert_new(sections.frames(_NEW), staged.new_count, households)
        # New residents cannot hold a tag yet: no conflict checks (COPY on PostgreSQL).
        insert_rows(
            Resident.tags.through._meta.db_table,
            ("resident_id", "tag_id"),
            zip(link_residents, link_tags, strict=True),
        )

    def nothing_text(self, staged: StagedImport) -> str:
        return f"文件中的 {staged.total_rows} 人都已登记且没有变化，不需要导入。"


def roster_preview(*, actor: User, upload: IO[bytes], filename: str = "") -> StagedImport:
    """Check every row of an uploaded roster and hold the result for confirmation."""
    return staged_preview(importer=RosterImporter, actor=actor, upload=upload, filename=filename)


def roster_commit(*, actor: User, roster: StagedImport) -> StagedImport:
    """Write every row of a clean roster preview in one transaction, or none; one audit event."""
    return staged_commit(importer=RosterImporter, actor=actor, staged=roster)


# ---------------------------------------------------------------- classification


_MATCH_COLUMNS = (
    "pk",
    "id_hash",
    "name",
    "phone_hash",
    "address",
    "node_id",
    "household__number",
    "household__node_id",
    "relation",
    "notes",
)


def _registry_matches(hashes: list[str]) -> tuple[dict[str, dict], dict[int, set[int]]]:
    """Stored residents with these ID hashes (by hash) and their tag ids (by resident).

    Plain SQL: the ORM prepares each of a batch's 2,000 parameters one by one, which
    cost more than the query itself (~0.3 s for a 100,000-row roster).
    """
    # Table names from the models and placeholders only: nothing typed is in the text.
    resident, household = Resident._meta.db_table, Household._meta.db_table
    through = Resident.tags.through._meta.db_table
    sql = (
        "SELECT r.id, r.id_hash, r.name, r.phone_hash, r.address, r.node_id, h.number,"  # noqa: S608
        f" h.node_id, r.relation, r.notes FROM {resident} r"
        f" LEFT JOIN {household} h ON h.id = r.household_id WHERE {{}}"
    )
    tags_sql = f"SELECT resident_id, tag_id FROM {through} WHERE {{}}"  # noqa: S608
    tags: dict[int, set[int]] = {}
    with connection.cursor() as cursor:
        condition, params = one_of("r.id_hash", hashes)
        cursor.execute(sql.format(condition), params)
        existing = {row[1]: dict(zip(_MATCH_COLUMNS, row, strict=True)) for row in cursor}
        if existing:
            condition, params = one_of("resident_id", [r["pk"] for r in existing.values()])
            cursor.execute(tags_sql.format(condition), params)
            for resident_id, tag_id in cursor:
                tags.setdefault(resident_id, set()).add(tag_id)
    return existing, tags


def _row_values(row: CheckedRow) -> list[Any]:
    # The layout _insert_new and _update_frame unpack. Keyed hashes are recomputed at
    # commit: their random hex would double the sealed payload.
    return [
        row.row,
        row.name,
        row.id_value,
        row.gender,
        row.birth,
        row.phone,
        row.node_id,
        row.village_id,
        row.household,
        row.relation,
        row.address,
        row.tag_ids,
        row.notes,
    ]


def _changes(row: CheckedRow, found: dict, tag_ids: set[int]) -> bool:
    """Whether a row would change a resident. Blank cells never clear what is stored."""
    household_moved = found["household__node_id"] not in (None, row.village_id)
    return (
        row.name != found["name"]
        or row.node_id != found["node_id"]
        or (row.phone and keyed_hash(row.phone) != found["phone_hash"])
        or (row.address and row.address != found["address"])
        or (row.household and row.household != found["household__number"])
        or (household_moved and not row.household)
        or (row.relation and row.relation != found["relation"])
        or (row.notes and row.notes != found["notes"])
        or bool(set(row.tag_ids) - tag_ids)
    )


# ---------------------------------------------------------------- commit


class _Households:
    """Household ids by (village, number): the touched villages' are read once, and the
    missing ones inserted together, before any resident is written."""

    def __init__(self, keys: set[tuple[int, str]]) -> None:
        self.ids: dict[tuple[int, str], int] = {}
        villages = {village_id for village_id, _ in keys}
        for pk, node_id, number in Household.objects.filter(node_id__in=villages).values_list(
            "pk", "node_id", "number"
        ):
            self.ids[(node_id, number)] = pk
        missing = sorted(k for k in keys if k not in self.ids)
        if not missing:
            return
        table = Household._meta.db_table
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        pks = list(chain.from_iterable(reserve_ids(table, len(missing))))
        insert_rows(
            table,
            ("id", "node_id", "number", "address", "created_at"),
            (
                (pk, node_id, number, "", now)
                for pk, (node_id, number) in zip(pks, missing, strict=True)
            ),
        )
        self.ids.update(zip(missing, pks, strict=True))

    def get(self, village_id: int, number: str) -> int | None:
        return self.ids[(village_id, number)] if number else None


_INSERT_COLUMNS = (
    "id",
    "name",
    "id_cipher",
    "id_hash",
    "phone_cipher",
    "phone_hash",
    "phone_last4",
    "gender",
    "birth_date",
    "address",
    "node_id",
    "household_id",
    "relation",
    "notes",
    "created_at",
    "updated_at",
)


def _insert_new(
    frames: Iterator[list[list[Any]]], count: int, households: _Households
) -> tuple[array, array]:
    """Insert the new residents in one statement (COPY on PostgreSQL, executemany on
    SQLite) fed row by row, so the database indexes one row while the next is being
    encrypted; returns their tag links as (resident ids, tag ids).

    The ORM's per-field preparation of 100,000 model instances costs more than the
    database's own work, and one COPY for the whole roster (not one per frame) keeps
    PostgreSQL busy while Python encrypts.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    pks = chain.from_iterable(reserve_ids(Resident._meta.db_table, count))
    link_residents, link_tags = array("q"), array("q")
    encrypt_one, hash_one = encrypter(), keyed_hasher()  # the keys read once, not per value
    # The preview holds birth dates as ISO text, which SQLite stores as it is; PostgreSQL's
    # binary COPY takes a date.
    as_date = date.fromisoformat if connection.vendor == "postgresql" else str

    def values() -> Iterator[tuple]:
        rows = (row for frame in frames for row in frame)
        for pk, row in zip(pks, rows, strict=True):
            (_n, name, id_value, gender, birth, phone, node_id, village_id, household) = row[:9]
            relation, address, tag_ids, notes = row[9:]
            for tag_id in tag_ids:
                link_residents.append(pk)
                link_tags.append(tag_id)
            yield (
                pk,
                name,
                encrypt_one(id_value),
                hash_one(id_value),
                encrypt_one(phone) if phone else "",
                hash_one(phone) if phone else "",
                phone_last_digits(phone) if phone else "",
                gender,
                as_date(birth),
                address,
                node_id,
                households.get(village_id, household),
                relation,
                notes,
                now,
                now,
            )

    insert_rows(Resident._meta.db_table, _INSERT_COLUMNS, values())
    return link_residents, link_tags


def _update_frame(frame: list[list[Any]], node_ids: set[int], households: _Households) -> None:
    """Apply a frame of changed rows (row layout: resident id, then _row_values)."""
    updates = {row[0]: row[1:] for row in frame}
    current = {
        r.pk: r
        for r in Resident.objects.filter(pk__in=list(updates), node_id__in=node_ids).select_related(
            "household"
        )
    }
    if len(current) != len(updates):
        raise ValidationError(CHANGED_SINCE)
    links = []
    for pk, row in updates.items():
        resident = current[pk]
        (_n, name, id_value, _g, _b, phone, node_id, village_id, household, *rest) = row
        relation, address, tag_ids, notes = rest
        id_hash = keyed_hash(id_value)
        phone_hash = keyed_hash(phone) if phone else ""
        if resident.id_hash != id_hash:
            raise ValidationError(CHANGED_SINCE)
        resident.name = name
        resident.node_id = node_id
        if phone and phone_hash != resident.phone_hash:
            resident.phone_cipher = encrypt(phone)
            resident.phone_hash = phone_hash
            resident.phone_last4 = phone_last_digits(phone)
        resident.address = address or resident.address
        resident.relation = relation or resident.relation
        resident.notes = notes or resident.notes
        if household:
            resident.household_id = households.get(village_id, household)
        elif resident.household_id and resident.household.node_id != village_id:
            resident.household_id = None
        resident.updated_at = timezone.now()
        links.extend((pk, tag_id) for tag_id in tag_ids)
    Resident.objects.bulk_update(
        current.values(),
        [
            "name",
            "node",
            "phone_cipher",
            "phone_hash",
            "phone_last4",
            "address",
            "relation",
            "notes",
            "household",
            "updated_at",
        ],
        batch_size=500,
    )
    through = Resident.tags.through._meta.db_table
    insert_rows(through, ("resident_id", "tag_id"), links, ignore_conflicts=True)
