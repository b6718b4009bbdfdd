"""The command dashboard, `/api/v1/figures` and the battle report of a town at a small
and a big number of readings (issue 20: the page costs the same at 10,000,000 readings
as at 100,000, because closed days come from the daily rollups and only today is counted).

Run: `python bench/command_scale.py [--small 100000] [--big 10000000] [--database-url …]`.
A fresh database is created and dropped; the data is generated here, never stored. The
ratios printed are time(big) / time(small) for the same town and day (goal ≤ 2), and the
month's report over one day's report at the big size (goal ≤ 2).
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rounds_scale import (  # noqa: E402
    add_isolations,
    build_world,
    insert_readings,
    reading_rows,
    setup_django,
    timed,
)


def measure(leader, town) -> dict[str, float]:
    from django.utils import timezone

    from frontline.command.report import battle_report
    from frontline.command.selectors import figure_values
    from frontline.command.views import _dashboard_context

    today = timezone.localdate()
    month = today - timedelta(days=29)
    return {
        "dashboard, today": timed(lambda: _dashboard_context(leader, town, today, today), 5),
        "figures API, today": timed(lambda: figure_values(leader, town, today, today), 5),
        "figures API, 30 days": timed(lambda: figure_values(leader, town, month, today), 5),
        "battle report, yesterday": timed(
            lambda: battle_report(
                leader, town, today - timedelta(days=1), today - timedelta(days=1)
            ),
            5,
        ),
        "battle report, 30 days": timed(lambda: battle_report(leader, town, month, today), 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=10_000_000)
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

        db_name = f"fl_bench_command_{os.getpid()}"
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {db_name}")
        database_url = database_url.rsplit("/", 1)[0] + "/" + db_name
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from frontline.control.models import Reading
    from frontline.core import services
    from frontline.core.roles import Role

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(20)
        nodes, health = build_world(villages=20)
        town = nodes[0].parent
        leader = services.user_create(
            actor=None,
            username="bench_leader",
            full_name="镇领导",
            password="bench-password-1",
            role=Role.LEADER,
            node=town,
        )
        today = timezone.localdate()
        active = add_isolations(nodes, 30, today - timedelta(days=40), True, rng)
        recent = [today - timedelta(days=d) for d in range(0, 40)]
        insert_readings(reading_rows(active, recent, health.pk), 10**9)
        past = add_isolations(nodes, 700, today - timedelta(days=400), False, rng)
        history = [today - timedelta(days=d) for d in range(41, 41 + 365)]
        stream = reading_rows(past, history, health.pk)
        insert_readings(stream, args.small - Reading.objects.count())
        print(f"{connection.vendor}: {Reading.objects.count():,} readings", flush=True)
        small = measure(leader, town)
        started = time.perf_counter()
        insert_readings(stream, args.big - Reading.objects.count())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"  generated in {time.perf_counter() - started:.0f}s; "
            f"{Reading.objects.count():,} readings",
            flush=True,
        )
        big = measure(leader, town)
        for name in small:
            print(
                f"  {name}: {small[name] * 1000:.1f} ms -> {big[name] * 1000:.1f} ms, "
                f"ratio {big[name] / small[name]:.2f} (goal ≤ 2)"
            )
        month_over_day = big["battle report, 30 days"] / big["battle report, yesterday"]
        print(f"  the month's report over one day's: {month_over_day:.2f} (goal ≤ 2)")
    finally:
        connection.close()
        if db_name:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
