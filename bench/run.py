"""Frontline benchmarks, each a ratio against a baseline measured in the same run.

1. Logging a passer (POST /api/v1/checkpoints/{id}/passers) vs the no-op
   GET /api/v1/ping, 20 concurrent clients: p95 within 2×.
2. The coverage board of a town with 200 units holding a year of screening
   records vs the same board holding a week: within 2×.

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
from harness import BenchServer, ratio_line  # bench/ is run as a script, not a package

UNITS_VILLAGES = 20
UNITS_ENTERPRISES = 180


def build_zone():
    """A district, a town with 20 villages and 180 enterprises in 6 grids, and users."""
    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role

    create = services.node_create
    district = create(actor=None, kind=NodeKind.DISTRICT, name="赣榆区", parent=None)
    town = create(actor=None, kind=NodeKind.TOWN, name="赣榆经济开发区", parent=district)
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
    password = uuid.uuid4().hex
    leader = services.user_create(
        actor=None,
        username="bench_leader",
        full_name="王建国",
        password=password,
        role=Role.LEADER,
        node=town,
    )
    volunteer = services.user_create(
        actor=None,
        username="bench_volunteer",
        full_name="孙志强",
        password=password,
        role=Role.VOLUNTEER,
        node=villages[0],
    )
    return town, villages, grids, enterprises, leader, volunteer


def bench_passers(server: BenchServer, args, volunteer, village) -> list[str]:
    from frontline.checkpoints import services

    checkpoint = services.checkpoint_create(
        actor=volunteer.__class__.objects.get(username="bench_leader"),
        node=village,
        name="东村口",
        kind="village_entrance",
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

    common = {"clients": args.clients, "max_seconds": args.seconds / 2}
    pings, posts = [], []
    # Two interleaved rounds, so a slow minute of the machine hits both sides.
    for _ in range(2):
        pings.append(
            server.load(
                "GET", "/api/v1/ping", token=token, max_requests=args.requests // 2, **common
            )
        )
        posts.append(
            server.load(
                "POST",
                f"/api/v1/checkpoints/{checkpoint.pk}/passers",
                token=token,
                body=passer,
                max_requests=args.requests // 2,
                **common,
            )
        )
    ping, post = pings[0].merged(pings[1]), posts[0].merged(posts[1])
    ping.name = f"GET /api/v1/ping ×{args.clients}"
    post.name = f"POST passer ×{args.clients}"
    server.stop()
    return [
        ping.summary(),
        post.summary(),
        ratio_line("passer POST p95 / ping p95", post.p95, ping.p95, 2),
        ratio_line("passer POST median / ping median", post.median, ping.median, 2),
    ]


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


def bench_coverage(server: BenchServer, args, town, units, leader) -> list[str]:
    from django.utils import timezone

    from frontline.screening import services
    from frontline.screening.models import ScreeningRecord

    items = services.checklist_defaults_create(actor=leader, node=town)
    for unit in units[:UNITS_VILLAGES]:
        services.assignment_create(actor=leader, node=unit, assignee=leader)
    today = timezone.localdate()
    week = [today - timedelta(days=n) for n in range(7)]
    rest = [today - timedelta(days=n) for n in range(7, 365)]
    ScreeningRecord.objects.bulk_create(_records(units, leader, items, week), batch_size=2000)
    cookie = server.session_cookie_for(leader)
    pages = {
        "board (day)": f"/screening/?node={town.pk}",
        "board (week view)": f"/screening/week/?node={town.pk}",
        "API coverage": f"/api/v1/screening/coverage?node={town.pk}",
    }
    common = {
        "cookie": cookie,
        "clients": 4,
        "max_requests": args.page_requests,
        "max_seconds": args.seconds / 2,
    }
    server.start()
    before = {
        label: server.load("GET", path, name=f"{label}, a week", **common)
        for label, path in pages.items()
    }
    server.stop()
    ScreeningRecord.objects.bulk_create(_records(units, leader, items, rest), batch_size=5000)
    total = ScreeningRecord.objects.count()
    server.start()
    after = {
        label: server.load("GET", path, name=f"{label}, a year", **common)
        for label, path in pages.items()
    }
    server.stop()
    week_count = sum(1 for _ in _records(units, leader, items, week))
    lines = [f"records: a week = {week_count}, a year = {total}"]
    for label in pages:
        lines += [before[label].summary(), after[label].summary()]
    for label in pages:
        lines.append(
            ratio_line(
                f"{label}: a year / a week (median)", after[label].median, before[label].median, 2
            )
        )
        lines.append(
            ratio_line(f"{label}: a year / a week (p95)", after[label].p95, before[label].p95, 2)
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3000, help="per side, API benchmark")
    parser.add_argument("--page-requests", type=int, default=120, help="per page and data size")
    parser.add_argument("--seconds", type=float, default=40, help="time limit per side")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to use")
    parser.add_argument("--only", choices=["passers", "coverage"], default="")
    args = parser.parse_args()

    lines: list[str] = []
    with BenchServer(
        port=args.port, threads=args.threads, database_url=args.database_url
    ) as server:
        from django.db import connection

        town, villages, _grids, enterprises, leader, volunteer = build_zone()
        lines.append(
            f"database: {connection.vendor}; gunicorn: 2 workers × {args.threads} threads"
            f" on 127.0.0.1:{args.port}; {args.clients} clients"
        )
        if args.only in ("", "passers"):
            lines += bench_passers(server, args, volunteer, villages[0])
        if args.only in ("", "coverage"):
            lines += bench_coverage(server, args, town, villages + enterprises, leader)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
