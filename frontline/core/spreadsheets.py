"""Reading uploaded rosters safely (exports are written by core/xlsx_export.py).

Uploads are judged by content, not by name: an .xlsx is a zip whose declared
sizes are checked before any XML is parsed; anything else must be UTF-8 or GB18030
text (CSV). Reading uses python-calamine (fast, no XML entity
expansion) on parts of the sheet, one parsed while the rows of the one before are
checked, or defusedxml's stream for a sheet too big to hold.
"""

import csv
import io
import logging
import re
import resource
import struct
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.conf import settings
from python_calamine import CalamineWorkbook

XLSX_MAX_UNCOMPRESSED = getattr(settings, "FRONTLINE_XLSX_MAX_UNCOMPRESSED", 400 * 1024 * 1024)
XLSX_MAX_ENTRIES = 2000
# What one upload may cost, judged from the zip's central directory before any part is
# inflated (issue 15: a 1 MB file whose shared strings inflated to 390 MB took a worker
# to 3 GB). A real roster written by Excel holds ~0.27 byte of shared strings per byte
# of sheet (100,000 rows: 34.8 MB of sheet, 9.4 MB of strings; 1,000,000 rows would be
# ~90 MB written that way); with a column of 100-character notes, ~1.2 bytes. The
# strings are held whole while the sheet is read, so they also get a ceiling of their
# own: ~700,000 roster rows written by Excel (inline strings have no such limit).
XLSX_STRINGS_FLOOR = 4 * 1024 * 1024
XLSX_STRINGS_PER_SHEET_BYTE = 2.0
XLSX_STRINGS_MAX = 64 * 1024 * 1024
# Any other part read whole (workbook, styles, theme, relationships): Excel's own are
# kilobytes, a heavily formatted workbook's styles a few megabytes.
XLSX_PART_MAX = 8 * 1024 * 1024
# An importer with a row limit: the sheet may hold that many rows of generous size
# (a roster row as Excel writes it is ~350 bytes of XML).
XLSX_SHEET_FLOOR = 1024 * 1024
XLSX_SHEET_BYTES_PER_ROW = 4096
# How much one import may grow the process while its file is read (rows checked and
# held by the importer included), checked every few thousand rows and shared strings:
# what the declared sizes cannot foresee (cells that expand when parsed) stops here.
# The 1,000,000-row roster's preview grows a fresh worker by ~280 MB (bench/README.md).
IMPORT_MEMORY_CEILING = getattr(settings, "FRONTLINE_IMPORT_MEMORY_MB", 450) * 1024 * 1024
MEMORY_CHECK_ROWS = 2048
MEMORY_CHECK_STRINGS = 16384
# Shared strings bigger than this (uncompressed XML) are read once, streamed, with the
# sheet: each part calamine reads carries all of them and parses them again for it, two
# parts at a time, and a city's can be tens of megabytes.
XLSX_STREAM_STRINGS_ABOVE = 16 * 1024 * 1024
logger = logging.getLogger(__name__)
UNREADABLE = "工作簿无法读取：请用 Excel 打开后重新保存为 .xlsx"


class UploadRejected(ValueError):
    """The upload as a whole cannot be read; the message is for the user, in Chinese."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class RowError:
    """One problem in one row of an upload: row number (1-based), column label, Chinese reason."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Sheet:
    """The rows of an upload, already past the size, type and zip-bomb checks."""

    kind: str  # "xlsx" or "csv"
    rows: Iterator[list[Any]]


def upload_open(
    upload: IO[bytes], *, max_bytes: int | None = None, max_rows: int | None = None
) -> Sheet:
    """Check an uploaded file by size and content and open its first sheet's rows.

    `max_rows` (the importer's limit, if it has one) bounds the sheet's inflated size.
    Reading stops, refused, when the process has grown by more than the import memory
    ceiling since the file was opened.
    """
    limit = max_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(f"文件太大：上限 {limit // (1024 * 1024)} MB", status=413)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    ceiling = MemoryCeiling()
    if head.startswith(b"PK\x03\x04"):
        try:
            rows = _xlsx_rows(upload, max_rows, ceiling)
        except UploadRejected:
            raise
        except _DAMAGED as error:
            raise _damaged(error) from None
        return Sheet("xlsx", _guarded(rows, ceiling))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected("不支持旧版 .xls 文件：请在 Excel 中另存为 .xlsx 后上传")
    return Sheet("csv", _guarded(_csv_rows(upload, limit), ceiling))


