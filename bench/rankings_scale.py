"""The weekly 红黑榜 of a town (24 villages, 100 checkpoints) over a week of figures and over
a year of them.

Run: `python bench/rankings_scale.py [--database-url postgres://…]`. A fresh database is
created (a temporary SQLite file, or `fl_bench_rankings_<pid>` on the server) and dropped.
The same list — last week's — is computed first with only that week's shifts, inspections,
findings, screening records and temperature readings in the database, then after a whole
year of them is added. The ratio printed is time(year) / time(week): issue 19 asks ≤ 2.
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rounds_scale import (  # noqa: E402
    add_isolations,
    insert_readings,
    reading_rows,
    setup_django,
    timed,
)

VILLAGES, CHECKPOINTS = 24, 100


def build(rng):
    from frontline.checkpoints.models import Checkpoint
    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.supervision import services as supervision

    district = services.node_create(actor=None, kind=NodeKind.DISTRICT, name="区", parent=None)
    town = services.node_create(actor=None, kind=NodeKind.TOWN, name="镇", parent=district)
    villages = [
        services.node_create(actor=None, kind=NodeKind.VILLAGE, name=f"村{i}", parent=town)
        for i in range(VILLAGES)
    ]
    inspector = services.user_create(
        actor=None,
        username="bench_health",  # rounds_scale's helpers create with this user
        full_name="督察",
        password="bench-password-1",
        role=Role.INSPECTOR,
        node=town,
    )
    checkpoints = Checkpoint.objects.bulk_create(
        Checkpoint(node=villages[i % VILLAGES], name=f"卡口{i}", kind="village_entrance")
        for i in range(CHECKPOINTS)
    )
    group = supervision.group_create(
        actor=None, node=town, name="督察组", members=[inspector], scope=[town]
    )
    return town, villages, checkpoints, inspector, group


def add_days(days, town, villages, checkpoints, inspector, group, rng) -> None:
    """Shifts with check-ins, inspections with findings, screening records and isolations
    with their readings, for each of the days."""
    from django.utils import timezone

    from frontline.checkpoints.models import Shift, ShiftMember
    from frontline.control.models import Isolation
    from frontline.screening.models import ScreeningRecord
    from frontline.supervision.models import Finding, Inspection, Rubric

    rubrics = {r.target_kind: r for r in Rubric.objects.filter(node=None)}
    tz = timezone.get_current_timezone()
    shifts, inspections, records = [], [], []
    for day in days:
        start = datetime.combine(day, datetime.min.time(), tz) + timedelta(hours=7)
        for checkpoint in checkpoints:
            if rng.random() < 0.9:
                shifts.append(
                    Shift(
                        checkpoint=checkpoint,
                        day=day,
                        starts_at=start,
                        ends_at=start + timedelta(hours=12),
                    )
                )
        for village in villages:
            if rng.random() < 0.95:
                records.append(ScreeningRecord(node=village, day=day, screened_by=inspector))
        for index in range(6):
            checkpoint = rng.choice(checkpoints)
            village = rng.choice(villages)
            kind, target_id, node, label = (
                ("checkpoint", checkpoint.pk, checkpoint.node, checkpoint.name)
                if index % 2
                else ("village", village.pk, village, village.name)
            )
            inspections.append(
                Inspection(
                    group=group,
                    rubric=rubrics[kind],
                    target_kind=kind,
                    target_id=target_id,
                    target_label=label,
                    node=node,
                    inspected_at=start,
                    day=day,
                    inspector=inspector,
                    scores={},
                    total=rng.randint(60, 100),
                    max_total=100,
                    idempotency_key=f"{day}-{index}",
                    request_digest="x",
                )
            )
    shifts = Shift.objects.bulk_create(shifts, batch_size=5000)
    ShiftMember.objects.bulk_create(
        (
            ShiftMember(shift=s, name="值守", kind="volunteer", checked_in_at=s.starts_at)
            for s in shifts
        ),
        batch_size=5000,
    )
    ScreeningRecord.objects.bulk_create(records, batch_size=5000)
    inspections = Inspection.objects.bulk_create(inspections, batch_size=5000)
    Finding.objects.bulk_create(
        (
            Finding(
                inspection=i,
                node=i.node,
                text="问题",
                deadline=i.day + timedelta(days=3),
                status="rectified" if rng.random() < 0.8 else "open",
                rectified_at=i.inspected_at + timedelta(days=2),
            )
            for i in inspections
            if rng.random() < 0.35
        ),
        batch_size=5000,
    )
    # Two households isolated per village every fortnight, each read twice a day.
    for first in days[::14]:
        isolations = add_isolations(villages, 2, first, False, rng)
        Isolation.objects.filter(pk__in=[pk for pk, _ in isolations]).update(
            ended_at=datetime.combine(first + timedelta(days=14), datetime.min.time(), tz)
        )
        span = [
            first + timedelta(days=d) for d in range(14) if first + timedelta(days=d) in set(days)
        ]
        insert_readings(reading_rows(isolations, span, inspector.pk), 10**9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server to use (default: SQLite)",
    )
    args = parser.parse_args()
    database_url, db_name = args.database_url, None
    if database_url:
        import psycopg

        db_name = f"fl_bench_rankings_{os.getpid()}"
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {db_name}")
        database_url = database_url.rsplit("/", 1)[0] + "/" + db_name
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from frontline.supervision import ranking

    try:
        call_command("migrate", verbosity=0)
        rng = random.Random(19)
        town, villages, checkpoints, inspector, group = build(rng)
        period = ranking.period_of("week", timezone.localdate() - timedelta(days=7))
        week = [period.start + timedelta(days=d) for d in range(7)]
        add_days(week, town, villages, checkpoints, inspector, group, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        small = timed(lambda: ranking.compute(town, period), repeat=7)
        before = [period.start - timedelta(days=d) for d in range(358, 0, -1)]
        started = time.perf_counter()
        add_days(before, town, villages, checkpoints, inspector, group, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        from frontline.checkpoints.models import ShiftMember
        from frontline.control.models import Reading
        from frontline.supervision.models import Inspection

        print(
            f"{connection.vendor}: a year added in {time.perf_counter() - started:.0f}s — "
            f"{ShiftMember.objects.count():,} check-ins, {Inspection.objects.count():,} "
            f"inspections, {Reading.objects.count():,} readings",
            flush=True,
        )
        big = timed(lambda: ranking.compute(town, period), repeat=7)
        print(
            f"  weekly list, {VILLAGES} villages + {CHECKPOINTS} checkpoints: "
            f"{small * 1000:.1f} ms (a week of figures) -> {big * 1000:.1f} ms (a year), "
            f"ratio {big / small:.2f} (goal ≤ 2)"
        )
    finally:
        connection.close()
        if db_name:
            import psycopg

            with psycopg.connect(args.database_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {db_name}")


if __name__ == "__main__":
    main()
