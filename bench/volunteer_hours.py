"""The volunteer-hours page of a town with 100,000 activity rows vs one with 1,000, both
with 600 volunteers: median and p95 within 2× (issue 16).

    .venv/bin/python bench/volunteer_hours.py [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Two towns in one database (gunicorn, 2 workers, loopback), as the coverage benchmark does:
each has 20 villages with 3 teams of 10 volunteers (600 people; one in ten also in a second
team of their village). Town A has 1,000 activity rows, town B 100,000 (each with three
participants), spread over the 400 days before today, so B's week holds about a hundred
times A's. Each town's leader opens `GET /teams/volunteers/` (the default span: this
week) and the page narrowed to the last 30 days, 4 clients, interleaved rounds; the
ratios are B / A. Planner statistics are gathered after loading.
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import BenchServer, ratio_line  # bench/ is run as a script, not a package

VILLAGES = 20
TEAMS_PER_VILLAGE = 3
PER_TEAM = 10  # 20 × 3 × 10 = 600 volunteers a town
DAYS = 400
PARTICIPANTS = 3


def town_make(name: str, activities: int, seed: int):
    """A town, its leader, 600 volunteers in 60 teams, and `activities` activity rows."""
    from django.db import transaction
    from django.utils import timezone

    from frontline.core import services as core
    from frontline.core.models import NodeKind
    from frontline.core.roles import Role
    from frontline.people.tests.factories import resident_make
    from frontline.teams import services
    from frontline.teams.models import Activity, ActivityKind, TeamKind

    rng = random.Random(seed)
    district = core.node_create(actor=None, kind=NodeKind.DISTRICT, name=f"{name}区", parent=None)
    town = core.node_create(actor=None, kind=NodeKind.TOWN, name=name, parent=district)
    leader = core.user_create(
        actor=None,
        username=f"bench_{seed}",
        full_name="王",
        password=uuid.uuid4().hex,
        role=Role.LEADER,
        node=town,
    )
    kinds = list(TeamKind.objects.all())
    teams, members = [], []
    with transaction.atomic():
        for v in range(VILLAGES):
            village = core.node_create(
                actor=None, kind=NodeKind.VILLAGE, name=f"{name}{v}村", parent=town
            )
            village_teams = [
                services.team_create(
                    actor=None, node=village, kind=kinds[t % len(kinds)], name=f"{v}村{t}队"
                )
                for t in range(TEAMS_PER_VILLAGE)
            ]
            for t, team in enumerate(village_teams):
                team_members = []
                for p in range(PER_TEAM):
                    person = resident_make(village, name=f"志愿{v}-{t}-{p}")
                    team_members.append(services.member_add(actor=None, team=team, resident=person))
                    if p == 0:  # one in ten also serves in the next team of the village
                        other = village_teams[(t + 1) % TEAMS_PER_VILLAGE]
                        team_members_other = services.member_add(
                            actor=None, team=other, resident=person
                        )
                        members.append(team_members_other)
                members += team_members
                teams.append((team, team_members))
    today = timezone.localdate()
    kinds_logged = [ActivityKind.PATROL, ActivityKind.LOUDSPEAKER, ActivityKind.SERVICE]
    through = Activity.participants.through
    batch = 5_000
    for start in range(0, activities, batch):
        rows, chosen = [], []
        for index in range(start, min(activities, start + batch)):
            team, team_members = teams[rng.randrange(len(teams))]
            rows.append(
                Activity(
                    team=team,
                    kind=kinds_logged[index % 3],
                    day=today - timedelta(days=rng.randrange(DAYS)),
                    hours=Decimal(rng.randint(5, 40)) / 10,
                    created_by=leader,
                    idempotency_key=f"{seed}-{index}",
                    fingerprint="bench",
                )
            )
            chosen.append(rng.sample(team_members, PARTICIPANTS))
        with transaction.atomic():
            made = Activity.objects.bulk_create(rows)
            through.objects.bulk_create(
                through(activity_id=activity.pk, teammember_id=member.pk)
                for activity, people in zip(made, chosen, strict=True)
                for member in people
            )
    return leader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=240, help="per page and town")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with BenchServer(port=args.port, database_url=args.database_url) as server:
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        small = town_make("甲镇", args.small, 1)
        big = town_make("乙镇", args.big, 2)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # Pages name their static files through whitenoise's manifest.
        call_command("collectstatic", interactive=False, verbosity=0)
        cookies = {"small": server.session_cookie_for(small), "big": server.session_cookie_for(big)}
        server.start()
        month = (timezone.localdate() - timedelta(days=29)).isoformat()
        pages = {"week": "/teams/volunteers/", "30 days": f"/teams/volunteers/?from={month}"}
        results: dict[tuple[str, str], object] = {}
        per_round = args.requests // args.rounds
        for _ in range(args.rounds):
            for page, path in pages.items():
                for town in ("small", "big"):
                    one = server.load(
                        "GET",
                        path,
                        cookie=cookies[town],
                        clients=args.clients,
                        max_requests=per_round,
                        max_seconds=120,
                        warmup=4,
                    )
                    key = (page, town)
                    results[key] = one if key not in results else results[key].merged(one)
        print(
            f"database: {connection.vendor}; gunicorn: 2 workers on 127.0.0.1:{args.port}; "
            f"600 volunteers a town; activity rows {args.small:,} vs {args.big:,}"
        )
        for (page, town), result in sorted(results.items()):
            result.name = f"{page} page, {town} town"
            print(result.summary())
        for page in pages:
            s, b = results[(page, "small")], results[(page, "big")]
            label = f"{page} page, {args.big:,} / {args.small:,} rows"
            print(ratio_line(f"{label}, median", b.median, s.median, 2))
            print(ratio_line(f"{label}, p95", b.p95, s.p95, 2))


if __name__ == "__main__":
    main()
