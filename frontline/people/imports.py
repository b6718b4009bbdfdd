"""Roster import services: check an upload into a preview held server-side, then commit it
in one transaction, or nothing.

The preview streams the sheet in batches: each batch is checked, classified
against the registry (new, updated, unchanged) with one query, and appended to
a sealed payload (JSON, zlib, AES-GCM frames). Commit reads the frames back,
encrypts the ID numbers and phones, and writes with bulk_create / bulk_update;
one audit event covers the whole import.
"""

import json
import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import Node, NodeKind, User
from frontline.core.personal_data import (
    decrypt_bytes,
    encrypt,
    encrypt_bytes,
    keyed_hash,
    phone_last_digits,
)
from frontline.core.scoping import nodes_visible, scope_paths, user_can
from frontline.core.spreadsheets import (
    RowError,
    UploadRejected,
    cell_text,
    header_find,
    upload_open,
)
from frontline.people.models import Household, ImportStatus, Resident, RosterImport, Tag
from frontline.people.roster import (
    COLUMN_LABELS,
    COLUMNS,
    CheckedRow,
    RowChecker,
    data_rows,
    places_for,
)

BATCH = 2000
ERRORS_SHOWN = 1000  # row errors kept for the page and API; the workbook has them all
ERROR_ROWS_KEPT = 100_000
ROSTER_MAX_BYTES = 60 * 1024 * 1024
DUPLICATE_ELSEWHERE = "该身份证号已在其他辖区登记；如已迁入，请联系上级管理员调整所在辖区"
CHANGED_SINCE = "预览之后花名册已有变化（可能有人同时登记了同一人），请重新上传"


# ---------------------------------------------------------------- sealed frames


