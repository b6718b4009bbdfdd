"""Demo teams at the seed's scale: 36 党员代购车, 18 服务小分队, 18 志愿巡逻队, 72 小喇叭宣传队,
62 防控志愿队 and 18 志愿服务队 (600+ volunteers, named ones among them), spread over the
villages, with members, vehicles and a week of activity. Bulk-inserted."""

import importlib
from datetime import timedelta
from decimal import Decimal

from django.apps import apps as django_apps
from django.utils import timezone

from frontline.core.demo import DemoZone
from frontline.people.models import Resident
from frontline.teams.models import Activity, ActivityKind, Team, TeamKind, TeamMember, Vehicle

# kind code → (how many, name pattern, members per team)
PLAN = {
    "purchase_vehicle": (36, "{village}党员代购车{n}号", (2, 3)),
    "service_squad": (18, "{village}服务小分队", (4, 7)),
    "patrol": (18, "{village}志愿巡逻队", (5, 8)),
    "loudspeaker": (72, "{village}小喇叭宣传队{n}队", (2, 4)),
    "prevention": (62, "{village}防控志愿队{n}队", (4, 6)),
    "volunteer_service": (18, "{village}志愿服务队", (30, 40)),
}
NAMED_SERVICE_TEAMS = ["巾帼先锋队", "朝阳青年志愿服务队", "学方敬志愿服务队"]
ACTIVITY_OF_KIND = {
    "patrol": ActivityKind.PATROL,
    "loudspeaker": ActivityKind.LOUDSPEAKER,
}
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
SERVICE_AREAS = ["代购蔬菜", "送药上门", "卡口值守", "独居老人送餐", "环境消杀"]


def _plate(rng) -> str:
    return f"苏G{rng.choice(PLATE_LETTERS)}{rng.randint(1000, 9999)}"


def load(zone: DemoZone) -> None:
    rng = zone.rng
    today = timezone.localdate()
    # The kinds are seeded by a migration; a test database flushed since has none.
    importlib.import_module("frontline.teams.migrations.0002_seed_kinds").seed(django_apps, None)
    kinds = {kind.code: kind for kind in TeamKind.objects.all()}
    village_names = list(zone.villages)
    residents_of: dict[str, list[int]] = {name: [] for name in village_names}
    village_of_node = {g.pk: name for name, grids in zone.village_grids.items() for g in grids}
    village_of_node.update({v.pk: name for name, v in zone.villages.items()})
    adults = Resident.objects.filter(birth_date__year__lt=2002).values_list("pk", "node_id")
    for pk, node_id in adults:
        if node_id in village_of_node:
            residents_of[village_of_node[node_id]].append(pk)

    teams: list[Team] = []
    sizes: list[tuple[int, int]] = []
    for code, (count, pattern, size) in PLAN.items():
        per_village: dict[str, int] = {}
        for index in range(count):
            village = village_names[index % len(village_names)]
            per_village[village] = per_village.get(village, 0) + 1
            name = pattern.format(village=village, n=per_village[village])
            if code == "volunteer_service" and index < len(NAMED_SERVICE_TEAMS):
                name = f"{village}{NAMED_SERVICE_TEAMS[index]}"
            teams.append(Team(name=name, kind=kinds[code], node=zone.villages[village]))
            sizes.append(size)
    Team.objects.bulk_create(teams)

    members: list[TeamMember] = []
    per_team: dict[int, list[int]] = {}
    for team, (low, high) in zip(teams, sizes, strict=True):
        pool = residents_of[team.node.name]
        chosen = rng.sample(pool, min(len(pool), rng.randint(low, high)))
        per_team[team.pk] = []
        for position, pk in enumerate(chosen):
            members.append(TeamMember(team=team, resident_id=pk, is_leader=position == 0))
            per_team[team.pk].append(len(members) - 1)
    # The demo volunteer of 三店村 patrols and tours with the loudspeaker there.
    volunteer = zone.users["volunteer_sandian"]
    for team in teams:
        if team.node.name == "三店村" and team.kind.code in ("patrol", "loudspeaker"):
            members.append(TeamMember(team=team, user=volunteer))
            per_team[team.pk].append(len(members) - 1)
    TeamMember.objects.bulk_create(members, batch_size=1000)

    Vehicle.objects.bulk_create(
        [
            Vehicle(team=t, plate=_plate(rng), note="党员私家车")
            for t in teams
            if t.kind.code == "purchase_vehicle"
        ]
        + [
            Vehicle(team=t, plate=_plate(rng), note="宣传电瓶车")
            for t in teams
            if t.kind.code == "loudspeaker" and rng.random() < 0.3
        ]
    )

    leader = zone.users["town_leader"]
    activities: list[Activity] = []
    participants: list[tuple[int, list[int]]] = []
    for team in teams:
        indexes = per_team[team.pk]
        if not indexes:
            continue
        kind = ACTIVITY_OF_KIND.get(team.kind.code, ActivityKind.SERVICE)
        for back in range(7):
            if rng.random() > 0.7:
                continue
            activity = Activity(
                team=team,
                kind=kind,
                day=today - timedelta(days=back),
                hours=Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0", "4.0"])),
                created_by=leader,
                idempotency_key=f"demo-{len(activities)}",
                fingerprint="demo",
            )
            if kind == ActivityKind.PATROL:
                activity.area = f"{team.node.name}主干道及集市"
                activity.gatherings_dispersed = rng.randint(0, 4)
                activity.persuaded_home = rng.randint(0, 15)
            elif kind == ActivityKind.LOUDSPEAKER:
                activity.minutes = int(activity.hours * 60)
                activity.villages_covered = f"{team.node.name}及周边"
            else:
                activity.area = rng.choice(SERVICE_AREAS)
                activity.households = rng.randint(1, 20)
            activities.append(activity)
            participants.append(
                (len(activities) - 1, rng.sample(indexes, min(len(indexes), rng.randint(1, 4))))
            )
    Activity.objects.bulk_create(activities, batch_size=1000)
    through = Activity.participants.through
    through.objects.bulk_create(
        [
            through(activity_id=activities[a].pk, teammember_id=members[m].pk)
            for a, chosen in participants
            for m in chosen
        ],
        batch_size=2000,
    )
