"""A loopback load harness: a real gunicorn (2 workers) on 127.0.0.1 against a benchmark
database made for the run, and N client threads speaking HTTP with http.client.

Reusable by any benchmark:

    with BenchServer(port=8102) as server:        # creates the database, migrates
        token = server.token_for(user)             # Django is set up in this process
        ping = server.load("GET", "/api/v1/ping", token=token, clients=20)
        print(ping.summary())

Each `load` is bounded by a request count and a time limit; its `Result` gives the
median and p95 latency. Benchmarks print ratios against a baseline measured in the
same run, never absolute thresholds.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass
class Result:
    """Latencies (seconds) of the requests of one load phase and how it went."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(0.95 * len(ordered)) - 1))]

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def merged(self, other: Result) -> Result:
        """This phase and another of the same requests, as one (for interleaved rounds)."""
        statuses = dict(self.statuses)
        for status, count in other.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        return Result(
            self.name,
            self.latencies + other.latencies,
            self.errors + other.errors,
            statuses,
            self.seconds + other.seconds,
        )

    def summary(self) -> str:
        return (
            f"{self.name:<34} n={self.count:<5} median={self.median * 1000:7.1f} ms  "
            f"p95={self.p95 * 1000:7.1f} ms  {self.throughput:6.0f} req/s  "
            f"errors={self.errors} statuses={dict(sorted(self.statuses.items()))}"
        )


def ratio_line(label: str, value: float, baseline: float, target: float) -> str:
    """One printed ratio with its target; benchmarks report, they do not assert."""
    ratio = value / baseline if baseline else float("inf")
    verdict = "ok" if ratio <= target else "OVER TARGET"
    return f"{label:<58} {ratio:5.2f}×  (target ≤ {target:g}×, {verdict})"


