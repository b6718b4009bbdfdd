"""Frontline benchmarks, each a ratio against a baseline measured in the same run.

1. Logging a passer (POST /api/v1/checkpoints/{id}/passers) vs the no-op
   GET /api/v1/ping, 20 concurrent clients: p95 within 2×.
2. The coverage board of a town with 200 units holding a year of screening
   records vs a town of 200 units holding a week, on the same server, in
   interleaved rounds: within 2×.

    .venv/bin/python bench/run.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

The data is generated in the run, into a database made for it and dropped after.
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    BenchServer,
    ratio_line,
    write_vs_ping,
)  # bench/ is run as a script, not a package

UNITS_VILLAGES = 20
UNITS_ENTERPRISES = 180


def build_town(district, name: str):
    """A town with 20 villages and 180 enterprises in 6 grids, and its leader."""
    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role

    create = services.node_create
    town = create(actor=None, kind=NodeKind.TOWN, name=name, parent=district)
    villages = [
        create(actor=None, kind=NodeKind.VILLAGE, name=f"第{i + 1}村", parent=town)
        for i in range(UNITS_VILLAGES)
    ]
    grids = [
        create(actor=None, kind=NodeKind.GRID, name=f"企业第{i + 1}网格", parent=town)
        for i in range(6)
    ]
    enterprises = [
        create(actor=None, kind=NodeKind.ENTERPRISE, name=f"企业{i + 1:03d}", parent=grids[i % 6])
        for i in range(UNITS_ENTERPRISES)
    ]
    leader = services.user_create(
        actor=None,
        username=f"leader_{town.pk}",
        full_name="王建国",
        password=uuid.uuid4().hex,
        role=Role.LEADER,
        node=town,
    )
    return town, villages + enterprises, leader


def build_district():
    from frontline.core import services
    from frontline.core.models import NodeKind

    return services.node_create(actor=None, kind=NodeKind.DISTRICT, name="赣榆区", parent=None)


def bench_passers(server: BenchServer, args, district) -> list[str]:
    from frontline.checkpoints import services
    from frontline.core.roles import Role
    from frontline.core.services import user_create

    _town, units, leader = build_town(district, "赣榆经济开发区")
    volunteer = user_create(
        actor=None,
        username="bench_volunteer",
        full_name="孙志强",
        password=uuid.uuid4().hex,
        role=Role.VOLUNTEER,
        node=units[0],
    )
    checkpoint = services.checkpoint_create(
        actor=leader, node=units[0], name="东村口", kind="village_entrance"
    )
    token = server.token_for(volunteer)
    server.start()
    run = uuid.uuid4().hex[:8]
    rng = random.Random(7)

    def passer(index: int) -> dict:
        vehicle = index % 3 == 0
        return {
            "kind": "vehicle" if vehicle else "person",
            "plate": f"苏G{10000 + index % 90000}" if vehicle else "",
            "people": 2 if vehicle else 1,
            "origin": rng.choice(["本村", "青口镇", "海州区"]),
            "destination": "开发区",
            "temperature": f"{36 + rng.randint(0, 9) / 10:.1f}",
            "outcome": "pass",
            "idempotency_key": f"{run}-{uuid.uuid4().hex}",
        }

    lines = write_vs_ping(
        server,
        label="passer",
        path=f"/api/v1/checkpoints/{checkpoint.pk}/passers",
        body=passer,
        token=token,
        clients=args.clients,
        requests=args.requests,
        seconds=args.seconds,
        rounds=args.rounds,
    )
    server.stop()
    return lines


def _records(units, screener, items, days):
    from frontline.screening.models import ScreeningRecord

    rng = random.Random(2020)
    checks = [{"item": item.pk, "label": item.label, "ok": True} for item in items]
    for day in days:
        for unit in units:
            if rng.random() < 0.93:
                yield ScreeningRecord(
                    node=unit, day=day, screened_by=screener, checks=checks, findings=""
                )


def bench_coverage(server: BenchServer, args, district) -> list[str]:
    """Two towns of 200 units each, one with a week of records and one with a year,
    measured in interleaved rounds on the same server."""
    from django.db import connection
    from django.utils import timezone

    from frontline.screening import services
    from frontline.screening.models import ScreeningRecord

    today = timezone.localdate()
    history = {"a week": 7, "a year": 365}
    towns, counts = {}, {}
    for label, days in history.items():
        town, units, leader = build_town(district, f"{label}镇")
        items = services.checklist_defaults_create(actor=leader, node=town)
        for unit in units[:UNITS_VILLAGES]:
            services.assignment_create(actor=leader, node=unit, assignee=leader)
        dates = [today - timedelta(days=n) for n in range(days)]
        created = ScreeningRecord.objects.bulk_create(
            _records(units, leader, items, dates), batch_size=5000
        )
        towns[label] = (town, server.session_cookie_for(leader))
        counts[label] = len(created)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # a live database has planner statistics
    pages = {
        "board (day)": "/screening/?node={}",
        "board (week view)": "/screening/week/?node={}",
        "API coverage": "/api/v1/screening/coverage?node={}",
    }
    rounds = args.rounds
    server.start()
    results: dict[tuple[str, str], object] = {}
    for _ in range(rounds):
        for page, path in pages.items():
            for label, (town, cookie) in towns.items():
                one = server.load(
                    "GET",
                    path.format(town.pk),
                    name=f"{page}, {label}",
                    cookie=cookie,
                    clients=4,
                    max_requests=max(1, args.page_requests // rounds),
                    max_seconds=args.seconds / rounds,
                    warmup=4,
                )
                key = (page, label)
                results[key] = one if key not in results else results[key].merged(one)
    server.stop()
    lines = [f"records: a week = {counts['a week']}, a year = {counts['a year']}"]
    lines += [result.summary() for result in results.values()]
    for page in pages:
        week, year = results[(page, "a week")], results[(page, "a year")]
        lines.append(ratio_line(f"{page}: a year / a week (median)", year.median, week.median, 2))
        lines.append(ratio_line(f"{page}: a year / a week (p95)", year.p95, week.p95, 2))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000, help="per side, API benchmark")
    parser.add_argument("--page-requests", type=int, default=120, help="per page and data size")
    parser.add_argument("--seconds", type=float, default=40, help="time limit per side")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds, API benchmark")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to use")
    parser.add_argument("--only", choices=["passers", "coverage"], default="")
    args = parser.parse_args()

    lines: list[str] = []
    with BenchServer(
        port=args.port, threads=args.threads, database_url=args.database_url
    ) as server:
        from django.db import connection

        district = build_district()
        lines.append(
            f"database: {connection.vendor}; gunicorn: 2 workers × {args.threads} threads"
            f" on 127.0.0.1:{args.port}; {args.clients} clients"
        )
        if args.only in ("", "passers"):
            lines += bench_passers(server, args, district)
        if args.only in ("", "coverage"):
            lines += bench_coverage(server, args, district)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
