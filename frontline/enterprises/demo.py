"""Demo enterprise resumption: the 160 demo enterprises registered and in every state of
the 123456 application, employees with cards (one isolated: red at the gate), policies
with applications, service-hall slots, open, overdue and resolved tickets."""

import importlib
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from frontline.control import public as control
from frontline.core import services as core_services
from frontline.core.demo import DemoZone, demo_password
from frontline.core.roles import Role
from frontline.enterprises import services
from frontline.enterprises.models import (
    Answer,
    Employee,
    Enterprise,
    Headcount,
    Heading,
    Sector,
    TicketKind,
)
from frontline.people import public as people

CHECKLIST = {
    Heading.CARD: [("全员建立健康卡，一人一码", False), ("每日体温登记两次", True)],
    Heading.LOOPS: [
        ("员工上下班闭环管理（专车或固定路线）", True),
        ("厂区封闭管理，外来人员登记", True),
    ],
    Heading.SUPERVISION: [
        ("网格员驻企监管", False),
        ("防疫专员每日巡查", True),
        ("食堂分餐错峰", True),
    ],
    Heading.GUARANTEES: [
        ("口罩、消毒液等防疫物资储备 7 天以上", True),
        ("设置临时隔离观察室", True),
        ("员工宿舍每间不超过 6 人", True),
        ("生产原料供应有保障", False),
    ],
    Heading.SUPPORT: [("落实党支部书记包保", False), ("已对接惠企政策专员", False)],
    Heading.MECHANISMS: [
        ("疫情报告机制", True),
        ("应急处置预案", True),
        ("每日消杀制度", True),
        ("员工健康监测制度", True),
        ("返岗人员分类管理", True),
        ("信息报送制度", False),
    ],
}
POLICIES = [
    ("房租减免", "《扶持企业十项举措》", Decimal("50000")),
    ("税费奖补", "《推动企业复工复产十条政策》", Decimal("100000")),
    ("金融扶持（贴息贷款）", "《推动企业复工复产十条政策》", Decimal("500000")),
    ("稳岗补贴", "《扶持企业十项举措》", Decimal("30000")),
]
TICKETS = [
    (TicketKind.LABOUR, "外地员工无法返岗，缺普工 {n} 名"),
    (TicketKind.FUNDS, "流动资金紧张，需贷款 {n} 万元"),
    (TicketKind.SUPPLIES, "口罩缺口 {n}00 只，消毒液不足"),
    (TicketKind.OTHER, "原料运输车辆通行证办理"),
]
ORIGINS = ["本地", "本地", "本地", "临沂", "日照", "青口镇", "湖北黄冈", "连云港市区"]
# Of every ten enterprises: how far its application got.
STATES = ["none", "draft", "submitted", "reviewed", "returned", "approved", "approved",
          "approved", "approved", "approved"]  # fmt: skip


def _uscc(index: int) -> str:
    body = f"91320707MA1Y{index:05d}"
    return body + stdnum_uscc.calc_check_digit(body)


