"""Demo screening: a town checklist, who screens what, and a week of visits with gaps."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from frontline.control.models import Referral, ReferralSource
from frontline.core.demo import DemoZone, demo_password
from frontline.core.roles import Role
from frontline.core.services import user_create
from frontline.screening import services
from frontline.screening.models import ScreeningRecord

# 包村领导 beyond the core demo users, each covering a few villages.
EXTRA_LEADERS = [
    ("village_leader_2", "陈立新"),
    ("village_leader_3", "孙海燕"),
    ("village_leader_4", "徐振华"),
]
FINDINGS = [
    "",
    "",
    "",
    "东门无人值守，已督促整改",
    "测温枪电量不足，已更换",
    "消毒记录未及时填写",
    "外来人员登记不全，已补登",
    "",
]
# Units that slip through, so the board has red on it.
MISSED_EVERY_OTHER_DAY = 9


def load(zone: DemoZone) -> None:
    rng = zone.rng
    town = zone.town
    leader = zone.users["town_leader"]
    items = services.checklist_defaults_create(actor=leader, node=town)

    villages = list(zone.villages.values())
    leaders = [zone.users["village_leader_sandian"]]
    for index, (username, full_name) in enumerate(EXTRA_LEADERS):
        leaders.append(
            user_create(
                actor=None,
                username=username,
                full_name=full_name,
                password=demo_password(),
                role=Role.VILLAGE_LEADER,
                node=villages[6 + index],
            )
        )
    screener_of = {}
    for index, village in enumerate(villages):
        screener = leaders[index % len(leaders)]
        services.assignment_create(actor=leader, node=village, assignee=screener)
        screener_of[village.pk] = screener
    services.assignment_create(
        actor=leader, node=zone.villages["三店村"], assignee=zone.users["cadre_sandian"]
    )
    for index, grid in enumerate(zone.enterprise_grids):
        screener = leader if index % 2 == 0 else leaders[index % len(leaders)]
        services.assignment_create(actor=leader, node=grid, assignee=screener)
        for enterprise in grid.children.all():
            screener_of[enterprise.pk] = screener

    units = villages + zone.enterprises
    today = timezone.localdate()
    now = timezone.now()
    records = []
    for days_ago in range(6, -1, -1):
        day = today - timedelta(days=days_ago)
        # Today is half done: the morning round is still under way.
        share = 0.5 if days_ago == 0 else 0.93
        for position, unit in enumerate(units):
            if position % MISSED_EVERY_OTHER_DAY == 0 and days_ago % 2 == 0:
                continue
            if rng.random() > share:
                continue
            records.append(
                ScreeningRecord(
                    node=unit,
                    day=day,
                    screened_by=screener_of[unit.pk],
                    checks=[
                        {"item": item.pk, "label": item.label, "ok": rng.random() > 0.08}
                        for item in items
                    ],
                    findings=rng.choice(FINDINGS),
                    created_at=min(
                        now,
                        timezone.make_aware(
                            datetime.combine(day, time(8 + rng.randint(0, 9), rng.randint(0, 59)))
                        ),
                    ),
                )
            )
    # Bulk: the demo loads in seconds; the audit log records real use, not demo history.
    created = ScreeningRecord.objects.bulk_create(records, batch_size=500)
    referrals = [
        Referral(
            node=record.node,
            source_kind=ReferralSource.SCREENING,
            source_id=record.pk,
            name=name,
            origin=origin,
            reason=reason,
            created_by=record.screened_by,
        )
        for record, (name, origin, reason) in zip(
            rng.sample(created, 3),
            [
                ("王某某", "湖北武汉", "武汉返乡，未满 14 天"),
                ("李某", "浙江温州", "温州返乡"),
                ("赵某某", "本村", "密切接触者"),
            ],
            strict=True,
        )
    ]
    Referral.objects.bulk_create(referrals)
