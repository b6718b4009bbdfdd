"""Where a claim's time goes through gunicorn: CPU per request of each process — the
gunicorn workers, PostgreSQL's processes, this client — for the no-op ping and for won
claims, in interleaved phases, with each phase's wall time per request and its p95.

    .venv/bin/python bench/errands_cpu.py --database-url postgres://postgres@127.0.0.1:5432/postgres
        [--requests 1000] [--rounds 3] [--clients 20]

On a saturated box the latency ratio follows the CPU ratio over every process, so this
says which process a change should make cheaper (bench/README.md, 2026-12-04 night and
2026-12-05). Linux only (/proc); PostgreSQL's share is all of its processes on the
machine (the WAL writer's included): keep the machine otherwise quiet.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from errands import _claim_load, build  # bench/ is run as a script, not a package
from harness import BenchServer

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (those gone meanwhile count 0)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _pids(*args: str) -> list[int]:
    found = subprocess.run(["pgrep", *args], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def snapshot(server: BenchServer) -> tuple[float, float, float]:
    """CPU so far of the gunicorn workers, of PostgreSQL, of this process."""
    workers = _pids("-P", str(server.process.pid))
    return cpu_seconds(workers), cpu_seconds(_pids("-x", "postgres")), time.process_time()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with BenchServer(port=args.port, database_url=args.database_url) as server:
        volunteers, ids = build(server, 1, (args.requests + 100) * args.rounds)
        token = server.token_for(volunteers[0])
        server.start()
        fresh = iter(ids)
        _claim_load(
            server,
            token,
            [f"/api/v1/errands/{next(fresh)}/claim" for _ in range(100)],
            args.clients,
            100,
        )  # warm: every worker's connection prepares its statements
        print("per request, ms: wall | gunicorn workers | PostgreSQL | client | all | p95")
        for _ in range(args.rounds):
            for kind in ("ping", "claim"):
                before, started = snapshot(server), time.perf_counter()
                if kind == "ping":
                    result = server.load(
                        "GET",
                        "/api/v1/ping",
                        token=token,
                        clients=args.clients,
                        max_requests=args.requests,
                        max_seconds=120,
                    )
                else:
                    paths = [f"/api/v1/errands/{next(fresh)}/claim" for _ in range(args.requests)]
                    result = _claim_load(server, token, paths, args.clients, args.requests)
                wall = time.perf_counter() - started
                after, n = snapshot(server), result.count
                workers, postgres, client = (
                    (a - b) / n * 1000 for a, b in zip(after, before, strict=True)
                )
                every = workers + postgres + client
                print(
                    f"{kind:5}  {wall / n * 1000:5.2f} | {workers:5.2f} | {postgres:5.2f} | "
                    f"{client:5.2f} | {every:5.2f} | {result.p95 * 1000:5.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
