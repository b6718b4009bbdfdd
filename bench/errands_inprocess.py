"""The errand claim in process: CPU per request (time.process_time) and statements per
request (CaptureQueriesContext) for the no-op ping, a won claim and a lost claim (422
naming who has it), through Django's test client with a Bearer token — no server, no
network, so the figures hold on a machine shared with others.

    .venv/bin/python bench/errands_inprocess.py [--database-url postgres://…/postgres]
        [--requests 300] [--rounds 5] [--profile won|lost|ping]

Rounds interleave the three so a busy moment of the machine hits them alike; the median
of the rounds' per-request CPU is printed, with the claim/ping ratios.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from errands import build  # bench/ is run as a script, not a package
from harness import BenchServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=["won", "lost", "ping"], default="")
    args = parser.parse_args()

    with BenchServer(database_url=args.database_url) as server:
        from django.conf import settings
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from frontline.errands import services

        n, rounds = args.requests, args.rounds
        # Errands for every won claim: the rounds, the warm-up, the counted one, the loser's.
        volunteers, ids = build(server, 2, n * rounds + 10 + (n if args.profile else 0))
        winner = volunteers[0]
        tokens = [server.token_for(v) for v in volunteers]
        # The loser races for one errand the winner already has.
        taken = ids.pop()
        from frontline.errands.models import Errand

        services.errand_claim(actor=winner, errand=Errand.objects.get(pk=taken))
        fresh = iter(ids)
        client = Client(HTTP_HOST="127.0.0.1")

        def auth(who: int) -> dict:
            # As the race's phones send it: a token, no body.
            return {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"}

        def ping() -> int:
            return client.get("/api/v1/ping", **auth(0)).status_code

        def won() -> int:
            return client.generic(
                "POST", f"/api/v1/errands/{next(fresh)}/claim", **auth(0)
            ).status_code

        def lost() -> int:
            response = client.generic("POST", f"/api/v1/errands/{taken}/claim", **auth(1))
            assert "已被" in response.json()["detail"], response.content
            return response.status_code

        kinds = {"ping": (ping, 200), "won": (won, 200), "lost": (lost, 422)}
        # Warm up (imports, the compiled statements, the token's idle clock).
        for call, _ in kinds.values():
            for _ in range(5):
                call()

        statements = {}
        for name, (call, expected) in kinds.items():
            with CaptureQueriesContext(connection) as captured:
                assert call() == expected
            statements[name] = [q["sql"] for q in captured.captured_queries]

        cpu: dict[str, list[float]] = {name: [] for name in kinds}
        wall: dict[str, list[float]] = {name: [] for name in kinds}
        for _ in range(rounds):
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
                print(f"    {sql[:150]}")
        per = {name: statistics.median(values) * 1000 for name, values in cpu.items()}
        for name, ms in per.items():
            each = [round(v * 1000, 2) for v in cpu[name]]
            print(f"{name:<5} CPU per request {ms:6.2f} ms (rounds: {each})")
        print(f"won / ping  {per['won'] / per['ping']:.2f}×")
        print(f"lost / ping {per['lost'] / per['ping']:.2f}×")
        # Wall time adds the database's side, the WAL flush of a won claim's commit above all.
        waited = {name: statistics.median(values) * 1000 for name, values in wall.items()}
        print("wall per request: " + ", ".join(f"{k} {v:.2f} ms" for k, v in waited.items()))
        print(f"wall won / ping {waited['won'] / waited['ping']:.2f}×")

        if args.profile:
            call = kinds[args.profile][0]
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(min(n, 200)):
                call()
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(70)


if __name__ == "__main__":
    main()
