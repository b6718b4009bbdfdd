"""Recording a door-step temperature through the API vs the no-op GET /api/v1/ping,
20 concurrent clients on loopback (gunicorn, 2 workers): median and p95 within 2×.

    .venv/bin/python bench/readings.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Every request records a new reading (its own isolation, day and slot, its own
idempotency key), so what is measured is the real write: validation, the reading,
the timeline entry, the audit row, and an alert for the occasional fever.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer, write_vs_ping  # bench/ is run as a script, not a package

ISOLATIONS = 120
DAYS = 30


def build(server: BenchServer):
    """A village with a health worker and ISOLATIONS people isolated DAYS days ago."""
    from django.utils import timezone

    from frontline.control import services as control
    from frontline.control.models import KeyPersonCategory
    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.people.tests.factories import resident_make

    district = services.node_create(actor=None, kind=NodeKind.DISTRICT, name="区", parent=None)
    town = services.node_create(actor=None, kind=NodeKind.TOWN, name="镇", parent=district)
    village = services.node_create(actor=None, kind=NodeKind.VILLAGE, name="三店村", parent=town)
    password = uuid.uuid4().hex
    cadre = services.user_create(
        actor=None,
        username="bench_cadre",
        full_name="张",
        role=Role.CADRE,
        password=password,
        node=village,
    )
    health = services.user_create(
        actor=None,
        username="bench_health",
        full_name="陈",
        role=Role.HEALTH_WORKER,
        password=password,
        node=village,
    )
    category = KeyPersonCategory.objects.first()
    start = timezone.localdate() - timedelta(days=DAYS)
    isolations = []
    for index in range(ISOLATIONS):
        resident = resident_make(village, name=f"居民{index}")
        person = control.key_person_register(actor=cadre, resident=resident, category=category)
        isolations.append(
            control.isolation_start(
                actor=cadre, key_person=person, address="三店村1组", start_date=start
            ).pk
        )
    return health, isolations, start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2400, help="per side")
    parser.add_argument("--seconds", type=float, default=40, help="time limit per side")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.requests + 200 > ISOLATIONS * DAYS * 2:
        parser.error(f"at most {ISOLATIONS * DAYS * 2 - 200} requests: each needs its own slot")

    with BenchServer(port=args.port, database_url=args.database_url) as server:
        from django.db import connection
        from django.utils import timezone

        health, isolations, start = build(server)
        token = server.token_for(health)
        server.start()
        slots = itertools.count()  # shared across rounds: no slot is ever used twice

        def reading(_index: int) -> dict:
            n = next(slots)
            isolation = isolations[n % ISOLATIONS]
            day = start + timedelta(days=(n // ISOLATIONS) // 2)
            slot = "am" if (n // ISOLATIONS) % 2 == 0 else "pm"
            taken = datetime.combine(day, time(8 if slot == "am" else 15))
            value = "37.6" if n % 50 == 0 else "36.5"
            return {
                "isolation_id": isolation,
                "value": value,
                "slot": slot,
                "taken_at": timezone.make_aware(taken).isoformat(),
                "idempotency_key": uuid.uuid4().hex,
            }

        lines = write_vs_ping(
            server,
            label="reading",
            path="/api/v1/readings",
            body=reading,
            token=token,
            clients=args.clients,
            requests=args.requests,
            seconds=args.seconds,
            rounds=args.rounds,
        )
        print(f"database: {connection.vendor}; gunicorn: 2 workers on 127.0.0.1:{args.port}")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