def _rss() -> int:
    """The process's resident memory now, in bytes (its peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


_PAGE_SIZE = resource.getpagesize()


class MemoryCeiling:
    """What one import may add to the process's memory while its file is read.

    Measured against the process as it was when the file was opened, so a worker that
    kept memory from an earlier request is not held to account for it.
    """

    def __init__(self) -> None:
        self.limit = _rss() + IMPORT_MEMORY_CEILING

    def check(self) -> None:
        if _rss() > self.limit:
            raise UploadRejected(
                f"读取这个文件所需内存超过上限（{_mb(IMPORT_MEMORY_CEILING)}），已停止："
                "请分成几个较小的文件导入",
                status=413,
            )


# What a damaged or unusual zip raises from deep inside zipfile, zlib and the XML parsers
# (a bad checksum, garbled deflate data, an encrypted member, an unknown compression
# method, a truncated part, broken XML), wherever in the reading it is met. UploadRejected
# is a ValueError: it is let through first.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    ParseError,
    DefusedXmlException,
)


def _guarded(rows: Iterator[list[Any]], ceiling: MemoryCeiling) -> Iterator[list[Any]]:
    """The rows; damage met while they are read is refused as the file as a whole, and
    so is a read (and what the caller keeps of it) that outgrows the memory ceiling."""
    check, every = ceiling.check, MEMORY_CHECK_ROWS
    try:
        for number, row in enumerate(rows, start=1):
            if not number % every:
                check()
            yield row
    except UploadRejected:
        raise
    except _DAMAGED as error:
        raise _damaged(error) from None


def _damaged(error: Exception) -> UploadRejected:
    # The kind only: a parser's message can quote a cell, and a cell can be an ID number.
    logger.warning("workbook refused as unreadable: %s", type(error).__name__)
    return UploadRejected(UNREADABLE)


def _mb(size: float) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _part_within_budget(entry: zipfile.ZipInfo) -> None:
    if entry.file_size > XLSX_PART_MAX:
        raise UploadRejected(
            f"工作簿中的 {entry.filename} 解压后 {_mb(entry.file_size)}，"
            f"超过上限 {_mb(XLSX_PART_MAX)}，疑似异常文件，已拒绝",
            status=413,
        )


def _within_budget(
    entries: list[zipfile.ZipInfo],
    sheet_path: str,
    sheet_size: int,
    strings_size: int,
    max_rows: int | None,
) -> None:
    """Refuse, from the zip's central directory alone, a workbook whose parts would
    cost more to read than a real roster of its size does.

    The sheet is read a few megabytes at a time, so it may be as big as the rows it
    holds; everything else is held whole while it is read: the shared strings (in
    proportion to the sheet whose cells use them), and the small parts beside them.
    """
    if max_rows and sheet_size > XLSX_SHEET_FLOOR + max_rows * XLSX_SHEET_BYTES_PER_ROW:
        raise UploadRejected(
            f"工作表解压后 {_mb(sheet_size)}，远超 {max_rows} 行所需，疑似异常文件，已拒绝",
            status=413,
        )
    strings_budget = min(
        XLSX_STRINGS_MAX, XLSX_STRINGS_FLOOR + int(sheet_size * XLSX_STRINGS_PER_SHEET_BYTE)
    )
    if strings_size > strings_budget:
        raise UploadRejected(
            f"工作簿的共享字符串解压后 {_mb(strings_size)}，而工作表只有 {_mb(sheet_size)}"
            f"（这样大小的表格至多需要 {_mb(strings_budget)}），疑似异常文件，已拒绝",
            status=413,
        )
    for entry in entries:
        name = entry.filename
        if name == sheet_path or name.endswith("sharedStrings.xml") or entry.is_dir():
            continue
        if not name.startswith(_PART_LEFT_OUT):  # held whole while the sheet is read
            _part_within_budget(entry)


def _xlsx_rows(
    upload: IO[bytes], max_rows: int | None, ceiling: MemoryCeiling
) -> Iterator[list[Any]]:
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise UploadRejected("文件已损坏，无法作为 .xlsx 读取") from None
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise UploadRejected("这不是 Excel 工作簿（.xlsx）")
    # Declared sizes are checked before a single byte is inflated: a zip bomb declares
    # its size honestly, or reading stops at the declared size and the checksum fails.
    if len(entries) > XLSX_MAX_ENTRIES:
        raise UploadRejected("工作簿内部文件过多，疑似异常文件，已拒绝", status=413)
    if sum(entry.file_size for entry in entries) > XLSX_MAX_UNCOMPRESSED:
        raise UploadRejected("工作簿解压后过大，疑似异常文件，已拒绝", status=413)
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and _declares_entities(archive, entry):
            raise UploadRejected("工作簿含有 XML 实体声明，疑似异常文件，已拒绝")
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if name in names:
            _part_within_budget(archive.getinfo(name))
    try:
        sheet_path = _first_sheet_path(archive)
        sheet_size = archive.getinfo(sheet_path).file_size
    except (KeyError, AttributeError, StopIteration, DefusedXmlException, ParseError):
        raise UploadRejected(UNREADABLE) from None
    strings_size = sum(e.file_size for e in entries if e.filename.endswith("sharedStrings.xml"))
    _within_budget(entries, sheet_path, sheet_size, strings_size, max_rows)
    # Each part read by calamine carries every shared string and calamine parses them all
    # again for it, two parts at a time: many strings are read once, streamed, instead.
    if strings_size > XLSX_STREAM_STRINGS_ABOVE:
        return _streamed_rows(archive, sheet_path, ceiling)
    try:
        parts = _SheetParts(archive, sheet_path)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise UploadRejected(UNREADABLE) from None
    # The first part is read before the rows are asked for: a workbook calamine cannot
    # read is refused here, as a whole, before any row is checked.
    return _parts_rows(parts, parts.next_part())


# ---------------------------------------------------------------- .xlsx in parts

# Sheet XML per part. calamine parses a whole sheet at once, without holding the GIL:
# cut into parts of consecutive rows, the next part is parsed while the rows of this one
# are checked. 100,000 rows (54 MB of XML), preview alone, medians of three: 2.3 s in
# one piece; parts of 2 MB 1.76 s, 4 MB 1.67 s, 8 MB 1.77 s, 16 MB 1.93 s (peak memory
# 138, 163, 214, 267 MB). Each part carries the workbook's shared strings, parsed again
# for it, so parts are at least half as big as the strings. Rows written as Excel writes
# them, one piece against parts: 100,000 rows (32 MB of sheet, 9 MB of strings) 2.04 s,
# 167 MB against 1.78 s, 260 MB; 200,000 rows (65 MB, 18 MB) 3.95 s, 247 MB against
# 3.4-3.8 s, 388 MB (4 MB parts: 4.7 s; parts as big as the strings: 3.95 s, 465 MB).
XLSX_PART_BYTES = 4 * 1024 * 1024
# Parts of the original a part's workbook leaves out: the sheets (its own is replaced)
# and what calamine does not read for cell values.
_PART_LEFT_OUT = (
    "xl/worksheets/",
    "xl/chartsheets/",
    "xl/media/",
    "xl/drawings/",
    "xl/charts/",
    "xl/embeddings/",
    "xl/printerSettings/",
)
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*>")
_ROW_START = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_NUMBER = re.compile(rb"\sr\s*=")
_READ_AHEAD = 1024 * 1024


class _SheetParts:
    """The first sheet of an .xlsx cut, between rows, into small workbooks of its own
    (stored, not deflated), each parsed by calamine into rows.

    A part is the sheet's XML up to and including `<sheetData>` (less the dimension,
    which would make calamine size every part as the whole sheet), then whole rows,
    then the closing tags. Rows are placed by their `r` attributes (Excel, WPS and the
    libraries we know all write them); a sheet whose rows carry none is read as it is,
    in one part, and one that stops numbering them midway is refused.
    """

    def __init__(self, archive: zipfile.ZipFile, sheet_path: str) -> None:
        self.sheet_path = sheet_path
        self.others = [
            (entry.filename, archive.read(entry))
            for entry in archive.infolist()
            if not entry.filename.startswith(_PART_LEFT_OUT) and not entry.is_dir()
        ]
        # Each part carries every shared string and calamine parses them all again for it:
        # parts at least half as big as the strings keep that under a third of the work.
        strings = sum(len(data) for name, data in self.others if name.endswith("sharedStrings.xml"))
        self.part_bytes = max(XLSX_PART_BYTES, strings // 2)
        self.stream = archive.open(sheet_path)
        self.pending = b""
        self.done = False
        head = b""
        while (found := _SHEET_DATA.search(head)) is None:
            chunk = self.stream.read(_READ_AHEAD)
            if not chunk:
                break
            head += chunk
        if found is None or found.group(2) or not self._rows_numbered(head[found.end() :]):
            # No rows (or no row numbers): the sheet as it is, in one part.
            self.head, self.tail, self.pending = b"", b"", head
            self.part_bytes = 0
            return
        prefix = found.group(1) or b""
        self.row_end = b"</" + prefix + b"row>"
        self.head = _DIMENSION.sub(b"", head[: found.end()], count=1)
        root = re.search(rb"<(\w+:)?worksheet\b", self.head)
        root_prefix = (root.group(1) or b"") if root else b""
        self.tail = b"</" + prefix + b"sheetData></" + root_prefix + b"worksheet>"
        self.pending = head[found.end() :]

    @staticmethod
    def _rows_numbered(rows: bytes) -> bool:
        first = _ROW_START.search(rows)
        return first is None or _ROW_NUMBER.search(first.group()) is not None

    def next_part(self) -> tuple[tuple[int, int] | None, list[list[Any]]] | None:
        """The next part's top-left cell (row, column; None when it has no cells) and its
        rows from there, or None after the last part."""
        if self.done:
            return None
        try:
            xml = self._next_xml()
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise UploadRejected(UNREADABLE) from None
        if self.done:
            self.stream.close()
        with io.BytesIO() as buffer:
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as part:
                for name, data in self.others:
                    part.writestr(name, data)
                part.writestr(self.sheet_path, xml)
            del xml
            buffer.seek(0)
            try:
                sheet = CalamineWorkbook.from_filelike(buffer).get_sheet_by_index(0)
            except Exception:
                raise UploadRejected(UNREADABLE) from None
            return sheet.start, sheet.to_python(skip_empty_area=True)

    def _next_xml(self) -> bytes:
        if not self.part_bytes:  # one part: the whole sheet as written
            self.done = True
            return self.pending + self.stream.read()
        data = self.pending
        while True:
            # After the last row that ends within the part's size (or after the first
            # row, if one row is bigger than a part).
            cut = data.rfind(self.row_end, 0, self.part_bytes)
            if cut < 0:
                cut = data.find(self.row_end)
            if cut >= 0 and len(data) >= self.part_bytes:
                break
            chunk = self.stream.read(self.part_bytes + _READ_AHEAD)
            if not chunk:
                # The last part keeps the sheet's own ending (what follows the rows).
                self.done = True
                return self.head + data
            data += chunk
        cut += len(self.row_end)
        self.pending = data[cut:]
        if not self._rows_numbered(self.pending):
            raise UploadRejected(UNREADABLE)
        return self.head + data[:cut] + self.tail


def _parts_rows(
    parts: _SheetParts, first: tuple[tuple[int, int] | None, list[list[Any]]]
) -> Iterator[list[Any]]:
    """The rows of every part in sheet order, numbered from the sheet's first row and
    placed from its first column (calamine gives each part's rows from its own top-left
    cell): empty rows between parts are empty lists."""
    with ThreadPoolExecutor(max_workers=1) as reader:
        part: tuple[tuple[int, int] | None, list[list[Any]]] | None = first
        next_row = 0
        while part is not None:
            ahead = reader.submit(parts.next_part)
            start, rows = part
            if start is not None:
                top, left = start
                while next_row < top:
                    next_row += 1
                    yield []
                pad = [""] * left
                for row in rows:
                    yield pad + row if left else row
                next_row = top + len(rows)
            del part, rows
            part = ahead.result()


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rel_id = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet").get(f"{_RELS}id")
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(
        r.get("Target") for r in rels.iter(f"{_PACKAGE_RELS}Relationship") if r.get("Id") == rel_id
    )
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _shared_strings(archive: zipfile.ZipFile, ceiling: MemoryCeiling) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as part:
        table = None
        for event, item in SafeET.iterparse(part, events=("start", "end")):
            if event == "start":
                if table is None:
                    table = item
                continue
            if item.tag == f"{_MAIN}si":
                # Plain and rich-text runs; phonetic hints (rPh) are not the cell's text.
                texts = [t.text or "" for t in item.iterfind(f"{_MAIN}t")]
                texts += [t.text or "" for t in item.iterfind(f"{_MAIN}r/{_MAIN}t")]
                strings.append("".join(texts))
                # Cleared and dropped: a cleared element left in the table still costs
                # ~100 bytes, and the table can hold millions.
                table.clear()
                if not len(strings) % MEMORY_CHECK_STRINGS:
                    ceiling.check()
    return strings


def _column_number(ref: str) -> int:
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


def _cell_value(cell, shared: list[str]) -> Any:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
    value = cell.find(f"{_MAIN}v")
    text = value.text if value is not None else None
    if text is None:
        return ""
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return text == "1"
    if kind in ("str", "e"):
        return text
    try:
        return float(text)
    except ValueError:
        return text


def _streamed_rows(
    archive: zipfile.ZipFile, sheet_path: str, ceiling: MemoryCeiling
) -> Iterator[list[Any]]:
    """The first sheet's rows read as a stream (constant memory whatever the row count).

    Cells keep the types calamine gives (text, float, bool); dates stay serial numbers,
    which a roster does not need.
    """
    shared = _shared_strings(archive, ceiling)
    expected = 1
    with archive.open(sheet_path) as part:
        sheet_data = None
        for event, element in SafeET.iterparse(part, events=("start", "end")):
            if event == "start":
                if element.tag == f"{_MAIN}sheetData":
                    sheet_data = element
                continue
            if element.tag != f"{_MAIN}row":
                continue
            number = int(element.get("r") or expected)
            while expected < number:  # rows Excel left out because they are empty
                expected += 1
                yield []
            cells: list[Any] = []
            for cell in element.iterfind(f"{_MAIN}c"):
                ref = cell.get("r")
                index = _column_number(ref) if ref else len(cells)
                cells.extend([""] * (index - len(cells)))
                cells.append(_cell_value(cell, shared))
            expected += 1
            yield cells
            if sheet_data is not None:
                sheet_data.clear()  # drop the rows already read


def _declares_entities(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Whether an XML part carries a DOCTYPE (entity expansion); only its head is read."""
    with archive.open(entry) as part:
        head = part.read(2048)
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


def _csv_rows(upload: IO[bytes], limit: int) -> Iterator[list[Any]]:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(f"文件太大：上限 {limit // (1024 * 1024)} MB", status=413)
    if b"\x00" in data:
        raise UploadRejected("只接受 .xlsx 或 .csv 文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRejected("CSV 文件编码无法识别：请保存为 UTF-8 或直接上传 .xlsx")
    return (list(row) for row in csv.reader(io.StringIO(text)))
