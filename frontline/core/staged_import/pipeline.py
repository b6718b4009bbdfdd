"""The staged import's services: check an upload into a sealed preview, commit it in one
transaction or not at all, and read back its bad rows for the error workbook.

The preview streams the sheet: each row is checked by the importer, the good ones
are classified a batch at a time (one query a batch) and sealed into the sections
the commit reads; the bad ones keep their cells and reasons, sealed apart, for the
error workbook. Nothing of the upload is written anywhere but the StagedImport row.
"""

import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.blobs import blob_read, blob_write
from frontline.core.cells import cell_text, header_find
from frontline.core.models import Node, User
from frontline.core.scoping import in_scope, scope_paths, user_can
from frontline.core.spreadsheets import RowError, UploadRejected, upload_open
from frontline.core.staged_import import sealed
from frontline.core.staged_import.importer import Counts, Importer, Sorter
from frontline.core.staged_import.models import ImportStatus, StagedImport
from frontline.core.staged_import.sealed import (
    PAYLOAD_FORMAT,
    SealedWriter,
    Sections,
    sealed_frames,
)

ERRORS_SHOWN = 1000  # errors, warnings and skipped rows kept for the page and API
ERROR_ROWS_KEPT = 100_000  # bad rows kept for the error workbook
SORTED_BELOW = 50_000  # the error workbook is sorted by row below this many bad rows


def staged_imports_for(user: User, importer: type[Importer]) -> QuerySet[StagedImport]:
    """The user's own previews and imports of one kind, within the user's import scope
    (without their sealed payloads, which only the commit and the error workbook read)."""
    mine = StagedImport.objects.filter(importer=importer.key, created_by=user)
    return in_scope(mine.defer("payload", "error_payload"), user, importer.permission)


# ---------------------------------------------------------------- preview


class _Preview(Sorter):
    """One preview pass: count, keep the errors, seal the sections and the bad rows."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self.counts = Counts()
        self.buffer = bytearray(PAYLOAD_FORMAT)
        self.writers = {
            name: SealedWriter(self.buffer, bytes([index + 1]))
            for index, name in enumerate(importer.sections)
        }
        self.bad_rows = SealedWriter()
        self.batch: list[tuple[Any, list[Any]]] = []

    def writer(self, section: str) -> SealedWriter:
        return self.writers[section]

    def bad(self, errors: list[RowError], raw: list[Any]) -> None:
        if not errors or not isinstance(errors[0], RowError):
            raise TypeError("check() gives a list only of RowError; a good row is a tuple, …")
        counts = self.counts
        counts.bad += 1
        for error in errors:
            if len(counts.errors) < ERRORS_SHOWN:
                counts.errors.append(
                    {"row": error.row, "column": error.column, "message": error.message}
                )
        if counts.bad <= ERROR_ROWS_KEPT:
            reasons = "；".join(f"{e.column}：{e.message}" for e in errors)
            self.bad_rows.add([errors[0].row, reasons, [cell_text(c) for c in raw]])

    def warn(self, row: int, column: str, message: str) -> None:
        counts = self.counts
        counts.warnings += 1
        if len(counts.warning_list) < ERRORS_SHOWN:
            counts.warning_list.append({"row": row, "column": column, "message": message})

    def skip(self, row: int, message: str, url: str = "") -> None:
        self.counts.unchanged += 1
        if len(self.counts.skipped) < ERRORS_SHOWN:
            self.counts.skipped.append({"row": row, "message": message, "url": url})

    def good(self, row: Any, raw: list[Any]) -> None:
        self.batch.append((row, raw))
        if len(self.batch) >= sealed.BATCH:
            self.classify()

    def classify(self) -> None:
        if not self.batch:
            return
        self.importer.classify(self.batch, self)
        self.counts.total += len(self.batch)
        self.batch = []

    def payload(self) -> bytearray:
        """The sealed sections for the commit (the same buffer, no copy)."""
        for writer in self.writers.values():
            writer.flush()
        return self.buffer


def _scope_node(actor: User, permission: str) -> Node:
    """The node an import belongs to: the outermost one where the actor may import."""
    return Node.objects.filter(path__in=scope_paths(actor, permission)).order_by("path")[0]


def staged_preview(
    *, importer: type[Importer], actor: User, upload: IO[bytes], filename: str = ""
) -> StagedImport:
    """Check every row of an upload and hold the result, sealed, for confirmation.

    Refuses the file as a whole (UploadRejected) when it cannot be read or lacks a
    required column; otherwise every row is checked and the preview says which are bad.
    The uploader's previous unconfirmed preview of the same kind is discarded.
    """
    run = importer(actor)
    run.node = _scope_node(actor, importer.permission)
    sheet = upload_open(upload, max_bytes=importer.max_bytes, max_rows=importer.max_rows)
    labels = importer.labels()
    mapping, header_row, missing = header_find(
        sheet.rows, importer.columns, required=importer.required
    )
    if missing:
        raise UploadRejected(importer.missing_columns(labels[m] for m in missing))
    run.start(mapping)
    preview = _Preview(run)
    check, good, bad = run.check, preview.good, preview.bad
    max_rows = importer.max_rows or sys.maxsize
    checked = 0
    for number, raw in enumerate(sheet.rows, start=header_row + 1):
        result = check(number, raw)
        if result is None:
            continue
        checked += 1
        if checked > max_rows:
            raise UploadRejected(f"一次最多导入 {max_rows} 行，请分批导入")
        if isinstance(result, list):
            preview.counts.total += 1
            bad(result, raw)
        else:
            good(result, raw)
    preview.classify()
    counts = preview.counts
    headers = [""] * (max(mapping.values()) + 1)
    for key, index in mapping.items():
        headers[index] = labels[key]
    error_payload = b""
    if counts.bad:
        preview.bad_rows.pending.insert(0, ["header", "", headers])
        error_payload = preview.bad_rows.close()
    counts.errors.sort(key=lambda e: e["row"])
    staged = StagedImport(
        importer=importer.key,
        node=run.node,
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
        skipped=sorted(counts.skipped, key=lambda s: s["row"]),
    )
    payload = b"" if counts.bad else preview.payload()
    with transaction.atomic():  # the old preview goes and the new one is whole, or neither
        # One pending preview per uploader and kind: an abandoned one holds a sealed file
        # for nothing.
        StagedImport.objects.filter(
            importer=importer.key, created_by=actor, status=ImportStatus.PREVIEW
        ).delete()
        staged.save()  # the sealed payloads follow as bytes (core.blobs), not through the ORM
        blob_write(StagedImport, staged.pk, payload=payload, error_payload=error_payload)
    staged.payload, staged.error_payload = payload, error_payload
    return staged


def error_rows(staged: StagedImport) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows of the error workbook: row number, reasons, then the original cells."""
    frames = sealed_frames(blob_read(StagedImport, staged.pk, "error_payload"))
    items: Iterable[list[Any]] = (item for frame in frames for item in frame)
    iterator = iter(items)
    first = next(iterator, None)
    headers = ["行号", "错误原因", *(first[2] if first and first[0] == "header" else [])]
    rows = ([number, reasons, *cells] for number, reasons, cells in iterator)
    return headers, (sorted(rows, key=lambda r: r[0]) if staged.bad_count < SORTED_BELOW else rows)


