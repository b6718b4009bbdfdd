"""Demo supervision: two 督察组 with a month of inspections and findings, a published 红黑榜
with 4 示范村 and 6 标杆卡口, the 三项机制 records, and 120+ cadres on holiday duty."""

import importlib
from datetime import time, timedelta

from django.apps import apps as django_apps
from django.utils import timezone

from frontline.checkpoints import services as checkpoint_services
from frontline.checkpoints.models import Checkpoint, CheckpointKind, MemberKind, ShiftMember
from frontline.core.demo import DemoZone
from frontline.people.demo import SURNAMES, _name
from frontline.supervision import ranking, services
from frontline.supervision.models import HolidayDuty, HonourKind, Rubric, TargetKind

SEED = "frontline.supervision.migrations.0002_seed_rubrics_and_honours"
FINDINGS = [
    ("夜班交接记录不全", TargetKind.CHECKPOINT),
    ("测温枪电量不足，未备用", TargetKind.CHECKPOINT),
    ("党旗未插到位", TargetKind.CHECKPOINT),
    ("外来人员登记漏填来源地", TargetKind.CHECKPOINT),
    ("第三网格有 2 户未排查", TargetKind.VILLAGE),
    ("居家隔离户门口未张贴告知书", TargetKind.VILLAGE),
    ("宣传横幅破损未更换", TargetKind.VILLAGE),
]
CADRE_RECORDS = [
    ("evaluated", "朱明", "开发区社会事业局", "三店村东村口连续值守 40 天，协调物资保障"),
    ("evaluated", "徐开光", "开发区经发局", "负责企业复工督查，带队检查 60 家企业"),
    ("evaluated", "沈立新", "开发区党政办", "牵头高速道口卡点值守"),
    ("evaluated", "何晓东", "开发区建设局", "包村督查，整改问题 30 余项"),
    ("promoted", "郑海波", "郑园村委员", "网格排查全覆盖，郑园村获评示范村"),
    ("promoted", "张秀兰", "三店村委员", "组建三店巾帼先锋队"),
    ("promoted", "王强", "朱堵村委员", "卡口值守组织有力"),
    ("activist", "董皓", "郑园村青年", "郑园朝阳青年志愿服务队骨干，昼夜值守"),
    ("activist", "李娜", "三店村青年", "参与入户排查 300 余户"),
    ("activist", "陈刚", "王庄村青年", "义务运送物资 40 余次"),
    ("praise", "刘晓燕", "三店村网格员", "排查台账清楚、无漏户"),
    ("interview", "赵某", "某村干部", "督查发现卡口夜班脱岗，约谈提醒"),
    ("notice", "钱某", "某村干部", "隔离户测温连续两日漏测，通报批评"),
]


