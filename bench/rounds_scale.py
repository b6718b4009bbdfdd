"""The round page and the overdue list of one village at 100,000 and 10,000,000 readings.

Run: `python bench/rounds_scale.py [--big 10000000] [--database-url postgres://…]`.
A fresh database is created and dropped; the data is generated here, never stored.
The ratio printed is time(big) / time(small) for the same village, same day: the
goal of issue 4 is ≤ 2.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str | None) -> None:
    data_dir = tempfile.mkdtemp(prefix="fl-bench-")
    os.environ["FRONTLINE_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def timed(fn, repeat: int = 15) -> float:
    """Median seconds of `repeat` runs after two warm-ups."""
    fn()
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build_world(villages: int):
    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role

    district = services.node_create(actor=None, kind=NodeKind.DISTRICT, name="区", parent=None)
    town = services.node_create(actor=None, kind=NodeKind.TOWN, name="镇", parent=district)
    nodes = [
        services.node_create(actor=None, kind=NodeKind.VILLAGE, name=f"村{i}", parent=town)
        for i in range(villages)
    ]
    health = services.user_create(
        actor=None,
        username="bench_health",
        full_name="卫生员",
        password="bench-password-1",
        role=Role.HEALTH_WORKER,
        node=nodes[0],
    )
    return nodes, health


def add_isolations(nodes, count_per_node: int, start: date, active: bool, rng) -> list[int]:
    """Residents, key persons and isolations inserted in bulk; returns isolation ids."""
    from django.utils import timezone

    from frontline.control.models import Isolation, KeyPerson, KeyPersonCategory
    from frontline.core.models import User
    from frontline.people.models import Resident

    category = KeyPersonCategory.objects.first()
    creator = User.objects.get(username="bench_health")
    residents = []
    for node in nodes:
        for _ in range(count_per_node):
            token = f"{rng.getrandbits(128):032x}"
            residents.append(
                Resident(
                    name="测试人",
                    id_cipher=token,
                    id_hash=token + token,
                    gender="M",
                    birth_date=date(1980, 1, 1),
                    address="某村",
                    node=node,
                )
            )
    Resident.objects.bulk_create(residents, batch_size=5000)
    people = KeyPerson.objects.bulk_create(
        [
            KeyPerson(resident=r, node=r.node, category=category, created_by=creator)
            for r in residents
        ],
        batch_size=5000,
    )
    ended = timezone.make_aware(datetime.combine(start + timedelta(days=14), datetime.min.time()))
    isolations = Isolation.objects.bulk_create(
        [
            Isolation(
                key_person=p,
                node=p.node,
                address="某村",
                start_date=start,
                planned_days=14,
                end_date=start + timedelta(days=14),
                status="active" if active else "released",
                # A released isolation ended on its planned day, as the service records it.
                ended_at=None if active else ended,
            )
            for p in people
        ],
        batch_size=5000,
    )
    return [(i.pk, i.node_id) for i in isolations]


def reading_rows(isolations, days: list[date], taker_id: int):
    """Every (isolation, day, slot) reading row, day by day, as an endless-enough stream."""
    from django.utils import timezone

    now = timezone.now().isoformat()
    for day in days:
        for isolation_id, node_id in isolations:
            for slot in ("am", "pm"):
                yield (isolation_id, node_id, day, slot, "36.5", "", False, now, taker_id, now, "")


def insert_readings(rows, count: int) -> int:
    """Insert the next `count` rows of the stream, by COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection, transaction

    columns = (
        "isolation_id, node_id, local_date, slot, value, symptoms, is_fever, taken_at, "
        "taken_by_id, created_at, request_digest"
    )
    written = 0
    while written < count:
        batch = [row for _, row in zip(range(min(50_000, count - written)), rows, strict=False)]
        if not batch:
            break
        # One transaction per batch: in autocommit every row would be its own commit.
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY control_reading ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO control_reading ({columns}) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    batch,
                )
        written += len(batch)
    return written


def explain(health) -> None:
    """Print each query of the round page with its plan (--explain)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frontline.control.selectors import overdue_items, round_items

    with CaptureQueriesContext(connection) as captured:
        round_items(health)
        overdue_items(health)
    for query in captured.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN " + ("QUERY PLAN " if connection.vendor == "sqlite" else "") + query["sql"]
            )
            print(f"  {query['time']}s {query['sql'][:160]}")
            for row in cursor.fetchall():
                print("     ", row)


def measure(health) -> dict[str, float]:
    from frontline.control.selectors import overdue_items, round_items

    return {
        "round page (selector)": timed(lambda: round_items(health)),
        "overdue list (selector)": timed(lambda: overdue_items(health)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=10_000_000)
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server to use (default: SQLite)",
    )
    args = parser.parse_args()
    database_url = args.database_url
    admin_url = database_url
    db_name = None
    if database_url:
        import psycopg

        db_name = f"fl_bench_rounds_{os.getpid()}"
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {db_name}")
        database_url = database_url.rsplit("/", 1)[0] + "/" + db_name
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(4)
        nodes, health = build_world(villages=20)
        today = timezone.localdate()
        # The village being measured: 30 people isolated now.
        active = add_isolations(nodes[:1], 30, today - timedelta(days=5), True, rng)
        history_days = [today - timedelta(days=d) for d in range(6, 6 + 365)]
        recent = [today - timedelta(days=d) for d in range(0, 6)]
        insert_readings(reading_rows(active, recent, health.pk), 10**9)
        # Past isolations across all villages hold the bulk of the readings.
        past = add_isolations(nodes, 700, today - timedelta(days=400), False, rng)
        stream = reading_rows(past, history_days, health.pk)
        insert_readings(stream, args.small)
        small = measure(health)
        from frontline.control.models import Reading

        print(f"{connection.vendor}: {Reading.objects.count():,} readings", flush=True)
        started = time.perf_counter()
        insert_readings(stream, args.big - Reading.objects.count())
        print(
            f"  generated in {time.perf_counter() - started:.0f}s; "
            f"{Reading.objects.count():,} readings",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        big = measure(health)
        if args.explain:
            explain(health)
        for name in small:
            ratio = big[name] / small[name]
            print(
                f"  {name}: {small[name] * 1000:.2f} ms -> {big[name] * 1000:.2f} ms, "
                f"ratio {ratio:.2f} (goal ≤ 2)"
            )
    finally:
        connection.close()
        if db_name:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
