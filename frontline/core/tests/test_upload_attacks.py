"""Uploads an attacker crafts (issue 15, items 1 and 6): a corrupt zip answers a Chinese
message on every upload, web and API, never a 500; a workbook whose parts inflate out of
proportion to its rows is refused before it is parsed."""

import io
import struct
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frontline.core import spreadsheets
from frontline.core.spreadsheets import UploadRejected, upload_open
from frontline.people.models import Resident
from frontline.people.tests.rosters import HEADERS

ROWS = [
    HEADERS,
    *[
        [f"王{i}", f"32072119850615{i:03d}X", "13800138000", "三店村", "第一网格", "A-1"]
        for i in range(40)
    ],
]


def _workbook(rows=ROWS) -> bytes:
    """A roster as Excel writes it: every text cell through sharedStrings.xml."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def _central_entry(data: bytearray, name: str) -> int:
    """Offset of a member's record in the zip's central directory."""
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name.encode():
        entry = data.find(b"PK\x01\x02", entry + 4)
        assert entry > 0, name
    return entry


def _local_entry(data: bytearray, name: str) -> int:
    offset = struct.unpack("<I", data[_central_entry(data, name) + 42 :][:4])[0]
    assert data[offset : offset + 4] == b"PK\x03\x04"
    return offset


def _bad_crc(name: str):
    def corrupt(data: bytearray) -> None:
        # The checksum is wrong in both headers: the data is what was written, so only
        # the check at the end of the member notices.
        for offset in (_central_entry(data, name) + 16, _local_entry(data, name) + 14):
            (crc,) = struct.unpack("<I", data[offset : offset + 4])
            data[offset : offset + 4] = struct.pack("<I", crc ^ 0x5A5A5A5A)

    return corrupt


def _garbled(name: str):
    def corrupt(data: bytearray) -> None:
        local = _local_entry(data, name)
        name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
        start = local + 30 + name_len + extra_len
        (size,) = struct.unpack("<I", data[local + 18 : local + 22])
        for i in range(start + size // 3, start + size // 3 + 40):
            data[i] ^= 0xFF

    return corrupt


def _method(method: int, name: str = "xl/worksheets/sheet1.xml"):
    def corrupt(data: bytearray) -> None:
        data[_central_entry(data, name) + 10 : _central_entry(data, name) + 12] = struct.pack(
            "<H", method
        )
        data[_local_entry(data, name) + 8 : _local_entry(data, name) + 10] = struct.pack(
            "<H", method
        )

    return corrupt


def _encrypted(data: bytearray) -> None:
    name = "xl/worksheets/sheet1.xml"
    for offset in (_central_entry(data, name) + 8, _local_entry(data, name) + 6):
        (flags,) = struct.unpack("<H", data[offset : offset + 2])
        data[offset : offset + 2] = struct.pack("<H", flags | 1)


def _truncated(data: bytearray) -> None:
    del data[len(data) * 2 // 3 :]


CORRUPTIONS = {
    "bad CRC, sheet": _bad_crc("xl/worksheets/sheet1.xml"),
    "bad CRC, workbook": _bad_crc("xl/workbook.xml"),
    "bad CRC, shared strings": _bad_crc("xl/sharedStrings.xml"),
    "bad CRC, workbook rels": _bad_crc("xl/_rels/workbook.xml.rels"),
    "garbled deflate, sheet": _garbled("xl/worksheets/sheet1.xml"),
    "garbled deflate, shared strings": _garbled("xl/sharedStrings.xml"),
    "unknown compression": _method(99),
    "encrypted member": _encrypted,
    "truncated": _truncated,
}


def _corrupt(kind: str) -> bytes:
    data = bytearray(_workbook())
    CORRUPTIONS[kind](data)
    return bytes(data)


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("streamed", [False, True], ids=["in parts", "streamed"])
@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_a_corrupt_workbook_is_refused_in_chinese_by_the_reader(kind, streamed, monkeypatch):
    if streamed:  # the path a big sheet with many shared strings takes
        monkeypatch.setattr(spreadsheets, "XLSX_STREAM_ABOVE", 0)
        monkeypatch.setattr(spreadsheets, "XLSX_STREAM_STRINGS_ABOVE", 0)
    with pytest.raises(UploadRejected) as refused:
        list(upload_open(io.BytesIO(_corrupt(kind))).rows)
    assert _chinese(str(refused.value)) and refused.value.status in (400, 413)


def _post_web(client, url_name, data):
    upload = SimpleUploadedFile("坏文件.xlsx", data)
    return client.post(reverse(url_name), {"file": upload})


UPLOADS = {
    "roster page": ("cadre_sandian", "people:import"),
    "lead list page": ("cadre_sandian", "control:lead_upload"),
    "tree import page": ("admin", "core:node_import"),
}


@pytest.mark.parametrize("kind", CORRUPTIONS)
@pytest.mark.parametrize("upload", UPLOADS)
def test_every_upload_page_answers_a_corrupt_workbook_in_chinese(world, login, upload, kind):
    user, url_name = UPLOADS[upload]
    response = _post_web(login(getattr(world, user)), url_name, _corrupt(kind))
    assert response.status_code in (400, 413)
    page = response.content.decode()
    assert "无法读取" in page or "已损坏" in page or "异常文件" in page
    assert not Resident.objects.exists()


@pytest.mark.parametrize("kind", CORRUPTIONS)
def test_the_roster_api_answers_a_corrupt_workbook_in_chinese_json(world, login, kind):
    client = login(world.cadre_sandian)
    upload = SimpleUploadedFile("坏文件.xlsx", _corrupt(kind))
    response = client.post("/api/v1/people/imports", {"file": upload})
    assert response.status_code in (400, 413)
    body = response.json()
    assert _chinese(body["detail"]) and body["errors"][0]["field"] == "file"


def test_the_untouched_workbook_imports(world):
    # The corruptions above are of a workbook that reads: what refuses it is the damage.
    rows = list(upload_open(io.BytesIO(_workbook())).rows)
    assert rows[1][:2] == ["王0", "32072119850615000X"]
    assert zipfile.ZipFile(io.BytesIO(_workbook())).testzip() is None