def _cadre_names(rng, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        names.add(_name(rng, rng.choice(SURNAMES)))
    return sorted(names)


def load(zone: DemoZone) -> None:
    # The seeded rubrics and honours, again if a test emptied the tables after migrating.
    importlib.import_module(SEED).seed(django_apps, None)
    rng = zone.rng
    leader, inspectors = (
        zone.users["town_leader"],
        [zone.users["inspector"], zone.users["inspector_2"]],
    )
    villages = list(zone.villages.values())
    # Every village stands a checkpoint at its entrance (some had one already).
    with_post = set(Checkpoint.objects.values_list("node_id", flat=True))
    now = timezone.now()
    members = []
    for village in villages:
        if village.pk in with_post:
            continue
        post = checkpoint_services.checkpoint_create(
            actor=leader,
            node=village,
            name=f"{village.name}村口卡点",
            kind=CheckpointKind.VILLAGE_ENTRANCE,
            party_branch=f"{village.name}党支部",
        )
        # A week of day shifts kept by the village's cadres and volunteers.
        for days_ago in range(8):
            shift = checkpoint_services.shift_create(
                actor=None,
                checkpoint=post,
                day=timezone.localdate() - timedelta(days=days_ago),
                start=time(7),
                end=time(19),
            )
            if shift.starts_at > now or rng.random() < 0.15:
                continue
            for kind in (MemberKind.CADRE, MemberKind.VOLUNTEER):
                members.append(
                    ShiftMember(
                        shift=shift,
                        name=_name(rng, rng.choice(SURNAMES)),
                        kind=kind,
                        checked_in_at=shift.starts_at + timedelta(minutes=rng.randint(-10, 5)),
                        checked_out_at=shift.ends_at if shift.ends_at <= now else None,
                    )
                )
    ShiftMember.objects.bulk_create(members)
    groups = [
        services.group_create(
            actor=leader,
            node=zone.town,
            name="第一督察组",
            members=[inspectors[0]],
            scope=[zone.town],
        ),
        services.group_create(
            actor=leader,
            node=zone.town,
            name="第二督察组",
            members=[inspectors[1]],
            scope=villages[12:] + zone.enterprise_grids,
        ),
    ]
    rubrics = {r.target_kind: r for r in Rubric.objects.filter(node=None).prefetch_related("items")}
    owners = {
        zone.villages["三店村"].pk: zone.users["cadre_sandian"],
        zone.villages["郑园村"].pk: zone.users["cadre_zhengyuan"],
    }
    checkpoints = list(Checkpoint.objects.select_related("node").order_by("pk"))
    today = timezone.localdate()
    # Villages and checkpoints whose work is steady score well: the list has a shape.
    strong = {v.pk for v in villages[:4]} | {c.pk for c in checkpoints[:6]}
    key = 0
    for days_ago in range(30, 0, -1):
        at = now - timedelta(days=days_ago, hours=rng.randint(0, 6))
        targets = rng.sample(villages, 2) + rng.sample(checkpoints, 3)
        for target in targets:
            is_village = not isinstance(target, Checkpoint)
            kind = TargetKind.VILLAGE if is_village else TargetKind.CHECKPOINT
            node = target if is_village else target.node
            group = (
                groups[1]
                if (is_village and target in villages[12:] and rng.random() < 0.6)
                else groups[0]
            )
            rubric = rubrics[kind]
            good = target.pk in strong
            scores = {
                str(item.pk): item.points
                - (rng.randint(0, 1) if good else rng.randint(0, item.points // 3))
                for item in rubric.items.all()
            }
            findings = []
            if not good and rng.random() < 0.45:
                text = rng.choice([t for t, k in FINDINGS if k == kind])
                village_pk = node.pk if node.kind == "village" else node.parent_id
                findings.append(
                    {
                        "text": text,
                        "owner_id": owners[village_pk].pk if village_pk in owners else None,
                        "deadline": timezone.localdate(at) + timedelta(days=rng.choice((2, 3, 5))),
                    }
                )
            key += 1
            inspection, _ = services.inspection_create(
                actor=group.members.first(),
                group=group,
                rubric=rubric,
                target_kind=kind,
                target_id=target.pk,
                scores=scores,
                findings=findings,
                idempotency_key=f"demo-inspection-{key}",
                at=at,
            )
            for finding in inspection.findings.all():
                if finding.deadline < today and rng.random() < 0.7:
                    services.finding_rectify(
                        actor=leader, finding=finding, evidence="已整改，附整改前后照片和台账"
                    )
    week = ranking.period_of("week", today - timedelta(days=7))
    published = services.ranking_publish(
        actor=inspectors[0], node=zone.town, period_kind="week", start=week.start
    )
    kinds = {k.target_kind: k for k in HonourKind.objects.all()}
    red = {TargetKind.VILLAGE: 4, TargetKind.CHECKPOINT: 6}
    for kind, count in red.items():
        rows = [r for r in published.rows if r["target_kind"] == kind and r["list"] == "red"]
        for row in rows[:count]:
            services.honour_grant(
                actor=inspectors[0],
                kind=kinds[kind],
                ranking=published,
                target_kind=kind,
                target_id=row["target_id"],
            )
    organisation = zone.users["organisation"]
    for index, (kind, name, position, reason) in enumerate(CADRE_RECORDS):
        services.cadre_record_create(
            actor=organisation,
            node=zone.town,
            kind=kind,
            cadre_name=name,
            position=position,
            day=today - timedelta(days=index + 1),
            reason=reason,
            evidence="督查记录、值守签到表",
        )
    # Holiday duty (干部坚守): typed where no checkpoint check-in shows the cadre.
    duties = []
    for index, name in enumerate(_cadre_names(rng, 124)):
        village = villages[index % len(villages)]
        for offset in range(rng.randint(1, 3)):
            duties.append(
                HolidayDuty(
                    node=village,
                    cadre_name=name,
                    day=today - timedelta(days=offset),
                    place=f"{village.name}村委会值班室" if offset else f"{village.name}村口",
                    created_by=leader,
                )
            )
    HolidayDuty.objects.bulk_create(duties)