class BenchServer:
    """A throwaway database and a gunicorn serving it on 127.0.0.1.

    SQLite in a temporary folder by default; with `database_url` pointing at a
    PostgreSQL server, a database named `bench_<pid>` is created there and dropped.
    """

    def __init__(
        self,
        *,
        port: int = 8102,
        workers: int = 2,
        threads: int = 1,
        database_url: str = "",
        keep: bool = False,
    ):
        self.port = port
        self.workers = workers
        self.threads = threads
        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix="frontline-bench-"))
        self.admin_url = database_url
        self.db_name = f"bench_{os.getpid()}"
        self.database_url = (
            database_url.rsplit("/", 1)[0] + f"/{self.db_name}" if database_url else ""
        )
        self.process: subprocess.Popen | None = None

    # Environment shared by this process (Django, for making data) and gunicorn.
    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "FRONTLINE_DATA_DIR": str(self.tmp),
            "DJANGO_DEBUG": "false",
            "FRONTLINE_LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def __enter__(self) -> BenchServer:
        if self.database_url:
            self._postgres("CREATE DATABASE")
        os.environ.update(self.env)
        if not self.database_url:
            os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        from django.db import connections

        connections.close_all()
        if self.database_url and not self.keep:
            self._postgres("DROP DATABASE IF EXISTS")
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _postgres(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f"{statement} {self.db_name}")  # the name is ours: bench_<pid>

    def start(self) -> None:
        """Start gunicorn (after the data is made) and wait until it answers."""
        from django.db import connections

        connections.close_all()  # SQLite: let the workers see every committed row
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                # E.g. the port is taken: never measure somebody else's server.
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @staticmethod
    def token_for(user) -> str:
        from frontline.core.services import api_token_issue

        return api_token_issue(user=user)

    @staticmethod
    def session_cookie_for(user) -> str:
        """A signed-in session for page benchmarks (pages use cookies, not tokens)."""
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        now = int(time.time())
        session.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
                "started_at": now,
                "seen_at": now,
            }
        )
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def load(
        self,
        method: str,
        path: str,
        *,
        name: str = "",
        token: str = "",
        cookie: str = "",
        body: Callable[[int], dict] | None = None,
        clients: int = 20,
        max_requests: int = 2000,
        max_seconds: float = 30.0,
        warmup: int = 20,
        expect: tuple[int, ...] = (200, 201),
    ) -> Result:
        """Send at most `max_requests` requests from `clients` threads for at most
        `max_seconds`; `body(i)` makes the JSON body of request i. Any status outside
        `expect` stops the run: a benchmark of error pages measures nothing."""
        headers = {"Host": "127.0.0.1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/json"
        result = Result(name or f"{method} {path}")
        lock = threading.Lock()
        counter = iter(range(10**9))

        def one(conn: http.client.HTTPConnection, index: int) -> tuple[float, int]:
            payload = json.dumps(body(index)).encode() if body else None
            started = time.perf_counter()
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.getheader("Connection", "").lower() == "close":
                conn.close()  # gunicorn's sync workers close; http.client reopens
            return elapsed, response.status

        # Warm up each worker (imports, connections) outside the measurement.
        warm = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for _ in range(warmup):
            _, status = one(warm, next(counter))
            if status not in expect:
                raise RuntimeError(f"{result.name}: answered {status}, expected {expect}")
        warm.close()

        deadline = time.monotonic() + max_seconds
        sent = [0]

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= max_requests:
                        break
                    sent[0] += 1
                    index = next(counter)
                try:
                    elapsed, status = one(conn, index)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    with lock:
                        result.errors += 1
                    continue
                with lock:
                    result.latencies.append(elapsed)
                    result.statuses[status] = result.statuses.get(status, 0) + 1
            conn.close()

        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.seconds = time.monotonic() - started
        unexpected = {s: n for s, n in result.statuses.items() if s not in expect}
        if unexpected or result.errors:
            raise RuntimeError(f"{result.name}: {unexpected or ''} {result.errors} errors")
        return result


def write_vs_ping(
    server: BenchServer,
    *,
    label: str,
    path: str,
    body: Callable[[int], dict],
    token: str,
    clients: int,
    requests: int,
    seconds: float,
    rounds: int,
) -> list[str]:
    """A POST against the no-op GET /api/v1/ping in short interleaved rounds (a busy
    moment of the machine hits both sides alike); the printed lines and ratios."""
    common = {"clients": clients, "max_seconds": seconds / rounds, "token": token}
    per_round = requests // rounds
    ping = post = None
    for _ in range(rounds):
        one_ping = server.load("GET", "/api/v1/ping", max_requests=per_round, **common)
        one_post = server.load("POST", path, body=body, max_requests=per_round, **common)
        ping = one_ping if ping is None else ping.merged(one_ping)
        post = one_post if post is None else post.merged(one_post)
    ping.name = f"GET /api/v1/ping ×{clients}"
    post.name = f"POST {label} ×{clients}"
    return [
        ping.summary(),
        post.summary(),
        ratio_line(f"{label} POST p95 / ping p95", post.p95, ping.p95, 2),
        ratio_line(f"{label} POST median / ping median", post.median, ping.median, 2),
    ]


def in_process_args(doc: str, kinds: list[str]):
    """The command line of an in-process script (bench/*_inprocess.py): the database, the
    requests per round, the rounds, and which of `kinds` to profile."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=kinds, default="")
    return parser.parse_args()


def in_process(
    kinds: dict[str, tuple[Callable[[], int], int]], requests: int, rounds: int, profile: str = ""
) -> None:
    """Requests through Django's test client, no server: each kind's statements, and its
    CPU (time.process_time) and wall time per request over `rounds` interleaved rounds of
    `requests`, medians printed with each kind's ratio to "ping"; with `profile`, that
    kind's cProfile. `kinds` maps a name to (call returning a status, the status expected).
    Interleaving lets a busy moment of the machine hit every kind alike."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for call, _ in kinds.values():  # warm up: imports, compiled statements, the token
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
            for _ in range(requests):
                if call() != expected:
                    raise SystemExit(f"{name}: unexpected answer")
            cpu[name].append((time.process_time() - started) / requests)
            wall[name].append((time.perf_counter() - clock) / requests)

    print(f"database: {connection.vendor}; fast paths: {settings.FAST_PATHS}")
    for name, sqls in statements.items():
        print(f"{name}: {len(sqls)} statements")
        for sql in sqls:
            print(f"    {sql[:150]}")
    per = {name: statistics.median(values) * 1000 for name, values in cpu.items()}
    waited = {name: statistics.median(values) * 1000 for name, values in wall.items()}
    for name, ms in per.items():
        each = [round(v * 1000, 2) for v in cpu[name]]
        print(f"{name:<8} CPU {ms:6.2f} ms, wall {waited[name]:6.2f} ms (CPU rounds: {each})")
    # Wall time adds the database's side: a write's commit waits on the WAL flush.
    for name in kinds:
        if name != "ping":
            print(
                f"{name} / ping: CPU {per[name] / per['ping']:.2f}×, "
                f"wall {waited[name] / waited['ping']:.2f}×"
            )
    if profile:
        call = kinds[profile][0]
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(min(requests, 200)):
            call()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(70)
