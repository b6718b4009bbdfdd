"""Issuing stock in process: CPU per request (time.process_time) and statements per
request (CaptureQueriesContext) for the no-op ping, an accepted issue (201) and a refused
one (422, "short by N"), through Django's test client with a Bearer token — no server, no
network, so the figures hold on a machine shared with others.

    .venv/bin/python bench/supplies_inprocess.py [--database-url postgres://…/postgres]
        [--requests 300] [--rounds 5] [--profile issued|refused|ping]

Rounds interleave the three so a busy moment of the machine hits them alike; the median
of the rounds' per-request CPU is printed, with the issue/ping ratios.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer  # bench/ is run as a script, not a package
from supplies_run import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=["issued", "refused", "ping"], default="")
    args = parser.parse_args()

    with BenchServer(database_url=args.database_url) as server:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from frontline.supplies import services

        town, keeper, items, warehouses = build(server)
        full, empty, item = warehouses[0], warehouses[1], items[0]
        # Enough for every accepted issue; the other store has none of the item.
        services.move_record(
            actor=keeper,
            kind="receipt",
            warehouse=full,
            item=item,
            quantity=1_000_000,
            source="purchase",
        )
        token = server.token_for(keeper)
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")

        def ping() -> int:
            return client.get("/api/v1/ping").status_code

        def issue(store) -> int:
            body = {
                "kind": "issue",
                "item": item.pk,
                "warehouse": store.pk,
                "quantity": "1",
                "recipient_node": town.pk,
                "idempotency_key": uuid.uuid4().hex,
            }
            response = client.post(
                "/api/v1/supplies/moves", json.dumps(body), content_type="application/json"
            )
            return response

        def issued() -> int:
            return issue(full).status_code

        def refused() -> int:
            response = issue(empty)
            assert "缺 1件" in response.json()["detail"], response.content
            return response.status_code

        kinds = {"ping": (ping, 200), "issued": (issued, 201), "refused": (refused, 422)}
        for call, _ in kinds.values():  # warm up: imports, compiled statements
            for _ in range(5):
                call()

        statements = {}
        for name, (call, expected) in kinds.items():
            with CaptureQueriesContext(connection) as captured:
                assert call() == expected
            statements[name] = [q["sql"] for q in captured.captured_queries]

        cpu: dict[str, list[float]] = {name: [] for name in kinds}
        wall: dict[str, list[float]] = {name: [] for name in kinds}
        n = args.requests
        for _ in range(args.rounds):
            for name, (call, expected) in kinds.items():
                started, clock = time.process_time(), time.perf_counter()
                for _ in range(n):
                    if call() != expected:
                        raise SystemExit(f"{name}: unexpected answer")
                cpu[name].append((time.process_time() - started) / n)
                wall[name].append((time.perf_counter() - clock) / n)

        print(f"database: {connection.vendor}; fast paths: {settings.FAST_PATHS}")
        for name, sqls in statements.items():
            print(f"{name}: {len(sqls)} statements")
            for sql in sqls:
                print(f"    {sql[:160]}")
        per = {name: statistics.median(values) * 1000 for name, values in cpu.items()}
        for name, ms in per.items():
            each = [round(v * 1000, 2) for v in cpu[name]]
            print(f"{name:<7} CPU per request {ms:6.2f} ms (rounds: {each})")
        print(f"issued / ping  {per['issued'] / per['ping']:.2f}×")
        print(f"refused / ping {per['refused'] / per['ping']:.2f}×")
        waited = {name: statistics.median(values) * 1000 for name, values in wall.items()}
        print("wall per request: " + ", ".join(f"{k} {v:.2f} ms" for k, v in waited.items()))

        if args.profile:
            call = kinds[args.profile][0]
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(min(n, 200)):
                call()
            profile.disable()
            stats = pstats.Stats(profile).sort_stats("cumulative")
            stats.print_stats(60)
            stats.print_stats("log_response|logging/__init__|api_errors")  # a 422's log line


if __name__ == "__main__":
    main()
