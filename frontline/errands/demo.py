"""Demo errands in 三店村: households of lone elders, errands in every state, one overdue,
and a daily 送餐; the second volunteer (volunteer2_sandian) holds some of them, and a couple
are claimed for 三店村's first 党员代购车, whose crew both demo volunteers join."""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.core.demo import DemoZone
from frontline.errands import services
from frontline.errands.models import Errand
from frontline.people import public as people
from frontline.teams import services as team_services
from frontline.teams.models import Team

# (lines, budget, hours until deliver-by, how far it goes, who claims)
ERRANDS = [
    ([("vegetables", "青菜两斤、土豆五个"), ("grain_oil", "鸡蛋一板")], "60", 5, "submitted", None),
    ([("medicine", "降压药（硝苯地平）一盒")], "40", 3, "submitted", None),
    ([("grain_oil", "大米十斤")], "50", -2, "submitted", None),  # overdue
    (
        [("vegetables", "白菜一颗"), ("other", "卫生纸一提")],
        "45",
        4,
        "claimed",
        "volunteer_sandian",
    ),
    ([("vegetables", "西红柿两斤")], "20", 2, "bought", "volunteer2_sandian"),
    ([("grain_oil", "菜籽油一桶")], "80", 6, "delivered", "volunteer_sandian"),
    ([("medicine", "感冒药一盒")], "30", 1, "confirmed", "volunteer2_sandian"),
    ([("vegetables", "萝卜三个、葱一把")], "25", 1, "settled", "volunteer_sandian"),
    ([("other", "酱油一瓶")], "15", 8, "cancelled", None),
]
STEPS = ["submitted", "claimed", "bought", "delivered", "confirmed", "settled"]
# Claimed for the vehicle by the first volunteer; the second records what follows.
VEHICLE_ERRANDS = [
    ([("grain_oil", "面粉一袋"), ("vegetables", "土豆五斤")], "70", 6, "claimed"),
    ([("medicine", "退烧药一盒"), ("other", "口罩一包")], "50", 3, "bought"),
]


def load(zone: DemoZone) -> None:
    village = zone.villages["三店村"]
    cadre = zone.users["cadre_sandian"]
    elders = people.residents_tagged_in(village.path, "孤寡老人", limit=6)
    if len(elders) < 3:
        elders = list(people.residents_for(cadre, "errands.manage").order_by("pk")[:6])
    households = [services.household_enroll(actor=cadre, resident=r) for r in elders[:6]]
    now = timezone.now()
    for index, (lines, budget, hours, reach, claimer) in enumerate(ERRANDS):
        household = households[index % len(households)]
        errand, _ = services.errand_create(
            actor=cadre,
            household=household,
            lines=lines,
            budget=Decimal(budget),
            deliver_by=now + timedelta(hours=max(hours, 1)),
            idempotency_key=f"demo-{index}",
        )
        if hours < 0:
            Errand.objects.filter(pk=errand.pk).update(deliver_by=now + timedelta(hours=hours))
        if reach == "cancelled":
            services.errand_cancel(actor=cadre, errand=errand, reason="家人已从城里带回")
            continue
        steps = STEPS[1 : STEPS.index(reach) + 1]
        volunteer = zone.users.get(claimer) if claimer else None
        for step in steps:
            if step == "claimed":
                services.errand_claim(actor=volunteer, errand=errand)
            elif step == "bought":
                cost = Decimal(budget) - Decimal(zone.rng.randint(1, 9))
                services.errand_bought(actor=volunteer, errand=errand, actual_cost=cost)
            elif step == "delivered":
                services.errand_deliver(actor=volunteer, errand=errand)
            elif step == "confirmed":
                services.errand_confirm(actor=None, errand=errand)
            elif step == "settled":
                services.errand_settle(actor=cadre, errand=errand, settlement="paid")
    # The teams load after errands: the vehicle's claims wait until they have.
    zone.later.append(lambda: _vehicle_claims(zone, village, households))
    services.meal_series_start(
        actor=cadre,
        household=households[-1],
        deliver_time=time(11, 30),
        budget=Decimal("15"),
        description="午餐一份（村食堂）",
    )


def _vehicle_claims(zone: DemoZone, village, households) -> None:
    """Both demo volunteers ride in 三店村's first 党员代购车; a couple of errands are
    claimed for it by one of them and carried on by the other."""
    vehicle = (
        Team.objects.filter(node=village, kind__code="purchase_vehicle").order_by("pk").first()
    )
    if vehicle is None:
        return
    driver = zone.users["volunteer_sandian"]
    second = zone.users.get("volunteer2_sandian")
    crew = [driver] + ([second] if second else [])
    for user in crew:
        team_services.member_add(actor=None, team=vehicle, user=user)
    carrier = crew[-1]
    cadre = zone.users["cadre_sandian"]
    now = timezone.now()
    for index, (lines, budget, hours, reach) in enumerate(VEHICLE_ERRANDS):
        errand, _ = services.errand_create(
            actor=cadre,
            household=households[index % len(households)],
            lines=lines,
            budget=Decimal(budget),
            deliver_by=now + timedelta(hours=hours),
            idempotency_key=f"demo-vehicle-{index}",
        )
        services.errand_claim(actor=driver, errand=errand, team=vehicle)
        if reach == "bought":
            services.errand_bought(
                actor=carrier, errand=errand, actual_cost=Decimal(budget) - Decimal("4.50")
            )
