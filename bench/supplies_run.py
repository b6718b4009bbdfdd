"""Supplies (issue 17): stock on hand does not grow with the ledger, and issuing the
last units under concurrent clients never goes below zero.

1. `GET /api/v1/supplies/stock?warehouse=` (100 items) for 100 items × 30 warehouses
   with 10,000 ledger rows, then with 1,000,000: within 2× (the balance rows answer;
   the ledger is not read).
2. 20 clients issuing one unit each of the last 500 from one warehouse (1,000
   requests: half must be refused) vs the no-op `GET /api/v1/ping`, in five interleaved
   rounds of 200 a side: zero negative balances, the balance equal to the ledger's
   replay, p95 within 2×.

    .venv/bin/python bench/supplies_run.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer, ratio_line  # bench/ is run as a script, not a package

ITEMS = 100
WAREHOUSES = 30
SMALL = 10_000
LARGE = 1_000_000
CHUNK = 50_000
ROUNDS = 5


def build(server):
    from frontline.core import services as core
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.supplies import services
    from frontline.supplies.models import Item, Stock

    district = core.node_create(actor=None, kind=NodeKind.DISTRICT, name="赣榆区", parent=None)
    town = core.node_create(actor=None, kind=NodeKind.TOWN, name="开发区", parent=district)
    keeper = core.user_create(
        actor=None,
        username="bench_keeper",
        full_name="钱保管",
        password=uuid.uuid4().hex,
        role=Role.SUPPLY_KEEPER,
        node=town,
    )
    Item.objects.bulk_create(Item(name=f"物资{i:03d}", base_unit="件") for i in range(ITEMS))
    items = list(Item.objects.order_by("pk"))
    warehouses = [
        services.warehouse_create(actor=keeper, node=town, name=f"仓库{w:02d}")
        for w in range(WAREHOUSES)
    ]
    Stock.objects.bulk_create(Stock(warehouse=w, item=i) for w in warehouses for i in items)
    return town, keeper, items, warehouses


def ledger_grow(keeper, items, warehouses, have: int, want: int) -> None:
    """Receipts appended in bulk (as a year of keepers would: COPY on PostgreSQL,
    executemany on SQLite), the balances kept equal to them."""
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from frontline.supplies.models import Stock

    columns = (
        "kind, warehouse_id, item_id, quantity, entered_quantity, unit, source, reason, day, "
        "created_by_id, created_at, idempotency_key, request_digest"
    )
    pairs = [(w.pk, i.pk) for w in warehouses for i in items]
    added: dict[tuple[int, int], int] = {}
    today, now = date.today(), timezone.now()
    for start in range(have, want, CHUNK):
        batch = []
        for n in range(start, min(start + CHUNK, want)):
            warehouse_id, item_id = pairs[n % len(pairs)]
            added[(warehouse_id, item_id)] = added.get((warehouse_id, item_id), 0) + 1
            row = ("receipt", warehouse_id, item_id, 1, 1, "件", "purchase", "", today)
            batch.append((*row, keeper.pk, now, "", ""))
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY supplies_move ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO supplies_move ({columns}) VALUES ({', '.join(['%s'] * 13)})",
                    batch,
                )
    with transaction.atomic():
        for (warehouse_id, item_id), count in added.items():
            Stock.objects.filter(warehouse_id=warehouse_id, item_id=item_id).update(
                quantity=F("quantity") + count
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=600, help="stock reads per side")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--large", type=int, default=LARGE, help="ledger rows of the big side")
    args = parser.parse_args()
    lines: list[str] = []
    with BenchServer(port=args.port, database_url=args.database_url) as server:
        from django.db import connection

        from frontline.supplies import selectors, services
        from frontline.supplies.models import Move, Stock

        town, keeper, items, warehouses = build(server)
        token = server.token_for(keeper)
        lines.append(f"database: {connection.vendor}; {args.clients} clients")
        ledger_grow(keeper, items, warehouses, 0, SMALL)
        server.start()
        path = f"/api/v1/supplies/stock?warehouse={warehouses[7].pk}&limit=100"
        common = {"clients": args.clients, "max_requests": args.requests, "token": token}
        small = server.load("GET", path, name=f"stock, {SMALL:,} ledger rows", **common)
        server.stop()
        ledger_grow(keeper, items, warehouses, SMALL, args.large)
        lines.append(f"ledger rows: {Move.objects.count():,}")
        server.start()
        large = server.load("GET", path, name=f"stock, {args.large:,} ledger rows", **common)
        lines += [
            small.summary(),
            large.summary(),
            ratio_line(f"stock p95 at {args.large:,} / at {SMALL:,}", large.p95, small.p95, 2),
            ratio_line(
                f"stock median at {args.large:,} / at {SMALL:,}", large.median, small.median, 2
            ),
        ]

        # The last 500 units of one item, drawn one by one by 20 clients.
        last = warehouses[0]
        item = items[0]
        stock = Stock.objects.get(warehouse=last, item=item)
        # Exactly 500 left: the excess issued, or what is missing received.
        excess = stock.quantity - 500
        services.move_record(
            actor=keeper,
            kind="issue" if excess > 0 else "receipt",
            warehouse=last,
            item=item,
            quantity=abs(excess),
            recipient_node=town,
            source="purchase",
        )
        run = uuid.uuid4().hex[:8]

        def draw(index: int) -> dict:
            return {
                "kind": "issue",
                "item": item.pk,
                "warehouse": last.pk,
                "quantity": "1",
                "recipient_node": town.pk,
                "idempotency_key": f"{run}-{index}-{uuid.uuid4().hex[:8]}",
            }

        # Short interleaved rounds, so that a busy moment of the (shared) machine hits
        # both sides alike: the stock runs out during the third of five.
        ping = issue = None
        for _ in range(ROUNDS):
            one_ping = server.load(
                "GET", "/api/v1/ping", clients=args.clients, max_requests=200, token=token
            )
            one_issue = server.load(
                "POST",
                "/api/v1/supplies/moves",
                name="issue the last 500 units",
                body=draw,
                clients=args.clients,
                max_requests=200,
                warmup=0,
                token=token,
                expect=(201, 422),
            )
            ping = one_ping if ping is None else ping.merged(one_ping)
            issue = one_issue if issue is None else issue.merged(one_issue)
        server.stop()
        left = Stock.objects.get(warehouse=last, item=item).quantity
        negative = Stock.objects.filter(quantity__lt=0).count()
        replay = selectors.ledger_replay([last.pk])[(last.pk, item.pk)]
        # The draws' own keys: the set-up move above may itself have been an issue.
        issued = Move.objects.filter(
            kind="issue", warehouse=last, item=item, idempotency_key__startswith=run
        ).count()
        lines += [
            ping.summary(),
            issue.summary(),
            f"issued {issued} of 500; left {left}; negative balances {negative}; "
            f"balance == replay: {left == replay}",
            ratio_line("issue p95 / ping p95", issue.p95, ping.p95, 2),
            ratio_line("issue median / ping median", issue.median, ping.median, 2),
        ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
