"""Demo community work: 40,000+ leaflets, 24 weddings postponed and 34 funerals simplified,
300+ volunteers' care visits, help for front-line families, and the seed's exemplars."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.community import services
from frontline.community.models import CareVisit, Publicity
from frontline.core.demo import DemoZone
from frontline.people.demo import SURNAMES, _name
from frontline.people.models import Resident

EXEMPLARS = [
    (
        "三店村",
        "徐开光",
        False,
        "党员先锋 坚守卡口",
        "春节期间放弃休假，带领党员在三店村东村口连续值守 40 天，劝返外来车辆百余辆。",
    ),
    (
        "郑园村",
        "董皓",
        False,
        "青年志愿者 逆行而上",
        "大学生返乡后主动报名，承担入户排查和为隔离户代购，昼夜值守不叫苦。",
    ),
    (
        "三店村",
        "三店巾帼先锋队",
        True,
        "巾帼不让须眉",
        "二十名妇女组成先锋队，分班守村口、送物资、做宣传，走访孤寡老人和留守儿童。",
    ),
    (
        "郑园村",
        "郑园朝阳青年志愿服务队",
        True,
        "青年突击队",
        "返乡青年组队值守卡口、消杀公共区域、为一线人员家庭送菜送药。",
    ),
]
NEEDS = ["", "", "", "缺口罩", "需代购降压药", "孩子网课缺平板", "需送米面油", "水管冻裂需维修"]
DIFFICULTIES = ["老人独自在家无人照看", "孩子网课无人辅导", "家中农活无人打理", "老人需定期取药"]


def load(zone: DemoZone) -> None:
    rng = zone.rng
    today = timezone.localdate()
    leader = zone.users["town_leader"]
    villages = list(zone.villages.values())
    # Publicity: 24 villages over a fortnight, 40,000 leaflets and more.
    # Bulk rows (the demo has no audit trail to keep); the services check the same fields.
    Publicity.objects.bulk_create(
        Publicity(
            node=village,
            day=today - timedelta(days=days_ago),
            leaflets=rng.randint(100, 150),
            posters=rng.randint(0, 6),
            loudspeaker_routes=rng.randint(0, 2),
            created_by=leader,
        )
        for village in villages
        for days_ago in range(14)
    )
    residents = list(
        Resident.objects.filter(node__parent__in=villages).select_related("node").order_by("pk")
    )
    picked = rng.sample(residents, 58)
    for index, resident in enumerate(picked):
        planned = today - timedelta(days=rng.randint(1, 40))
        if index < 24:
            kind, new_date = (
                "wedding_postponed",
                planned + timedelta(days=rng.choice((60, 90, 120))),
            )
        else:
            kind = rng.choice(("funeral_simplified", "funeral_simplified", "funeral_postponed"))
            new_date = planned + timedelta(days=30) if kind == "funeral_postponed" else None
        services.family_event_record(
            actor=leader, resident=resident, kind=kind, planned_on=planned, new_date=new_date
        )
    cared = (
        list(
            Resident.objects.filter(tags__name__in=["孤寡老人", "留守儿童"]).select_related("node")
        )
        or residents[:100]
    )
    volunteers = set()
    while len(volunteers) < 312:
        volunteers.add(_name(rng, rng.choice(SURNAMES)))
    visits = []
    for index, volunteer in enumerate(sorted(volunteers)):
        for _ in range(1 if index % 3 else 2):
            resident = rng.choice(cared)
            visits.append(
                CareVisit(
                    node=resident.node,
                    resident=resident,
                    day=today - timedelta(days=rng.randint(0, 20)),
                    visitor_name=volunteer,
                    temperature=Decimal(str(round(rng.gauss(36.5, 0.2), 1))),
                    disinfected=rng.random() < 0.8,
                    needs=rng.choice(NEEDS),
                    created_by=leader,
                )
            )
    CareVisit.objects.bulk_create(visits)
    for index in range(12):
        village = villages[index % len(villages)]
        services.family_help_record(
            actor=leader,
            node=village,
            worker_name=_name(rng, rng.choice(SURNAMES)),
            difficulty=rng.choice(DIFFICULTIES),
            helper_name=_name(rng, rng.choice(SURNAMES)),
            day=today - timedelta(days=rng.randint(0, 20)),
        )
    for village, name, is_team, title, story in EXEMPLARS:
        services.exemplar_record(
            actor=leader,
            node=zone.villages[village],
            name=name,
            is_team=is_team,
            title=title,
            story=story,
            day=today - timedelta(days=3),
        )
