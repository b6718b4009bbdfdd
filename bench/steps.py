"""One measured step per process, so each peak memory is its own: python -m bench.steps STEP ...

Prints one JSON line: {"seconds": ..., "peak_mb": ..., ...}.
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django.utils.timezone
from django.core.management import call_command
from django.db import connection, transaction

# Each step runs in a process set up as a server worker is (Django loaded, then what
# was loaded frozen out of the cyclic collector's passes): the floor and the
# django-import-export baseline as much as Frontline.
import config.wsgi  # noqa: F401
from frontline.core import spreadsheets
from frontline.core.models import Node, NodeKind, User
from frontline.core.roles import Role

# Rosters of a million rows are bigger than a page upload may be; the checks stay on.
spreadsheets.XLSX_MAX_UNCOMPRESSED = 4 * 1024**3


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _villages() -> dict[str, list[str]]:
    town = Node.objects.get(kind=NodeKind.TOWN, name="赣榆经济开发区")
    return {
        v.name: [g.name for g in v.children.filter(kind=NodeKind.GRID)]
        for v in town.children.filter(kind=NodeKind.VILLAGE)
    }


def setup() -> dict:
    """A fresh schema with the demo tree and users (no demo residents)."""
    from frontline.core.demo import build_zone

    call_command("migrate", run_syncdb=True, verbosity=0)
    with transaction.atomic():
        build_zone()
    return {}


def generate(path: str, count: str, strings: str = "inline") -> dict:
    from bench.roster import roster_write

    started = time.perf_counter()
    roster_write(Path(path), int(count), _villages(), shared_strings=strings == "shared")
    return {"seconds": time.perf_counter() - started, "bytes": Path(path).stat().st_size}


# ---------------------------------------------------------------- the floor

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _plain_id_ok(value: str) -> bool:
    import datetime

    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    if "10X98765432"[total % 11] != value[17].upper():
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return True


def _floor_rows(path: str) -> list[tuple]:
    """calamine read + plain-Python checks: the good rows as plain tuples."""
    import re

    from python_calamine import CalamineWorkbook

    phone_re = re.compile(r"1[3-9]\d{9}")
    villages = _villages()
    sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    rows = sheet.iter_rows()
    next(rows)
    good = []
    seen = set()
    for row in rows:
        name, id_number, phone, village, grid = (str(c).strip() for c in row[:5])
        if not name or not _plain_id_ok(id_number) or id_number in seen:
            continue
        if phone and not phone_re.fullmatch(phone):
            continue
        if village not in villages or (grid and grid not in villages[village]):
            continue
        seen.add(id_number)
        good.append((name, id_number, phone, village, grid, *(str(c) for c in row[5:9])))
    return good


def _copy_or_executemany(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def floor(path: str) -> dict:
    """calamine read + plain-Python checks + raw executemany (COPY on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS floor_resident")
        cursor.execute(
            "CREATE TABLE floor_resident (name varchar(50), id_number varchar(18) UNIQUE,"
            " phone varchar(20), village varchar(50), grid varchar(50), household varchar(30),"
            " relation varchar(20), address varchar(200), tags varchar(100))"
        )
    started = time.perf_counter()
    good = _floor_rows(path)
    columns = ("name", "id_number", "phone", "village", "grid", "household", "relation")
    columns += ("address", "tags")
    with transaction.atomic(), connection.cursor() as cursor:
        _copy_or_executemany(cursor, "floor_resident", columns, good)
    return {"seconds": time.perf_counter() - started, "rows": len(good), "peak_mb": _peak_mb()}


def floor_registry(path: str) -> dict:
    """The floor's read and checks, written into the registry's own table (its indexes
    and foreign keys) as plain values: what the table costs, without Frontline's
    machinery (no encryption, no hashing, no households or tags, no preview)."""
    from datetime import date

    from frontline.people.models import Resident

    with connection.cursor() as cursor:  # Frontline's rows from the step before
        cursor.execute("DELETE FROM people_resident_tags")
        cursor.execute("DELETE FROM people_resident")
        cursor.execute("DELETE FROM people_household")
    town = Node.objects.get(kind=NodeKind.TOWN, name="赣榆经济开发区")
    places = {}
    for village in town.children.filter(kind=NodeKind.VILLAGE):
        places[(village.name, "")] = village.pk
        for grid in village.children.filter(kind=NodeKind.GRID):
            places[(village.name, grid.name)] = grid.pk
    now = django.utils.timezone.now()
    started = time.perf_counter()
    values = []
    for name, id_number, phone, village, grid, _household, _relation, address, _tags in _floor_rows(
        path
    ):
        birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        values.append(
            (
                name,
                id_number,
                id_number,
                phone,
                phone,
                phone[-4:],
                "MF"[int(id_number[16]) % 2],
                birth,
                address,
                places[(village, grid)],
                "",
                "",
                now,
                now,
            )
        )
    columns = ("name", "id_cipher", "id_hash", "phone_cipher", "phone_hash", "phone_last4")
    columns += ("gender", "birth_date", "address", "node_id", "relation", "notes")
    columns += ("created_at", "updated_at")
    with transaction.atomic(), connection.cursor() as cursor:
        _copy_or_executemany(cursor, Resident._meta.db_table, columns, values)
    return {"seconds": time.perf_counter() - started, "rows": len(values), "peak_mb": _peak_mb()}


# ---------------------------------------------------------------- Frontline


def frontline(path: str, *, commit: bool = True) -> dict:
    """The whole import: preview (read, check, classify, seal), commit (encrypt, write, audit)."""
    from frontline.people import imports
    from frontline.people.models import Resident

    imports.RosterImporter.max_bytes = 4 * 1024**3
    actor = User.objects.get(username="admin")
    started = time.perf_counter()
    with open(path, "rb") as upload:
        roster = imports.roster_preview(actor=actor, upload=upload, filename="bench.xlsx")
    previewed = time.perf_counter()
    assert roster.bad_count == 0, roster.errors[:5]
    if commit:
        imports.roster_commit(actor=actor, roster=roster)
    finished = time.perf_counter()
    return {
        "seconds": finished - started,
        "preview_seconds": previewed - started,
        "commit_seconds": finished - previewed,
        "rows": Resident.objects.count(),
        "peak_mb": _peak_mb(),
    }


def frontline_preview(path: str) -> dict:
    """The preview alone (bench/instructions.py counts the commit as the difference)."""
    return frontline(path, commit=False)


def noop() -> dict:
    """What the import steps load before they start, and nothing else: the baseline that
    bench/instructions.py subtracts."""
    from frontline.people import imports  # noqa: F401

    User.objects.get(username="admin")
    return {}


# ---------------------------------------------------------------- django-import-export


def importexport(path: str) -> dict:
    """django-import-export 4.x, default settings: tablib reads the .xlsx, the resource imports."""
    import tablib
    from import_export import fields, resources

    from bench.plain.models import PlainResident
    from frontline.people.roster import COLUMN_LABELS

    columns = {key: label for key, label in COLUMN_LABELS.items() if key != "notes"}

    class PlainResidentResource(resources.ModelResource):
        class Meta:
            model = PlainResident
            import_id_fields = ("id_number",)
            fields = tuple(columns)

    for attr, column in columns.items():
        field = fields.Field(attribute=attr, column_name=column)
        PlainResidentResource.fields[attr] = field

    started = time.perf_counter()
    with open(path, "rb") as handle:
        dataset = tablib.Dataset().load(handle, format="xlsx")
    result = PlainResidentResource().import_data(dataset, dry_run=False)
    assert not result.has_errors(), result.row_errors()[:3]
    return {
        "seconds": time.perf_counter() - started,
        "rows": PlainResident.objects.count(),
        "peak_mb": _peak_mb(),
    }


# ---------------------------------------------------------------- the list page


def residents_fill(count: str) -> dict:
    """Replace the registry with `count` residents spread over every village grid."""
    from frontline.core.personal_data import encrypt, id_number_make, keyed_hash

    total = int(count)
    grids = list(Node.objects.filter(kind=NodeKind.GRID, parent__kind=NodeKind.VILLAGE))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_resident_tags")
        cursor.execute("DELETE FROM people_resident")
    from datetime import date, timedelta

    now = django.utils.timezone.now()
    batch = []
    sql = (
        "INSERT INTO people_resident (name, id_cipher, id_hash, phone_cipher, phone_hash,"
        " phone_last4, gender, birth_date, address, node_id, household_id, relation, notes,"
        " created_at, updated_at) VALUES (%s, %s, %s, '', '', '', %s, %s, '', %s, NULL, '', '',"
        " %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for n in range(total):
            birth = date(1930, 1, 1) + timedelta(days=(n // 2) % 30000)
            value = id_number_make("320721" if n % 2 else "320707", birth, 100 + n // 60000)
            batch.append(
                (
                    # Names independent of registration order, as real names are: numbered
                    # in order, every 居民99… of a village would be among its last.
                    f"居民{n * 7919 % total}",
                    encrypt(value),
                    keyed_hash(value),
                    "F",
                    birth,
                    grids[n % len(grids)].pk,
                    now,
                    now,
                )
            )
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        # What autovacuum does on a live server: statistics, and the visibility map
        # that lets PostgreSQL answer from an index alone.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"seconds": time.perf_counter() - started, "rows": total}


def listpage(repeats: str = "20") -> dict:
    """Median milliseconds of the people list as the town leader and as a village cadre."""
    from django.test import Client

    from frontline.core import services

    town = Node.objects.get(kind=NodeKind.TOWN, name="赣榆经济开发区")
    leader, _ = User.objects.get_or_create(username="bench_leader")
    if not leader.roles.exists():
        services.role_assign(actor=None, user=leader, role=Role.LEADER, node=town)
    cadre = User.objects.get(username="cadre_sandian")
    timings = {}
    for label, user, query in (
        ("leader_page1", leader, ""),
        ("leader_page50", leader, "?page=50"),
        ("cadre_page1", cadre, ""),
        ("leader_name", leader, "?q=%E5%B1%85%E6%B0%9199"),
    ):
        client = Client()
        client.force_login(user)
        for _ in range(3):  # warm the caches, as a page in use is
            client.get("/people/" + query)
        samples = []
        for _ in range(int(repeats)):
            started = time.perf_counter()
            response = client.get("/people/" + query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings[label] = statistics.median(samples)
    return timings


STEPS = {
    "setup": setup,
    "generate": generate,
    "floor": floor,
    "floor_registry": floor_registry,
    "frontline": frontline,
    "frontline_preview": frontline_preview,
    "noop": noop,
    "importexport": importexport,
    "residents_fill": residents_fill,
    "listpage": listpage,
}

if __name__ == "__main__":
    step, *args = sys.argv[1:]
    print(json.dumps(STEPS[step](*args)))