class SealedWriter:
    """Frames of JSON rows, each compressed and sealed with the field key."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.pending: list[Any] = []

    def add(self, item: Any) -> None:
        self.pending.append(item)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        raw = json.dumps(self.pending, ensure_ascii=False, separators=(",", ":")).encode()
        sealed = encrypt_bytes(zlib.compress(raw, 1))
        self.buffer += struct.pack(">I", len(sealed)) + sealed
        self.pending = []

    def close(self) -> bytearray:
        self.flush()
        return self.buffer  # no copy: a million-row preview seals to ~100 MB


def sealed_frames(data: bytes | bytearray | memoryview) -> Iterator[list[Any]]:
    """The frames of a SealedWriter, one decrypted list at a time."""
    view = memoryview(data)
    offset = 0
    while offset < len(view):
        (size,) = struct.unpack_from(">I", view, offset)
        offset += 4
        yield json.loads(zlib.decompress(decrypt_bytes(bytes(view[offset : offset + size]))))
        offset += size


# ---------------------------------------------------------------- preview


@dataclass
class _Counts:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0
    warnings: int = 0
    errors: list[dict] = field(default_factory=list)
    warning_list: list[dict] = field(default_factory=list)


def import_scope(
    actor: User, permission: str = "people.import", refusal: str = "没有导入花名册的权限"
) -> tuple[list[Node], Node]:
    """The villages and grids the actor may import into, and the node the import belongs to."""
    if not user_can(actor, permission):
        raise PermissionDenied(refusal)
    nodes = list(
        nodes_visible(actor, permission)
        .filter(is_active=True, kind__in=[NodeKind.VILLAGE, NodeKind.GRID])
        .order_by("path")
    )
    top = Node.objects.filter(path__in=scope_paths(actor, permission)).order_by("path")[0]
    return nodes, top


def _row_error_json(error: RowError) -> dict:
    return {"row": error.row, "column": error.column, "message": error.message}


class _Preview:
    """One preview pass: check, classify, seal."""

    def __init__(self, actor: User, import_nodes: list[Node]):
        self.actor = actor
        self.node_ids = {n.pk for n in import_nodes}
        self.counts = _Counts()
        self.rows = SealedWriter()
        self.bad_rows = SealedWriter()
        self.batch: list[tuple[CheckedRow, list[Any]]] = []

    def bad(self, errors: list[RowError], raw: list[Any]) -> None:
        self.counts.bad += 1
        for error in errors:
            if len(self.counts.errors) < ERRORS_SHOWN:
                self.counts.errors.append(_row_error_json(error))
        if self.counts.bad <= ERROR_ROWS_KEPT:
            reasons = "；".join(f"{e.column}：{e.message}" for e in errors)
            self.bad_rows.add([errors[0].row, reasons, [cell_text(c) for c in raw]])

    def good(self, row: CheckedRow, raw: list[Any]) -> None:
        if row.warning:
            self.counts.warnings += 1
            if len(self.counts.warning_list) < ERRORS_SHOWN:
                self.counts.warning_list.append(
                    {"row": row.row, "column": "身份证号", "message": row.warning}
                )
        self.batch.append((row, raw))
        if len(self.batch) >= BATCH:
            self.classify()

    def classify(self) -> None:
        """Compare a batch with the registry in one query: new, updated, unchanged, elsewhere."""
        if not self.batch:
            return
        hashes = [row.id_hash for row, _ in self.batch]
        existing = {
            r["id_hash"]: r
            for r in Resident.objects.filter(id_hash__in=hashes).values(
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
        }
        tags: dict[int, set[int]] = {}
        if existing:
            through = Resident.tags.through.objects.filter(
                resident_id__in=[r["pk"] for r in existing.values()]
            )
            for resident_id, tag_id in through.values_list("resident_id", "tag_id"):
                tags.setdefault(resident_id, set()).add(tag_id)
        for row, raw in self.batch:
            found = existing.get(row.id_hash)
            if found is None:
                self.counts.new += 1
                self.rows.add(["n", None, *_row_values(row)])
            elif found["node_id"] not in self.node_ids:
                self.bad([RowError(row.row, "身份证号", DUPLICATE_ELSEWHERE)], raw)
            elif _changes(row, found, tags.get(found["pk"], set())):
                self.counts.updated += 1
                self.rows.add(["u", found["pk"], *_row_values(row)])
            else:
                self.counts.unchanged += 1
        self.counts.total += len(self.batch)
        self.batch = []


def _row_values(row: CheckedRow) -> list[Any]:
    return [
        row.row,
        row.name,
        row.id_value,
        "",  # keyed hashes are recomputed at commit: random hex would double the payload
        row.gender,
        row.birth,
        row.phone,
        "",
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


def roster_preview(*, actor: User, upload: IO[bytes], filename: str = "") -> RosterImport:
    """Check every row of an uploaded roster and hold the result for confirmation."""
    import_nodes, scope_node = import_scope(actor)
    sheet = upload_open(upload, max_bytes=ROSTER_MAX_BYTES)
    mapping, header_row, missing = header_find(sheet.rows, COLUMNS, required=["name", "id_number"])
    if missing:
        names = "、".join(COLUMN_LABELS[m] for m in missing)
        raise UploadRejected(
            f"找不到必需的列：{names}。请使用下载的模板，或把表头改成模板中的列名。"
        )
    all_names = set(
        Node.objects.filter(kind=NodeKind.VILLAGE).values_list("name", flat=True).distinct()
    )
    places = places_for(import_nodes, all_names)
    if "village" not in mapping and places.default_village is None:
        raise UploadRejected("找不到“村/社区”列：您管辖多个村，请在每一行写明所在村/社区。")
    checker = RowChecker(mapping, places, {t.name: t for t in Tag.objects.all()})
    preview = _Preview(actor, import_nodes)
    for number, raw in data_rows(sheet.rows, header_row):
        result = checker.check(number, raw)
        if result is None:
            continue
        if isinstance(result, list):
            preview.counts.total += 1
            preview.bad(result, raw)
        else:
            preview.good(result, raw)
    preview.classify()
    counts = preview.counts
    width = max(mapping.values()) + 1
    headers = [""] * width
    for key, index in mapping.items():
        headers[index] = COLUMN_LABELS[key]
    error_payload = b""
    if counts.bad:
        preview.bad_rows.pending.insert(0, ["header", "", headers])
        error_payload = preview.bad_rows.close()
    counts.errors.sort(key=lambda e: e["row"])
    roster = RosterImport(
        node=scope_node,
        created_by=actor,
        filename=filename[:200],
        total_rows=counts.total,
        new_count=counts.new,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        bad_count=counts.bad,
        warning_count=counts.warnings,
        errors=counts.errors,
        warnings=counts.warning_list,
        payload=b"" if counts.bad else preview.rows.close(),
        error_payload=error_payload,
    )
    # One pending preview per uploader: an abandoned one holds a sealed roster for nothing.
    RosterImport.objects.filter(created_by=actor, status=ImportStatus.PREVIEW).delete()
    roster.save()
    return roster


def error_rows(roster: RosterImport) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows of the error workbook: row number, reasons, then the original cells."""
    frames = sealed_frames(bytes(roster.error_payload))
    items: Iterable[list[Any]] = (item for frame in frames for item in frame)
    iterator = iter(items)
    first = next(iterator, None)
    headers = ["行号", "错误原因", *(first[2] if first and first[0] == "header" else [])]
    rows = ([number, reasons, *cells] for number, reasons, cells in iterator)
    return headers, (sorted(rows, key=lambda r: r[0]) if roster.bad_count < 50_000 else rows)


