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

import json
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/ is run as a script, not a package
from harness import BenchServer, in_process, in_process_args
from supplies_run import build


def main() -> None:
    args = in_process_args(__doc__, ["issued", "refused", "ping"])

    with BenchServer(database_url=args.database_url) as server:
        from django.test import Client

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
        in_process(kinds, args.requests, args.rounds, args.profile)


if __name__ == "__main__":
    main()
