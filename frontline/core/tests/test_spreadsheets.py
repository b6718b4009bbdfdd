"""Reading .xlsx uploads in parts: the rows are the sheet's rows, wherever the cuts fall."""

import io
import struct
import zipfile

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from frontline.core import spreadsheets
from frontline.core.spreadsheets import UploadRejected, upload_open

_VALUES = st.one_of(
    st.text(
        st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"]),
        min_size=1,
        max_size=12,
    ).filter(lambda text: text.strip() and "_x" not in text),  # _xHHHH_ is an escape in OOXML
    st.sampled_from(['<row r="1">', "</row>", "a&b", "王芳", "32072119850615002X"]),
    st.integers(-(10**12), 10**12),
    st.booleans(),
)
_CELLS = st.dictionaries(
    st.tuples(st.integers(0, 120), st.integers(0, 9)), _VALUES, min_size=1, max_size=150
)


def _workbook(cells: dict[tuple[int, int], object], *, inline_strings: bool) -> bytes:
    """An .xlsx as Excel writes it (shared strings) or as streaming writers do (inline)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": inline_strings})
    sheet = workbook.add_worksheet()
    workbook.add_worksheet("第二页").write_string(0, 0, "不读这一页")
    for (row, column), value in sorted(cells.items()):
        if isinstance(value, bool):
            sheet.write_boolean(row, column, value)
        elif isinstance(value, int):
            sheet.write_number(row, column, value)
        else:
            sheet.write_string(row, column, value)
    workbook.close()
    return buffer.getvalue()


def _read(data: bytes) -> list[list]:
    return _trimmed(list(upload_open(io.BytesIO(data)).rows))


def _trimmed(rows: list[list]) -> list[list]:
    """Rows without their trailing blank cells, and no trailing blank rows."""
    rows = [row[: max((i + 1 for i, c in enumerate(row) if c != ""), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _calamine_whole(data: bytes) -> list[list]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return _trimmed(sheet.to_python(skip_empty_area=False))


@pytest.mark.parametrize("inline_strings", [False, True], ids=["shared", "inline"])
@given(cells=_CELLS, part_bytes=st.integers(200, 3000))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_sheet_read_in_parts_is_the_sheet_read_whole(inline_strings, cells, part_bytes):
    # Every cell where the sheet has it (row and column), whatever the parts' size; the
    # text values include what looks like the row tags the cuts are made at.
    data = _workbook(cells, inline_strings=inline_strings)
    whole = _calamine_whole(data)
    original = spreadsheets.XLSX_PART_BYTES
    try:
        spreadsheets.XLSX_PART_BYTES = part_bytes
        assert _read(data) == whole
    finally:
        spreadsheets.XLSX_PART_BYTES = original
    for (row, column), value in cells.items():
        assert whole[row][column] == (float(value) if type(value) is int else value)


def _read_counting_parts(data: bytes, monkeypatch) -> tuple[list[list], int]:
    parts_read = []
    next_part = spreadsheets._SheetParts.next_part

    def counted(self):
        part = next_part(self)
        parts_read.append(part is not None)
        return part

    monkeypatch.setattr(spreadsheets._SheetParts, "next_part", counted)
    return _read(data), sum(parts_read)


_MANY_ROWS = {(row, 1 + row % 3): f"第{row + 1}行" for row in range(0, 2000, 7)}


def test_a_big_sheet_is_read_in_many_parts_with_rows_in_place(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 1000)
    rows, parts = _read_counting_parts(_workbook(_MANY_ROWS, inline_strings=True), monkeypatch)
    assert parts > 10
    assert rows == [
        [""] * (1 + row % 3) + [f"第{row + 1}行"] if row % 7 == 0 else [] for row in range(1996)
    ]


def test_many_shared_strings_make_fewer_bigger_parts(monkeypatch):
    # Every part carries all the shared strings, parsed again for it: 200,000 rows as Excel
    # writes them (18 MB of strings) took 4.7 s in 4 MB parts, 3.6 s in 9 MB parts.
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 1000)
    inline_rows, inline_parts = _read_counting_parts(
        _workbook(_MANY_ROWS, inline_strings=True), monkeypatch
    )
    shared_rows, shared_parts = _read_counting_parts(
        _workbook(_MANY_ROWS, inline_strings=False), monkeypatch
    )
    assert shared_rows == inline_rows
    assert 1 < shared_parts < inline_parts / 3


def _zip_with_sheet(sheet_xml: bytes) -> bytes:
    """A minimal .xlsx around a hand-written sheet."""
    buffer = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(_workbook({(0, 0): "x"}, inline_strings=True)))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in base.infolist():
            if entry.filename == "xl/worksheets/sheet1.xml":
                archive.writestr(entry.filename, sheet_xml)
            else:
                archive.writestr(entry.filename, base.read(entry))
    return buffer.getvalue()


_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet'
    b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def _inline(text: str) -> bytes:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def test_rows_without_numbers_are_read_in_one_piece(monkeypatch):
    # Some writers leave out `r`: the rows are read in order, never cut apart.
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 200)
    rows = b"".join(b"<row>" + _inline(f"行{i}") + b"</row>" for i in range(1, 60))
    data = _zip_with_sheet(_HEAD + rows + b"</sheetData></worksheet>")
    assert _read(data) == [[f"行{i}"] for i in range(1, 60)]


def test_a_sheet_that_stops_numbering_its_rows_midway_is_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 300)
    numbered = b"".join(
        f'<row r="{i}">'.encode() + _inline(f"行{i}") + b"</row>" for i in range(1, 30)
    )
    unnumbered = b"".join(b"<row>" + _inline("无号") + b"</row>" for _ in range(30))
    data = _zip_with_sheet(_HEAD + numbered + unnumbered + b"</sheetData></worksheet>")
    with pytest.raises(UploadRejected, match="重新保存"):
        _read(data)


def test_a_part_calamine_cannot_parse_is_refused_in_chinese(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 300)
    rows = [f'<row r="{i}">'.encode() + _inline(f"行{i}") + b"</row>" for i in range(1, 40)]
    rows[30] = b'<row r="31"><c r="A31" t="s"><v>99</v></c></row>'  # no such shared string
    data = _zip_with_sheet(_HEAD + b"".join(rows) + b"</sheetData></worksheet>")
    with pytest.raises(UploadRejected, match="重新保存"):
        _read(data)


def test_a_sheet_that_inflates_past_its_declared_size_is_refused(monkeypatch):
    # The size checks trust the declared sizes; a sheet that lies about its size is cut at
    # the declared size by the reader, and then its checksum fails.
    monkeypatch.setattr(spreadsheets, "XLSX_PART_BYTES", 20_000)
    data = bytearray(_workbook({(r, 0): f"行{r}" * 50 for r in range(3000)}, inline_strings=True))
    # The central directory's entry for the sheet (what zipfile reads the sizes from)
    # declares 10,000 bytes.
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + 24] != b"xl/worksheets/sheet1.xml":
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = struct.pack("<I", 10_000)
    assert (
        zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml").file_size
        == 10_000
    )
    with pytest.raises(UploadRejected, match="重新保存"):
        _read(bytes(data))