# ---------------------------------------------------------------- commit


def _reserve_ids(table: str, count: int) -> list[int]:
    """Primary keys for `count` rows about to be inserted into `table` in this transaction.

    Knowing the ids up front spares a query to find the rows again (to link their tags,
    or to hand a new household to its members). PostgreSQL draws them from the
    column's sequence; SQLite's write lock, held from BEGIN (IMMEDIATE), keeps anyone
    else from inserting between this read and the insert, and AUTOINCREMENT's counter
    moves past the explicit ids by itself.
    """
    if count == 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # AUTOINCREMENT's counter is never below the largest id the table has held.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
    last = found[0] if found else 0
    return list(range(last + 1, last + 1 + count))


class _Households:
    """Household ids by (village, number): each village's are read once, new ones inserted."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int, str], int] = {}
        self.villages_read: set[int] = set()

    def get(self, village_id: int, number: str) -> int | None:
        return self.ids.get((village_id, number)) if number else None

    def ensure(self, keys: set[tuple[int, str]]) -> None:
        """Make sure every (village, number) of a frame has a household."""
        unread = {village_id for village_id, _ in keys} - self.villages_read
        if unread:
            for pk, node_id, number in Household.objects.filter(node_id__in=unread).values_list(
                "pk", "node_id", "number"
            ):
                self.ids[(node_id, number)] = pk
            self.villages_read |= unread
        missing = sorted(k for k in keys if k[1] and k not in self.ids)
        if not missing:
            return
        table = Household._meta.db_table
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        pks = _reserve_ids(table, len(missing))
        _insert_rows(
            table,
            ("id", "node_id", "number", "address", "created_at"),
            [
                (pk, node_id, number, "", now)
                for pk, (node_id, number) in zip(pks, missing, strict=True)
            ],
        )
        self.ids.update(zip(missing, pks, strict=True))


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


def _insert_new(rows: list[list[Any]], households: _Households) -> list[int]:
    """Insert new residents with one executemany (COPY on PostgreSQL), returning their ids:
    the ORM's per-field preparation of 100,000 model instances costs more than the
    database's own work."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    pks = _reserve_ids(Resident._meta.db_table, len(rows))
    values = []
    for pk, row in zip(pks, rows, strict=True):
        (_k, _p, _n, name, id_value, _h, gender, birth, phone, _ph, node_id) = row[:11]
        village_id, household, relation, address, _tags, notes = row[11:]
        values.append(
            (
                pk,
                name,
                encrypt(id_value),
                keyed_hash(id_value),
                encrypt(phone) if phone else "",
                keyed_hash(phone) if phone else "",
                phone_last_digits(phone) if phone else "",
                gender,
                ops.adapt_datefield_value(date.fromisoformat(birth)),
                address,
                node_id,
                households.get(village_id, household),
                relation,
                notes,
                now,
                now,
            )
        )
    _insert_rows(Resident._meta.db_table, _INSERT_COLUMNS, values)
    return pks


