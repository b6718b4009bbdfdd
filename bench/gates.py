"""An enterprise gate scan through the API vs the no-op GET /api/v1/ping, 20 concurrent
clients on loopback (gunicorn, 2 workers): median and p95 within 2×.

    .venv/bin/python bench/gates.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Every request scans a card by its short code with a temperature and a new idempotency
key: the card look-up, the colour (control's flags and today's gate fevers), the entry
and its audit row. A tenth of the employees are isolated (red).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer, write_vs_ping  # bench/ is run as a script, not a package

EMPLOYEES = 200


def build():
    """An enterprise with a gate guard and EMPLOYEES employees with cards."""
    from django.utils import timezone
    from stdnum.cn import uscc

    from frontline.control import services as control
    from frontline.control.models import KeyPersonCategory
    from frontline.core import services
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.enterprises import services as enterprises
    from frontline.enterprises.models import Sector
    from frontline.people.tests.factories import resident_make

    create = services.node_create
    district = create(actor=None, kind=NodeKind.DISTRICT, name="区", parent=None)
    town = create(actor=None, kind=NodeKind.TOWN, name="镇", parent=district)
    village = create(actor=None, kind=NodeKind.VILLAGE, name="三店村", parent=town)
    grid = create(actor=None, kind=NodeKind.GRID, name="企业第一网格", parent=town)
    node = create(actor=None, kind=NodeKind.ENTERPRISE, name="金鹏机械", parent=grid)
    password = uuid.uuid4().hex
    leader = services.user_create(
        actor=None,
        username="bench_leader",
        full_name="王",
        password=password,
        role=Role.LEADER,
        node=town,
    )
    guard = services.user_create(
        actor=None,
        username="bench_guard",
        full_name="马",
        password=password,
        role="gate_guard",
        node=node,
    )
    body = "91320707MA1B00001"
    enterprise = enterprises.enterprise_register(
        actor=leader,
        node=node,
        uscc=body + uscc.calc_check_digit(body),
        sector=Sector.objects.first(),
    )
    category = KeyPersonCategory.objects.first()
    codes = []
    for index in range(EMPLOYEES):
        resident = resident_make(village, name=f"员工{index}")
        if index % 10 == 0:
            person = control.key_person_register(actor=leader, resident=resident, category=category)
            control.isolation_start(
                actor=leader,
                key_person=person,
                address="三店村1组",
                start_date=timezone.localdate(),
            )
        employee = enterprises.employee_add(actor=leader, enterprise=enterprise, resident=resident)
        codes.append(employee.code)
    return guard, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2400, help="per side")
    parser.add_argument("--seconds", type=float, default=40, help="time limit per side")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with BenchServer(port=args.port, database_url=args.database_url) as server:
        from django.db import connection

        guard, codes = build()
        token = server.token_for(guard)
        server.start()

        def scan(index: int) -> dict:
            return {
                "code": codes[index % len(codes)],
                "temperature": "36.5",
                "idempotency_key": uuid.uuid4().hex,
            }

        lines = write_vs_ping(
            server,
            label="gate scan",
            path="/api/v1/gates/scan",
            body=scan,
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
