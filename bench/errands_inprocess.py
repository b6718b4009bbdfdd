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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from errands import build  # bench/ is run as a script, not a package
from harness import BenchServer, in_process, in_process_args


def main() -> None:
    args = in_process_args(__doc__, ["won", "lost", "ping"])

    with BenchServer(database_url=args.database_url) as server:
        from django.test import Client

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
        in_process(kinds, args.requests, args.rounds, args.profile)


if __name__ == "__main__":
    main()