def _insert_rows(
    table: str, columns: tuple[str, ...], values: list[tuple], *, ignore_conflicts: bool = False
) -> None:
    """One executemany INSERT (rows already checked); conflicts skipped when asked."""
    if not values:
        return
    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "{insert} {table} ({columns}) VALUES ({marks}) {suffix}".format(
        insert=ops.insert_statement(on_conflict=on_conflict),
        table=ops.quote_name(table),
        columns=", ".join(columns),
        marks=", ".join(["%s"] * len(columns)),
        suffix=ops.on_conflict_suffix_sql([], on_conflict, None, None),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            # COPY: PostgreSQL's bulk path, several times faster than a pipelined executemany.
            copy_sql = "COPY {table} ({columns}) FROM STDIN".format(
                table=ops.quote_name(table), columns=", ".join(columns)
            )
            # The driver's cursor is used directly: Django's error wrapping is restored here,
            # so a duplicate ID raises IntegrityError as it does on SQLite.
            with connection.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)


def _commit_frame(frame: list[list[Any]], node_ids: set[int], households: _Households) -> None:
    # Row layout: kind, pk, row, name, id, "", gender, birth, phone, "",
    # node_id, village_id, household, relation, address, tag_ids, notes.
    households.ensure({(r[11], r[12]) for r in frame if r[12]})
    through = Resident.tags.through
    new_rows = [r for r in frame if r[0] == "n"]
    new_pks = _insert_new(new_rows, households)
    links = [(pk, tag_id) for pk, row in zip(new_pks, new_rows, strict=True) for tag_id in row[15]]
    # New residents cannot hold a tag yet: their links go in without conflict checks (COPY).
    _insert_rows(through._meta.db_table, ("resident_id", "tag_id"), links)
    links = []

    updates = {r[1]: r for r in frame if r[0] == "u"}
    if updates:
        current = {
            r.pk: r
            for r in Resident.objects.filter(
                pk__in=list(updates), node_id__in=node_ids
            ).select_related("household")
        }
        if len(current) != len(updates):
            raise ValidationError(CHANGED_SINCE)
        for pk, row in updates.items():
            resident = current[pk]
            (_k, _p, _n, name, id_value, _h, _g, _b, phone, _ph, node_id, *rest) = row
            id_hash = keyed_hash(id_value)
            phone_hash = keyed_hash(phone) if phone else ""
            village_id, household, relation, address, tag_ids, notes = rest
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
    _insert_rows(through._meta.db_table, ("resident_id", "tag_id"), links, ignore_conflicts=True)


def roster_commit(*, actor: User, roster: RosterImport) -> RosterImport:
    """Write every row of a clean preview in one transaction, or none; one audit event."""
    if roster.created_by_id != actor.pk or not user_can(actor, "people.import", roster.node):
        raise PermissionDenied("只能确认自己上传的花名册")
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=roster.pk)
            if locked.status != ImportStatus.PREVIEW:
                raise ValidationError("这份花名册已经导入过了")
            if locked.bad_count:
                raise ValidationError(f"还有 {locked.bad_count} 行有误，改正后重新上传才能导入")
            import_nodes, _ = import_scope(actor)
            node_ids = {n.pk for n in import_nodes}
            households = _Households()
            for frame in sealed_frames(locked.payload):
                _commit_frame(frame, node_ids, households)
            locked.status = ImportStatus.COMMITTED
            locked.committed_at = timezone.now()
            locked.payload = b""  # the roster is in the registry now; keep no second copy
            locked.save(update_fields=["status", "committed_at", "payload"])
            audit_record(
                actor=actor,
                action="people.import",
                obj=locked,
                node=locked.node,
                fields=[
                    "name",
                    "id_number",
                    "phone",
                    "address",
                    "node",
                    "household",
                    "tags",
                    "notes",
                ],
                reason=f"新增 {locked.new_count}，更新 {locked.updated_count}",
            )
    except IntegrityError:
        raise ValidationError(CHANGED_SINCE) from None
    return locked
