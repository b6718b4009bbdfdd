"""Claiming errands through the API: 20 volunteers racing for the same errand, round after
round, on loopback (gunicorn, 2 workers) — zero double claims; and a claim's latency
against the no-op GET /api/v1/ping (median and p95 within 2×), in interleaved rounds.

    .venv/bin/python bench/errands.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Race: each round, every client (its own volunteer, its own token) waits at a barrier and
then POSTs /api/v1/errands/{id}/claim for the same errand. Exactly one may get 200; the
others must get 422 naming who has it. After the run the database is checked: each
errand has one claimer and one claim in the audit log.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer, ratio_line  # bench/ is run as a script, not a package


def build(server: BenchServer, clients: int, count: int):
    """A village, `clients` volunteers, a cadre, one household and `count` waiting errands."""
    from django.utils import timezone

    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.errands import services as errands
    from frontline.people.tests.factories import resident_make

    district = services.node_create(actor=None, kind=NodeKind.DISTRICT, name="区", parent=None)
    town = services.node_create(actor=None, kind=NodeKind.TOWN, name="镇", parent=district)
    village = services.node_create(actor=None, kind=NodeKind.VILLAGE, name="三店村", parent=town)
    password = uuid.uuid4().hex

    def user(name: str, role: str):
        return services.user_create(
            actor=None, username=name, full_name=name, role=role, password=password, node=village
        )

    cadre = user("bench_cadre", Role.CADRE)
    volunteers = [user(f"bench_volunteer{i}", Role.VOLUNTEER) for i in range(clients)]
    household = errands.household_enroll(
        actor=cadre, resident=resident_make(village, name="王奶奶", address="三店村3组")
    )
    later = timezone.now() + timedelta(days=2)
    ids = [
        errands.errand_create(
            actor=cadre,
            household=household,
            lines=[("vegetables", f"青菜{i}")],
            budget=Decimal("30"),
            deliver_by=later,
        )[0].pk
        for i in range(count)
    ]
    return volunteers, ids


def race(port: int, tokens: list[str], errand_id: int) -> dict[int, int]:
    """Every token claims `errand_id` at once; the statuses answered, counted."""
    barrier = threading.Barrier(len(tokens))
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def claim(token: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        barrier.wait(timeout=30)
        conn.request(
            "POST",
            f"/api/v1/errands/{errand_id}/claim",
            headers={"Host": "127.0.0.1", "Authorization": f"Bearer {token}"},
        )
        response = conn.getresponse()
        body = json.loads(response.read() or b"{}")
        status = response.status
        if status == 422 and "已被" not in body.get("detail", ""):
            status = -422  # refused, but not as "taken": count apart
        conn.close()
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=claim, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--races", type=int, default=60)
    parser.add_argument("--requests", type=int, default=600, help="claims for the latency part")
    parser.add_argument("--rounds", type=int, default=4, help="ping/claim rounds, interleaved")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with BenchServer(port=args.port, database_url=args.database_url) as server:
        from django.db import connection

        from frontline.core.models import AuditEvent
        from frontline.errands.models import Errand

        volunteers, ids = build(server, args.clients, args.races + args.requests + 40)
        tokens = [server.token_for(v) for v in volunteers]
        server.start()

        # 1. The race: one winner per errand, every other client told it is taken.
        raced = ids[: args.races]
        wins = taken = other = 0
        for errand_id in raced:
            statuses = race(args.port, tokens, errand_id)
            wins += statuses.get(200, 0)
            taken += statuses.get(422, 0)
            other += sum(n for s, n in statuses.items() if s not in (200, 422))
        double = sum(
            1
            for errand_id in raced
            if AuditEvent.objects.filter(action="errands.errand.claim", object_id=errand_id).count()
            != 1
        )
        unclaimed = Errand.objects.filter(pk__in=raced, claimed_by__isnull=True).count()

        # 2. Latency: one volunteer claims fresh errands, against the no-op ping, in short
        # interleaved rounds (a busy moment of the shared machine hits both sides alike).
        fresh = iter(ids[args.races :])
        per_round = args.requests // args.rounds
        ping = claims = None
        for _ in range(args.rounds):
            one_ping = server.load(
                "GET",
                "/api/v1/ping",
                token=tokens[0],
                clients=args.clients,
                max_requests=per_round,
                max_seconds=30,
            )
            paths = [f"/api/v1/errands/{next(fresh)}/claim" for _ in range(per_round)]
            one_claim = _claim_load(server, tokens[0], paths, args.clients, per_round)
            ping = one_ping if ping is None else ping.merged(one_ping)
            claims = one_claim if claims is None else claims.merged(one_claim)
        ping.name = f"GET /api/v1/ping ×{args.clients}"

        print(f"database: {connection.vendor}; gunicorn: 2 workers on 127.0.0.1:{args.port}")
        print(
            f"race: {len(raced)} errands × {args.clients} clients at once → {wins} won, "
            f"{taken} told who has it, {other} other answers; "
            f"errands with ≠ 1 claim: {double}; unclaimed: {unclaimed}"
        )
        print(ping.summary())
        print(claims.summary())
        print(ratio_line("claim p95 / ping p95", claims.p95, ping.p95, 2))
        print(ratio_line("claim median / ping median", claims.median, ping.median, 2))
        if double or unclaimed or other or wins != len(raced):
            raise SystemExit("DOUBLE OR MISSING CLAIMS")


def _claim_load(server: BenchServer, token: str, paths: list[str], clients: int, requests: int):
    """Claims of distinct errands by one volunteer, `clients` at a time (the harness's
    load sends one path; each claim here needs its own errand)."""
    import time

    from harness import Result

    result = Result(f"POST claim ×{clients}")
    lock = threading.Lock()
    queue = iter(paths)
    sent = [0]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while True:
            with lock:
                if sent[0] >= requests:
                    break
                sent[0] += 1
                path = next(queue, None)
            if path is None:
                break
            started = time.perf_counter()
            conn.request(
                "POST", path, headers={"Host": "127.0.0.1", "Authorization": f"Bearer {token}"}
            )
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"claim answered {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
            with lock:
                result.latencies.append(elapsed)
                result.statuses[200] = result.statuses.get(200, 0) + 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


if __name__ == "__main__":
    main()
