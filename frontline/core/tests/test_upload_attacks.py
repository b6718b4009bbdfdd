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


def _workbook(rows=ROWS, inline: bool = False) -> bytes:
    """A roster as Excel writes it: every text cell through sharedStrings.xml (or in
    the sheet, as streaming writers do)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": inline})
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
def test_a_corrupt_workbook_is_refused_in_chinese_by_the_reader(
    kind, streamed, monkeypatch, caplog
):
    if streamed:  # the path a big sheet with many shared strings takes
        monkeypatch.setattr(spreadsheets, "XLSX_STREAM_STRINGS_ABOVE", 0)
    with pytest.raises(UploadRejected) as refused:
        list(upload_open(io.BytesIO(_corrupt(kind))).rows)
    assert _chinese(str(refused.value)) and refused.value.status in (400, 413)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "32072119850615" not in logged and "王1" not in logged  # no cell in a log line


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


# ---------------------------------------------------------------- what one upload may cost


def _rebuilt(data: bytes, replace: dict[str, object]) -> bytes:
    """The workbook with some parts replaced: bytes, or a callable writing to the part
    (a stream, so that hundreds of megabytes are never held by the test)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out_buffer = io.BytesIO()
    with zipfile.ZipFile(out_buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            new = replace.get(entry.filename, source.read(entry))
            if callable(new):
                with out.open(entry.filename, "w", force_zip64=True) as part:
                    new(part)
            else:
                out.writestr(entry.filename, new)
    return out_buffer.getvalue()


def _strings_bomb(megabytes: int = 390) -> bytes:
    """A ~1 MB roster whose sharedStrings.xml inflates to `megabytes` (issue 15, item 1)."""

    def strings(part) -> None:
        part.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/')
        part.write(b'spreadsheetml/2006/main">')
        chunk = b"<si><t>a</t></si>" * 65536
        for _ in range(megabytes * 1024 * 1024 // len(chunk)):
            part.write(chunk)
        part.write(b"</sst>")

    return _rebuilt(_workbook(ROWS[:3]), {"xl/sharedStrings.xml": strings})


@pytest.fixture(scope="module")
def strings_bomb() -> bytes:
    data = _strings_bomb()
    assert len(data) < 2 * 1024 * 1024
    return data


@pytest.mark.parametrize("upload", ["roster page", "lead list page"])
def test_shared_strings_out_of_proportion_to_the_sheet_are_refused(
    world, login, strings_bomb, upload
):
    user, url_name = UPLOADS[upload]
    response = _post_web(login(getattr(world, user)), url_name, strings_bomb)
    assert response.status_code == 413
    page = response.content.decode()
    assert "共享字符串解压后 390 MB" in page and "已拒绝" in page


def test_the_api_refuses_the_same_workbook_in_chinese_json(world, login, strings_bomb):
    upload = SimpleUploadedFile("花名册.xlsx", strings_bomb)
    response = login(world.cadre_sandian).post("/api/v1/people/imports", {"file": upload})
    assert response.status_code == 413
    assert "共享字符串" in response.json()["detail"]


BUDGET_MB = 350  # the 100,000-row roster's budget (bench/README.md)

_IMPORT_IN_A_WORKER = """
import json, resource, sys
import django
django.setup()
from frontline.core.spreadsheets import UploadRejected, upload_open
from frontline.people.imports import RosterImporter
try:
    with open(sys.argv[1], "rb") as upload:
        rows = sum(1 for _ in upload_open(upload, max_bytes=RosterImporter.max_bytes).rows)
    outcome = f"read {rows} rows"
except UploadRejected as refused:
    outcome = str(refused)
# VmHWM is this process's own peak; ru_maxrss survives exec and would report the
# forking pytest worker's size whenever that was larger.
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) // 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"outcome": outcome, "peak_mb": peak}))
"""


def test_a_worker_reading_the_workbook_stays_within_the_roster_budget(strings_bomb, tmp_path):
    # Before: the worker went from 120 MB to 3 GB for twelve seconds.
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(strings_bomb)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_IN_A_WORKER, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "共享字符串" in result["outcome"]
    assert result["peak_mb"] < BUDGET_MB


def test_shared_strings_in_proportion_to_the_sheet_are_read(monkeypatch):
    # The same rule, at a scale a test can afford: strings twice the sheet and a floor.
    monkeypatch.setattr(spreadsheets, "XLSX_STRINGS_FLOOR", 0)
    data = _workbook([[f"备注{i}" * 8] for i in range(300)])
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    strings = archive.getinfo("xl/sharedStrings.xml").file_size
    assert sheet < strings < 2 * sheet  # long notes: more strings than sheet
    assert len(list(upload_open(io.BytesIO(data)).rows)) == 300
    monkeypatch.setattr(spreadsheets, "XLSX_STRINGS_PER_SHEET_BYTE", 0.5)
    with pytest.raises(UploadRejected, match="共享字符串"):
        upload_open(io.BytesIO(data))


def test_a_part_held_whole_over_its_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_PART_MAX", 64 * 1024)
    data = _rebuilt(_workbook(), {"xl/styles.xml": b"<styleSheet>" + b" " * 100_000 + b"</x>"})
    with pytest.raises(UploadRejected, match=r"xl/styles\.xml 解压后 98 KB") as refused:
        upload_open(io.BytesIO(data))
    assert refused.value.status == 413


def test_a_sheet_far_beyond_the_importers_row_limit_is_refused(world, login, monkeypatch):
    from frontline.control.lead_import import LeadListImporter

    monkeypatch.setattr(LeadListImporter, "max_rows", 10)
    monkeypatch.setattr(spreadsheets, "XLSX_SHEET_FLOOR", 0)
    rows = [["姓名", "身份证号码"], *[[f"人{i}", "x" * 300] for i in range(200)]]
    data = _workbook(rows, inline=True)
    response = _post_web(login(world.cadre_sandian), "control:lead_upload", data)
    assert response.status_code == 413
    assert "远超 10 行所需" in response.content.decode()


def test_reading_stops_in_chinese_when_the_import_outgrows_its_memory_ceiling(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MEMORY_CHECK_ROWS", 10)
    grown = iter(range(0, 10**12, 50 * 1024 * 1024))  # 50 MB more at every look
    monkeypatch.setattr(spreadsheets, "_rss", lambda: next(grown))
    monkeypatch.setattr(spreadsheets, "IMPORT_MEMORY_CEILING", 120 * 1024 * 1024)
    rows = upload_open(io.BytesIO(_workbook())).rows
    read = []
    with pytest.raises(UploadRejected, match="内存超过上限（120 MB）") as refused:
        read.extend(rows)
    assert refused.value.status == 413 and 20 <= len(read) < 41


def test_the_shared_strings_read_as_a_stream_stop_at_the_ceiling_too(monkeypatch):
    monkeypatch.setattr(spreadsheets, "XLSX_STREAM_STRINGS_ABOVE", 0)
    monkeypatch.setattr(spreadsheets, "MEMORY_CHECK_STRINGS", 8)
    grown = iter(range(0, 10**12, 50 * 1024 * 1024))
    monkeypatch.setattr(spreadsheets, "_rss", lambda: next(grown))
    monkeypatch.setattr(spreadsheets, "IMPORT_MEMORY_CEILING", 120 * 1024 * 1024)
    with pytest.raises(UploadRejected, match="内存超过上限"):
        next(iter(upload_open(io.BytesIO(_workbook())).rows))
