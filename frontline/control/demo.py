"""Demo key persons: isolations in several villages with two weeks of door-step readings,
some fevers (one still open), some missed slots, and a 六包一 gap or two."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.control.models import (
    Alert,
    AlertAction,
    FoundVia,
    Isolation,
    KeyPerson,
    KeyPersonCategory,
    Reading,
    Responsible,
    ServiceDelivery,
    ServiceKind,
    SixRole,
    Slot,
    TimelineEntry,
    TimelineKind,
)
from frontline.core.demo import DemoZone
from frontline.core.temperature import is_fever
from frontline.people.models import Resident

VILLAGES = ["三店村", "郑园村", "朱堵村", "王庄村"]
ORIGINS = ["湖北省武汉市", "湖北省孝感市", "浙江省温州市", "广东省深圳市", "河南省信阳市"]
SIX_SANDIAN = {
    SixRole.VILLAGE_LEADER: "village_leader_sandian",
    SixRole.CADRE: "cadre_sandian",
    SixRole.VOLUNTEER: "volunteer_sandian",
    SixRole.HEALTH_WORKER: "health_sandian",
    SixRole.POLICE: "police_sandian",
    SixRole.GRID_WORKER: "grid_sandian",
}
PLAN = "居家隔离14天，每日上午、下午上门测温两次；生活物资由党员代购车配送；每日电话询问身体状况。"


def _reading_time(day, slot: str, rng) -> datetime:
    hour = 8 if slot == Slot.AM else 15
    return timezone.make_aware(datetime.combine(day, time(hour, rng.randint(0, 50))))


def load(zone: DemoZone) -> None:
    rng = zone.rng
    today = timezone.localdate()
    now = timezone.localtime()
    categories = list(KeyPersonCategory.objects.all())
    health = zone.users["health_sandian"]
    cadre = zone.users["cadre_sandian"]
    leader = zone.users["town_leader"]
    for village_index, village_name in enumerate(VILLAGES):
        village = zone.villages[village_name]
        # 三店村's isolated people live in the first grid, whose grid worker (grid_sandian)
        # is among their six: one of the six must be able to open the case.
        where = zone.village_grids[village_name][0] if village_name == "三店村" else village
        residents = list(
            Resident.objects.filter(node__path__startswith=where.path).order_by("pk")[:40]
        )
        count = 4 if village_name == "三店村" else 2
        for index, resident in enumerate(residents[3 : 3 + count]):
            started = today - timedelta(days=13 - 3 * index - village_index)
            person = KeyPerson.objects.create(
                resident=resident,
                node=resident.node,
                category=categories[index % 2],
                found_via=[FoundVia.SCREENING, FoundVia.CHECKPOINT][index % 2],
                origin=rng.choice(ORIGINS),
                arrival_date=started - timedelta(days=1),
                leader=leader if index != 1 else None,
                team=f"{village_name}防控专班" if index != 1 else "",
                plan=PLAN if index != 1 else "",
                created_by=cadre,
            )
            TimelineEntry.objects.create(
                key_person=person,
                kind=TimelineKind.REGISTERED,
                text=f"登记为重点人员（{person.category.name}）",
                actor=cadre,
            )
            isolation = Isolation.objects.create(
                key_person=person,
                node=person.node,
                address=resident.address or f"{village_name}",
                start_date=started,
                planned_days=14,
                end_date=started,
            )
            TimelineEntry.objects.create(
                key_person=person,
                kind=TimelineKind.ISOLATION,
                text="开始居家隔离，计划 14 天",
                actor=cadre,
            )
            if village_name == "三店村":
                for role, username in SIX_SANDIAN.items():
                    # One isolation is short of its police officer: a visible gap.
                    if index == 2 and role == SixRole.POLICE:
                        continue
                    Responsible.objects.create(
                        isolation=isolation, role=role, user=zone.users[username]
                    )
            else:
                Responsible.objects.create(
                    isolation=isolation, role=SixRole.VILLAGE_LEADER, user=leader
                )
            _readings(
                zone,
                isolation,
                started,
                today,
                now,
                health,
                fever_today=(village_name == "三店村" and index == 0),
                forced_miss=(village_name == "三店村" and index == 1),
            )


def _readings(
    zone, isolation, started, today, now, health, fever_today: bool, forced_miss: bool
) -> None:
    rng = zone.rng
    readings = []
    day = started
    while day <= today:
        for slot in (Slot.AM, Slot.PM):
            taken_at = _reading_time(day, slot, rng)
            missed_yesterday = forced_miss and day == today - timedelta(days=1) and slot == Slot.PM
            if taken_at > now or missed_yesterday or (day < today and rng.random() < 0.06):
                continue  # not yet taken today, or missed: an overdue slot
            value = Decimal(str(round(rng.uniform(36.1, 36.9), 1)))
            if fever_today and day == today and slot == Slot.AM:
                value = Decimal("37.8")
            elif day == started + timedelta(days=3) and rng.random() < 0.3:
                value = Decimal("37.5")
            readings.append(
                Reading(
                    isolation=isolation,
                    node=isolation.node,
                    local_date=day,
                    slot=slot,
                    value=value,
                    is_fever=is_fever(value),
                    taken_at=taken_at,
                    taken_by=health,
                )
            )
        day += timedelta(days=1)
    Reading.objects.bulk_create(readings)
    for reading in Reading.objects.filter(isolation=isolation, is_fever=True):
        handled = reading.local_date < today
        Alert.objects.create(
            reading=reading,
            isolation=isolation,
            node=isolation.node,
            is_open=not handled,
            action=AlertAction.RETEST if handled else "",
            retest_value=Decimal("36.8") if handled else None,
            note="半小时后复测正常" if handled else "",
            handled_at=reading.taken_at + timedelta(minutes=40) if handled else None,
            handled_by=health if handled else None,
        )
    kind = ServiceKind.objects.order_by("sort_order").first()
    if kind is not None:
        ServiceDelivery.objects.create(
            node=isolation.node,
            resident=isolation.key_person.resident,
            kind=kind,
            description="上门测温并送防疫宣传单",
            quantity=2,
            delivered_on=started,
            delivered_by=health,
        )