def load(zone: DemoZone) -> None:
    # The sectors come with a migration; a test's flush may have emptied them since.
    importlib.import_module("frontline.enterprises.migrations.0002_sectors").seed(apps, None)
    rng = zone.rng
    leader = zone.users["town_leader"]
    contact = zone.users["enterprise_demo"]
    today = timezone.localdate()
    items = [
        services.checklist_item_create(
            actor=leader,
            node=zone.town,
            heading=heading,
            text=text,
            evidence_required=evidence,
            order=order,
        )
        for heading, rows in CHECKLIST.items()
        for order, (text, evidence) in enumerate(rows)
    ]
    # The grid leader (网格长) of each enterprise grid reviews its enterprises.
    reviewers = {
        grid.pk: core_services.user_create(
            actor=None,
            username=f"grid_qiye{index + 1}",
            full_name=f"企业网格长{index + 1}",
            password=demo_password(),
            role=Role.GRID_WORKER,
            node=grid,
        )
        for index, grid in enumerate(zone.enterprise_grids)
    }
    sectors = list(Sector.objects.all())
    # 160 records at once: the demo seeds what a town registered over weeks.
    records = []
    for index, node in enumerate(zone.enterprises):
        planned = rng.randint(15, 600)
        records.append(
            Enterprise(
                node=node,
                uscc=_uscc(index),
                sector=rng.choice(sectors),
                planned_headcount=planned,
                onsite_headcount=rng.randint(planned // 3, planned),
                party_branch=f"{node.name[:4]}党支部" if rng.random() < 0.6 else "",
            )
        )
    Enterprise.objects.bulk_create(records)
    # A week of on-site figures climbing to today's, as contacts report them daily.
    today = timezone.localdate()
    Headcount.objects.bulk_create(
        Headcount(
            enterprise=e,
            day=today - timedelta(days=back),
            onsite=e.onsite_headcount * (7 - back) // 7 if back else e.onsite_headcount,
        )
        for e in records
        for back in range(7)
    )

    for index, enterprise in enumerate(records):
        state = "returned" if index == 0 else STATES[index % len(STATES)]
        if state == "none":
            continue
        filer = contact if index == 0 else leader
        app = services.application_start(actor=filer, enterprise=enterprise)
        # Twenty answers per enterprise: written at once, as a filled draft would be.
        Answer.objects.bulk_create(
            Answer(application=app, item=item, round=1, meets=True, evidence="已落实，台账备查")
            for item in items
        )
        if state == "draft":
            continue
        services.application_submit(actor=filer, application=app)
        if state == "submitted":
            continue
        reviewer = reviewers[enterprise.node.parent_id]
        verdicts = {item.pk: ("ok", "") for item in items}
        if state == "returned":
            observation = next(item for item in items if item.text == "设置临时隔离观察室")
            verdicts[observation.pk] = ("not_ok", "隔离观察室未设置，请补充照片")
        services.application_review(actor=reviewer, application=app, verdicts=verdicts)
        if state == "approved":
            services.application_approve(actor=leader, application=app)

    _employees(zone, records)
    _support(zone, records, today)


def _employees(zone: DemoZone, records) -> None:
    """Employees for the first 20 enterprises, from the registry's residents; the demo
    enterprise gets an isolated employee (red) and one back from an affected area (amber)."""
    rng = zone.rng
    leader = zone.users["town_leader"]
    residents = list(people.residents_for(leader).order_by("pk")[:3000])
    flags = control.health_flags_for([r.pk for r in residents], timezone.localdate())
    flagged = [r for r in residents if r.pk in flags]
    plain = [r for r in residents if r.pk not in flags]
    rng.shuffle(plain)
    employees = []
    for index, enterprise in enumerate(records[:20]):
        staff = [plain.pop() for _ in range(rng.randint(6, 14))]
        if index == 0 and flagged:
            staff.insert(0, flagged[0])
        for number, resident in enumerate(staff):
            affected = index == 0 and number == 1
            employees.append(
                Employee(
                    enterprise=enterprise,
                    resident=resident,
                    origin="湖北黄冈" if affected else rng.choice(ORIGINS),
                    from_affected_area=affected,
                    return_date=timezone.localdate()
                    - timedelta(days=rng.randint(1, 10) if affected else rng.randint(15, 30)),
                    commute=rng.choice(["commute", "dormitory"]),
                    code=f"D{len(employees):07d}",
                )
            )
    # Codes of the demo's own series (D + a number); issued cards draw random ones.
    Employee.objects.bulk_create(employees)


def _support(zone: DemoZone, records, today) -> None:
    rng = zone.rng
    leader = zone.users["town_leader"]
    policies = [
        services.policy_create(actor=leader, node=zone.town, name=name, document=doc, cap=cap)
        for name, doc, cap in POLICIES
    ]
    for index, enterprise in enumerate(records[:40]):
        policy = policies[index % len(policies)]
        amount = (policy.cap * Decimal(rng.randint(20, 100)) / 100).quantize(Decimal("1"))
        application = services.policy_apply(
            actor=leader, policy=policy, enterprise=enterprise, amount=amount
        )
        if index % 4 == 0:
            continue
        services.policy_decide(
            actor=leader, application=application, grant=index % 7 != 0, amount=None
        )

    tz = timezone.get_current_timezone()
    slots = []
    for day in range(1, 6):
        for hour in (9, 14):
            starts_at = datetime.combine(today + timedelta(days=day), time(hour), tzinfo=tz)
            slots.append(
                services.slot_create(actor=leader, node=zone.town, starts_at=starts_at, capacity=5)
            )
    for index, enterprise in enumerate(records[:12]):
        services.appointment_book(actor=leader, enterprise=enterprise, slot=slots[index % 3])

    for index, enterprise in enumerate(records[:30]):
        kind, text = TICKETS[index % len(TICKETS)]
        due = today + timedelta(days=rng.randint(-5, 7))
        ticket = services.ticket_create(
            actor=leader,
            enterprise=enterprise,
            kind=kind,
            description=text.format(n=rng.randint(2, 30)),
            due_date=due,
        )
        if index % 3 == 0:
            services.ticket_resolve(actor=leader, ticket=ticket, resolution="已协调解决")
