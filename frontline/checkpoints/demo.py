"""Demo checkpoints: posts in several villages with rosters, check-ins and a few hundred passers."""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.checkpoints import services
from frontline.checkpoints.models import (
    CheckpointKind,
    Direction,
    MemberKind,
    Outcome,
    Passer,
    PasserKind,
    ShiftMember,
)
from frontline.control.models import Referral, ReferralSource
from frontline.core.demo import DemoZone
from frontline.core.temperature import is_fever

# (village or "town"/"enterprise", name, kind, location, party branch)
CHECKPOINTS = [
    (
        "三店村",
        "三店村东村口",
        CheckpointKind.VILLAGE_ENTRANCE,
        "村东 204 国道岔口",
        "三店村党支部",
    ),
    ("三店村", "三店村南卡点", CheckpointKind.VILLAGE_ENTRANCE, "南大桥北侧", "三店村党支部"),
    ("郑园村", "郑园村村口", CheckpointKind.VILLAGE_ENTRANCE, "郑园小学西", "郑园村党支部"),
    ("朱堵村", "朱堵村北口", CheckpointKind.VILLAGE_ENTRANCE, "北环路口", "朱堵村党支部"),
    ("王庄村", "王庄村卡口", CheckpointKind.VILLAGE_ENTRANCE, "村委会门前", "王庄村党支部"),
    ("town", "G228 开发区道口", CheckpointKind.TRAFFIC, "G228 与华中路交叉口", "开发区临时党支部"),
    ("town", "沈海高速赣榆出口", CheckpointKind.TRAFFIC, "高速出口收费站外", "开发区临时党支部"),
    ("enterprise", "企业东门岗", CheckpointKind.ENTERPRISE_GATE, "厂区东门", "企业党支部"),
]
VOLUNTEERS = [
    "张志华",
    "李红梅",
    "王建军",
    "刘桂芳",
    "陈国强",
    "杨丽",
    "赵永刚",
    "周小燕",
    "吴海军",
]
ORIGINS = ["本村", "本村", "本村", "青口镇", "海州区", "连云港市区", "临沂", "日照", "东海县"]
DESTINATIONS = ["本村", "开发区", "青口镇", "赣榆城区", "连云港市区"]
PLATES = ["苏G", "苏G", "苏G", "鲁Q", "鲁L", "苏A"]
HANDED_OVER_NAMES = ["刘某", "孙某某", "周某", "吴某某", "郑某", "冯某某"]
# Left without anyone checked in, so the unmanned list has something on it.
UNMANNED = {"王庄村卡口", "沈海高速赣榆出口"}


def _where(zone: DemoZone, where: str):
    if where == "town":
        return zone.town
    if where == "enterprise":
        return zone.enterprises[0]
    return zone.villages[where]


def load(zone: DemoZone) -> None:
    rng = zone.rng
    leader = zone.users["town_leader"]
    for name, start, end in (("早班", 6, 14), ("中班", 14, 22), ("夜班", 22, 6)):
        services.shift_template_create(
            actor=leader, node=zone.town, name=name, start=time(start), end=time(end)
        )
    checkpoints = [
        services.checkpoint_create(
            actor=leader,
            node=_where(zone, where),
            name=name,
            kind=kind,
            location=location,
            party_branch=branch,
        )
        for where, name, kind, location, branch in CHECKPOINTS
    ]
    now = timezone.now()
    today = timezone.localdate()
    sandian_people = [zone.users["volunteer_sandian"], zone.users["police_sandian"]]
    members = []
    for checkpoint in checkpoints:
        for day in (today - timedelta(days=2), today - timedelta(days=1), today):
            for start, end in ((6, 14), (14, 22), (22, 6)):
                shift = services.shift_create(
                    actor=None, checkpoint=checkpoint, day=day, start=time(start), end=time(end)
                )
                if shift.starts_at > now + timedelta(hours=8):
                    continue
                names = rng.sample(VOLUNTEERS, 2)
                running = shift.starts_at <= now < shift.ends_at
                finished = shift.ends_at <= now
                for name in names:
                    member = ShiftMember(
                        shift=shift,
                        name=name,
                        kind=rng.choice([MemberKind.PARTY_MEMBER, MemberKind.VOLUNTEER]),
                    )
                    if finished or (running and checkpoint.name not in UNMANNED):
                        member.checked_in_at = shift.starts_at + timedelta(
                            minutes=rng.randint(-10, 5)
                        )
                    if finished:
                        member.checked_out_at = shift.ends_at + timedelta(
                            minutes=rng.randint(0, 10)
                        )
                    members.append(member)
                if checkpoint.node == zone.villages["三店村"] and start == 6 and day == today:
                    for user in sandian_people:
                        services.shift_member_add(actor=None, shift=shift, user=user)
    ShiftMember.objects.bulk_create(members)

    volunteer = zone.users["volunteer_sandian"]
    passers, handovers = [], []
    for index in range(360):
        checkpoint = checkpoints[index % len(checkpoints)]
        logged_at = now - timedelta(minutes=rng.randint(5, 60 * 60))
        vehicle = checkpoint.kind == CheckpointKind.TRAFFIC or rng.random() < 0.3
        temperature = Decimal(str(round(rng.gauss(36.5, 0.3), 1)))
        if rng.random() < 0.02:
            temperature = Decimal(str(rng.choice([37.4, 37.6, 37.9, 38.2])))
        fever = is_fever(temperature)
        origin = rng.choice(ORIGINS)
        if fever:
            outcome = Outcome.HANDED_OVER
        elif origin in ("临沂", "日照") and rng.random() < 0.5:
            outcome = Outcome.TURNED_BACK
        else:
            outcome = Outcome.PASS
        plate = f"{rng.choice(PLATES)}{rng.randint(10000, 99999)}" if vehicle else ""
        passer = Passer(
            checkpoint=checkpoint,
            day=timezone.localdate(logged_at),
            kind=PasserKind.VEHICLE if vehicle else PasserKind.PERSON,
            plate=plate,
            people=rng.randint(1, 4) if vehicle else 1,
            direction=rng.choice([Direction.IN, Direction.OUT]),
            origin=origin,
            destination=rng.choice(DESTINATIONS),
            temperature=temperature,
            is_fever=fever,
            outcome=outcome,
            logged_by=volunteer if checkpoint.node == zone.villages["三店村"] else leader,
            logged_at=logged_at,
            idempotency_key=f"demo-{index}",
        )
        passers.append(passer)
    Passer.objects.bulk_create(passers, batch_size=500)
    for passer in passers:
        if passer.outcome == Outcome.HANDED_OVER:
            handovers.append(
                Referral(
                    node=passer.checkpoint.node,
                    source_kind=ReferralSource.CHECKPOINT,
                    source_id=passer.pk,
                    source_place=passer.checkpoint.name,
                    name=rng.choice(HANDED_OVER_NAMES),
                    origin=passer.origin,
                    temperature=passer.temperature,
                    reason=f"卡口测温 {passer.temperature}°C，发热",
                    created_by=passer.logged_by,
                )
            )
    Referral.objects.bulk_create(handovers)
