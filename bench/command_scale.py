"""The command dashboard, `/api/v1/figures` and the battle report of a town at a small
and a big number of readings (issue 20: the page costs the same at 10,000,000 readings
as at 100,000, because closed days come from the daily rollups and only today is counted).

Run: `python bench/command_scale.py [--small 100000] [--big 10000000] [--residents-small
10000] [--residents-big 1000000] [--database-url …]`. A fresh database is created and
dropped; the data is generated here, never stored. The ratios printed are time(big) /
time(small) for the same town and day (goal ≤ 2), and the month's report over one day's
report at the big size (goal ≤ 2). The pages are timed warm (closed days already kept, as
every read after the morning run finds them); the morning run itself (`battle_prepare`,
the last three closed days of every node counted from the rows) is timed once, cold.
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


def add_residents(nodes, count: int, rng) -> None:
    """`count` more residents spread over the villages, in bulk."""
    from datetime import date

    from frontline.people.models import Resident

    batch = []
    for n in range(count):
        token = f"{rng.getrandbits(128):032x}"
        batch.append(
            Resident(
                name="测试人",
                id_cipher=token,
                id_hash=token + token,
                gender="F" if n % 2 else "M",
                birth_date=date(1960 + n % 50, 1 + n % 12, 1),
                address="某村",
                node=nodes[n % len(nodes)],
            )
        )
        if len(batch) == 20_000:
            Resident.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Resident.objects.bulk_create(batch, batch_size=5000)


def morning_run() -> float:
    """Seconds for the scheduler's morning command with no day kept yet."""
    from django.core.management import call_command

    from frontline.command.models import FigureDay

    FigureDay.objects.all().delete()
    started = time.perf_counter()
    call_command("battle_prepare", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


def figure_times(leader, town, days: int = 1) -> dict[str, float]:
    """Seconds each figure takes counted from the rows for the town's last `days` days
    (--profile): today alone is what every page counts live; 30 days is what a month's
    report counts live for its `distinct` figures."""
    from django.utils import timezone

    from frontline.command.selectors import figures_visible

    today = timezone.localdate()
    times = {}
    for figure in figures_visible(leader, town):
        if days > 1 and figure.kind != "distinct":
            continue
        started = time.perf_counter()
        figure.compute(town, today - timedelta(days=days - 1), today)
        times[figure.key] = time.perf_counter() - started
    return times


def measure(leader, town) -> dict[str, float]:
    from django.utils import timezone

    from frontline.command.report import battle_report
    from frontline.command.selectors import figure_values
    from frontline.command.views import _dashboard_context

    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    month = today - timedelta(days=29)
    return {
        "morning run, cold": morning_run(),
        "dashboard, today": timed(lambda: _dashboard_context(leader, town, today, today), 5),
        "figures API, today": timed(lambda: figure_values(leader, town, today, today), 5),
        "figures API, 30 days": timed(lambda: figure_values(leader, town, month, today), 5),
        "battle report, today": timed(lambda: battle_report(leader, town, today, today), 5),
        "battle report, yesterday": timed(
            lambda: battle_report(leader, town, yesterday, yesterday), 5
        ),
        "battle report, 30 days to today": timed(
            lambda: battle_report(leader, town, month, today), 5
        ),
        "battle report, 30 days to yesterday": timed(
            lambda: battle_report(leader, town, month - timedelta(days=1), yesterday), 5
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=10_000_000)
    parser.add_argument("--profile", action="store_true", help="each figure's time, live")
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL database to look into it"
    )
    parser.add_argument("--residents-small", type=int, default=10_000)
    parser.add_argument("--residents-big", type=int, default=1_000_000)
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
    from frontline.people.models import Resident

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
        add_residents(nodes, args.residents_small - Resident.objects.count(), rng)
        print(
            f"{connection.vendor}: {Resident.objects.count():,} residents, "
            f"{Reading.objects.count():,} readings",
            flush=True,
        )
        small = measure(leader, town)
        small_figures = figure_times(leader, town) if args.profile else {}
        started = time.perf_counter()
        insert_readings(stream, args.big - Reading.objects.count())
        add_residents(nodes, args.residents_big - Resident.objects.count(), rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"  generated in {time.perf_counter() - started:.0f}s; "
            f"{Resident.objects.count():,} residents, {Reading.objects.count():,} readings",
            flush=True,
        )
        big = measure(leader, town)
        if args.profile:
            big_figures = figure_times(leader, town)
            for key in sorted(big_figures, key=big_figures.get, reverse=True)[:12]:
                print(
                    f"  figure {key}, today: {small_figures[key] * 1000:.1f} ms -> "
                    f"{big_figures[key] * 1000:.1f} ms"
                )
            month_figures = figure_times(leader, town, 30)
            for key in sorted(month_figures, key=month_figures.get, reverse=True):
                print(f"  figure {key}, 30 days (distinct): {month_figures[key] * 1000:.1f} ms")
        for name in small:
            print(
                f"  {name}: {small[name] * 1000:.1f} ms -> {big[name] * 1000:.1f} ms, "
                f"ratio {big[name] / small[name]:.2f} (goal ≤ 2)"
            )
        # Today is always counted live, closed days come from the rollups: a month is
        # compared with a day of its own kind.
        for last in ("yesterday", "today"):
            ratio = big[f"battle report, 30 days to {last}"] / big[f"battle report, {last}"]
            print(f"  the month's report to {last} over {last}'s alone: {ratio:.2f} (goal ≤ 2)")
    finally:
        connection.close()
        if db_name and args.keep:
            print(f"  kept database {db_name}")
        elif db_name:
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