# ---------------------------------------------------------------- commit


def staged_commit(*, importer: type[Importer], actor: User, staged: StagedImport) -> StagedImport:
    """Write every row of a clean preview in one transaction, or none; one audit event.

    Only the uploader commits, once, and only a preview without bad rows. A conflict the
    database finds (someone registered the same record since the preview) undoes it all.
    """
    if (
        staged.importer != importer.key
        or staged.created_by_id != actor.pk
        or not user_can(actor, importer.permission, staged.node)
    ):
        raise PermissionDenied(f"只能确认自己上传的{importer.title}")
    run = importer(actor)
    run.node = staged.node
    try:
        with transaction.atomic():
            locked = (
                StagedImport.objects.select_for_update()
                .defer("payload", "error_payload")
                .get(pk=staged.pk)
            )
            if locked.status != ImportStatus.PREVIEW:
                raise ValidationError(f"这份{importer.title}已经导入过了")
            if locked.bad_count:
                raise ValidationError(f"还有 {locked.bad_count} 行有误，改正后重新上传才能导入")
            payload = memoryview(blob_read(StagedImport, locked.pk, "payload"))
            if bytes(payload[: len(PAYLOAD_FORMAT)]) != PAYLOAD_FORMAT:
                raise ValidationError(f"这份预览是旧版本生成的，请重新上传{importer.title}")
            run.commit(locked, Sections(payload, importer.sections))
            del payload  # tens of megabytes at a million rows, not needed any more
            locked.status = ImportStatus.COMMITTED
            locked.committed_at = timezone.now()
            locked.payload = b""  # the rows are stored now; keep no second copy
            locked.save(update_fields=["status", "committed_at", "payload"])
            audit_record(
                actor=actor,
                action=f"{importer.key}.import",
                obj=locked,
                node=locked.node,
                fields=list(importer.audit_fields),
                reason=run.audit_reason(locked),
            )
    except IntegrityError:
        raise ValidationError(importer.changed_since) from None
    return locked
