"""The enterprise list (复工复产, `GET /enterprises/` and `GET /api/v1/enterprises`) of a town
with 10,000 enterprises and 1,000,000 employees against a town with 160 and 10,000 (issue
18: within 2×), through gunicorn on loopback, 4 clients.

    .venv/bin/python bench/enterprises_scale.py [--big 10000 --employees 1000000]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

First the small town alone is measured; then the big town is added to the same database
(nodes, records, residents and employees by COPY on PostgreSQL, executemany on SQLite,
planner statistics gathered) and both leaders' lists are measured in interleaved rounds,
so a busy moment of the machine hits both. The data is generated here, never stored.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer, ratio_line  # bench/ is run as a script, not a package

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GRIDS = 40  # enterprise grids of the big town; the small town has 4
VILLAGES = 20  # where the employees live
_codes = itertools.count(1)
_uscc = itertools.count(1)


def _code() -> str:
    """A unique 8-character card code (base 31 of a counter)."""
    n, out = next(_codes), []
    for _ in range(8):
        n, r = divmod(n, len(ALPHABET))
        out.append(ALPHABET[r])
    return "".join(out)


def _credit_code() -> str:
    from stdnum.cn import uscc

    body = f"91320707MA{next(_uscc):07d}"
    return body + uscc.calc_check_digit(body)


def _insert(model, columns: list[str], rows) -> int:
    """Rows (tuples in `columns` order) into the model's table in 50,000-row transactions:
    COPY on PostgreSQL, executemany on SQLite. Returns the count."""
    from django.db import connection, transaction

    table = model._meta.db_table
    names = ", ".join(columns)
    count = 0
    rows = iter(rows)
    while True:
        batch = list(itertools.islice(rows, 50_000))
        if not batch:
            return count
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
        count += len(batch)


def _now():
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    # SQLite stores naive UTC text; psycopg takes the aware datetime.
    return now if connection.vendor == "postgresql" else now.replace(tzinfo=None).isoformat(" ")


def _nodes(parent, kind: str, names: list[str]):
    """Child nodes in bulk with their materialised paths (ids reserved above the max)."""
    from django.db import connection
    from django.db.models import Max

    from frontline.core.models import PATH_SEGMENT as SEG
    from frontline.core.models import Node

    start = (Node.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    now = _now()
    rows = [
        (start + i, kind, name, parent.pk, parent.path + f"{start + i:0{SEG}d}", parent.depth + 1)
        for i, name in enumerate(names)
    ]
    columns = ["id", "kind", "name", "parent_id", "path", "depth"]
    _insert(Node, [*columns, "is_active", "created_at"], ((*r, True, now) for r in rows))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('core_node', 'id'), %s)", [start + len(names)]
            )
    return list(Node.objects.filter(pk__gte=start, pk__lt=start + len(names)).order_by("pk"))


def build_town(name: str, enterprises: int, employees: int, leader_name: str, rng):
    """A town with its enterprise grids, villages, `enterprises` registered enterprises
    (applications in every state) and `employees` residents on their rosters."""
    from django.db.models import Max

    from frontline.core import services
    from frontline.core.models import Node, NodeKind
    from frontline.core.roles import Role
    from frontline.enterprises.models import (
        Application,
        AppState,
        Employee,
        Enterprise,
        FilingMode,
        Headcount,
        Sector,
    )
    from frontline.people.models import Resident

    district = Node.objects.filter(kind=NodeKind.DISTRICT).first() or services.node_create(
        actor=None, kind=NodeKind.DISTRICT, name="区", parent=None
    )
    town = services.node_create(actor=None, kind=NodeKind.TOWN, name=name, parent=district)
    leader = services.user_create(
        actor=None,
        username=leader_name,
        full_name="镇领导",
        password="bench-password-1",
        role=Role.LEADER,
        node=town,
    )
    grids = _nodes(town, NodeKind.GRID, [f"企业网格{i}" for i in range(max(4, enterprises // 250))])
    villages = _nodes(town, NodeKind.VILLAGE, [f"村{i}" for i in range(VILLAGES)])
    names = [f"{name}企业{i:05d}有限公司" for i in range(enterprises)]
    nodes = []
    for g, grid in enumerate(grids):
        nodes += _nodes(grid, NodeKind.ENTERPRISE, names[g :: len(grids)])
    sectors = list(Sector.objects.values_list("pk", flat=True))
    now, today = _now(), time.strftime("%Y-%m-%d")
    first = (Enterprise.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    records = []
    for node in nodes:
        planned = rng.randint(15, 600)
        records.append(
            (node.pk, _credit_code(), rng.choice(sectors), planned, planned // 2, "", now)
        )
    _insert(
        Enterprise,
        [
            "node_id",
            "uscc",
            "sector_id",
            "planned_headcount",
            "onsite_headcount",
            "party_branch",
            "created_at",
        ],
        records,
    )
    ids = list(
        Enterprise.objects.filter(pk__gte=first, node__path__startswith=town.path).values_list(
            "pk", flat=True
        )
    )
    _insert(
        Headcount,
        ["enterprise_id", "day", "onsite", "recorded_at"],
        ((pk, today, 10, now) for pk in ids),
    )
    states = [*AppState.values, None]
    _insert(
        Application,
        ["enterprise_id", "state", "mode", "round", "filed_by_id", "created_at", "approved_on"],
        (
            (pk, state, FilingMode.PROXY, 1, leader.pk, now, today if state == "approved" else None)
            for pk in ids
            if (state := states[pk % len(states)]) is not None
        ),
    )
    first_resident = (Resident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    village_ids = [v.pk for v in villages]
    written = _insert(
        Resident,
        [
            "name",
            "id_cipher",
            "id_hash",
            "phone_cipher",
            "phone_hash",
            "phone_last4",
            "gender",
            "address",
            "node_id",
            "relation",
            "notes",
            "created_at",
            "updated_at",
        ],
        (
            (f"员工{i}", "", "", "", "", "", "", "", village_ids[i % VILLAGES], "", "", now, now)
            for i in range(employees)
        ),
    )
    per = max(1, employees // len(ids))
    _insert(
        Employee,
        [
            "enterprise_id",
            "resident_id",
            "origin",
            "from_affected_area",
            "commute",
            "card_version",
            "card_revoked",
            "code",
            "created_at",
        ],
        (
            (
                ids[min(i // per, len(ids) - 1)],
                first_resident + i,
                "",
                False,
                "commute",
                1,
                False,
                _code(),
                now,
            )
            for i in range(written)
        ),
    )
    return leader


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8118)
    parser.add_argument("--small", type=int, default=160)
    parser.add_argument("--small-employees", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=150, help="per page, per round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    rng = random.Random(18)

    with BenchServer(port=args.port, database_url=args.database_url) as server:
        from django.core.management import call_command
        from django.db import connection

        # Pages link hashed static names: gunicorn (DEBUG off) needs the manifest.
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.monotonic()
        small = build_town("小镇", args.small, args.small_employees, "leader_small", rng)
        analyse()
        print(f"small town built in {time.monotonic() - started:.0f} s", flush=True)
        cookies = {"small": server.session_cookie_for(small)}
        pages = {"page": "/enterprises/", "approved": "/enterprises/?status=approved"}

        def measure(which: str, label: str, rounds: int):
            results = {}
            for _ in range(rounds):
                for key, path in pages.items():
                    result = server.load(
                        "GET",
                        path,
                        name=f"{label} {key}",
                        cookie=cookies[which],
                        clients=args.clients,
                        max_requests=args.requests,
                        warmup=5,
                    )
                    results[key] = results[key].merged(result) if key in results else result
            return results

        server.start()
        alone = measure("small", "small alone", 2)
        server.stop()

        started = time.monotonic()
        big = build_town("大镇", args.big, args.employees, "leader_big", rng)
        analyse()
        print(
            f"big town built in {time.monotonic() - started:.0f} s "
            f"({args.big} enterprises, {args.employees} employees)",
            flush=True,
        )
        cookies["big"] = server.session_cookie_for(big)
        server.start()
        both: dict[str, dict] = {"small": {}, "big": {}}
        for _ in range(args.rounds):
            for which in ("small", "big"):
                for key, result in measure(which, which, 1).items():
                    kept = both[which].get(key)
                    both[which][key] = kept.merged(result) if kept else result

        print(f"database: {connection.vendor}; gunicorn: 2 workers on 127.0.0.1:{args.port}")
        for key in pages:
            print(alone[key].summary())
            print(both["small"][key].summary())
            print(both["big"][key].summary())
            for stat in ("median", "p95"):
                print(
                    ratio_line(
                        f"{key} {stat}, big town / small town (same moment)",
                        getattr(both["big"][key], stat),
                        getattr(both["small"][key], stat),
                        2,
                    )
                )
                print(
                    ratio_line(
                        f"{key} {stat}, big town / small town alone (before growing)",
                        getattr(both["big"][key], stat),
                        getattr(alone[key], stat),
                        2,
                    )
                )


if __name__ == "__main__":
    main()
