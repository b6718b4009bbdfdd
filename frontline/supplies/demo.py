"""Demo supplies: the catalogue, the town store and village stores, the seed's coordinated
receipts and donations (党员义捐), a fund with 200+ people helped, open requests from
enterprises and villages, and one store below its low-stock line."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.core.demo import DemoZone
from frontline.people import public as people
from frontline.supplies import selectors, services
from frontline.supplies.models import DonorKind, ItemCode, MoveKind, RequesterKind, Source

CATALOGUE = [
    ("口罩", ItemCode.MASK, "只", True, [("盒", 50), ("箱", 2000)]),
    ("防护服", ItemCode.SUIT, "套", True, [("箱", 50)]),
    ("护目镜", ItemCode.GOGGLES, "个", True, [("箱", 100)]),
    ("手套", ItemCode.GLOVES, "副", True, [("盒", 100)]),
    ("酒精", ItemCode.ALCOHOL, "kg", False, [("吨", 1000)]),
    ("体温计", ItemCode.THERMOMETER, "支", True, [("盒", 10)]),
    ("消毒液", ItemCode.DISINFECTANT, "L", False, [("桶", 25)]),
]
# The seed: coordinated for enterprises (quantity, unit) — the dashboard's figures.
COORDINATED = [
    ("口罩", 200_000, "只"),
    ("防护服", 50_000, "套"),
    ("护目镜", 1_200, "个"),
    ("手套", 20_000, "副"),
    ("酒精", 22, "吨"),
]
PARTY_MEMBERS = ["王立新", "张秀兰", "李卫东", "刘德明", "陈玉梅", "杨国庆", "赵春华", "孙海燕"]
ENTERPRISES = ["连云港金鹏机械有限公司", "江苏华海食品有限公司", "赣榆永盛纺织厂"]


def load(zone: DemoZone) -> None:
    keeper = zone.users["keeper"]
    leader = zone.users["town_leader"]
    today = timezone.localdate()
    start = today - timedelta(days=40)
    items = {
        name: services.item_create(
            actor=keeper,
            name=name,
            code=code,
            base_unit=unit,
            countable=countable,
            units=[(u, Decimal(f)) for u, f in units],
        )
        for name, code, unit, countable, units in CATALOGUE
    }
    town_store = services.warehouse_create(actor=keeper, node=zone.town, name="开发区防疫物资仓库")
    sandian = zone.villages["三店村"]
    village_store = services.warehouse_create(actor=keeper, node=sandian, name="三店村物资点")
    zhengyuan_store = services.warehouse_create(
        actor=keeper, node=zone.villages["郑园村"], name="郑园村物资点"
    )

    for number, (name, quantity, unit) in enumerate(COORDINATED):
        services.move_record(
            actor=keeper,
            kind=MoveKind.RECEIPT,
            warehouse=town_store,
            item=items[name],
            quantity=quantity,
            unit=unit,
            source=Source.COORDINATION,
            reason="区防控指挥部协调，优先保障企业",
            day=start + timedelta(days=number),
        )

    # 党员义捐: 200,000+ yuan in cash and 300,000+ yuan of goods from party members.
    drive = services.drive_create(actor=keeper, node=zone.town, name="党员义捐")
    rng = zone.rng
    for number in range(80):
        name = rng.choice(PARTY_MEMBERS) + ("" if number < 8 else str(number))
        goods = []
        if number % 4 == 0:
            goods = [services.Goods(items["口罩"], 10, "箱", Decimal("15000.00"))]
        services.donation_record(
            actor=keeper,
            node=zone.town,
            donor_kind=DonorKind.PARTY_MEMBER,
            donor_name=name[:3] if number < 8 else f"党员{number:02d}",
            masked=number % 5 == 0,
            drive=drive,
            cash=Decimal(2600 + 10 * number),
            goods=goods,
            warehouse=town_store if goods else None,
            received_on=start + timedelta(days=number % 30),
            purpose="疫情防控",
        )
    # Enterprises and the public: thermometers and masks, 20,000+ pieces in all.
    for number, enterprise in enumerate(ENTERPRISES):
        services.donation_record(
            actor=keeper,
            node=zone.town,
            donor_kind=DonorKind.ENTERPRISE,
            donor_name=enterprise,
            goods=[
                services.Goods(items["口罩"], 3, "箱", Decimal("9000.00")),
                services.Goods(items["体温计"], 50, "盒", Decimal("12500.00")),
            ],
            warehouse=town_store,
            received_on=start + timedelta(days=3 + number),
            purpose="捐赠一线卡口",
        )
    services.donation_record(
        actor=keeper,
        node=zone.town,
        donor_kind=DonorKind.ANONYMOUS,
        cash=Decimal("5000.00"),
        received_on=start + timedelta(days=5),
        purpose="慰问一线人员",
    )

    # Village stores: 三店村 well stocked, 郑园村 below its line.
    services.move_record(
        actor=keeper,
        kind=MoveKind.TRANSFER,
        warehouse=town_store,
        item=items["口罩"],
        quantity=5,
        unit="箱",
        to_warehouse=village_store,
    )
    services.move_record(
        actor=keeper,
        kind=MoveKind.TRANSFER,
        warehouse=town_store,
        item=items["口罩"],
        quantity=2,
        unit="盒",
        to_warehouse=zhengyuan_store,
    )
    services.threshold_set(
        actor=keeper, warehouse=village_store, item=items["口罩"], threshold=Decimal(2000)
    )
    services.threshold_set(
        actor=keeper, warehouse=zhengyuan_store, item=items["口罩"], threshold=Decimal(1000)
    )
    services.threshold_set(
        actor=keeper, warehouse=town_store, item=items["酒精"], threshold=Decimal(1000)
    )

    # Open requests: enterprises first by the rule, then villages.
    for number, enterprise in enumerate(zone.enterprises[:3]):
        services.request_create(
            actor=keeper,
            node=enterprise,
            kind=RequesterKind.ENTERPRISE,
            needed_by=today + timedelta(days=2 + number),
            reason="复工复产防疫需要",
            lines=[
                services.Asked(items["口罩"], 2 + number, "箱"),
                services.Asked(items["酒精"], 200, "kg"),
            ],
        )
    services.request_create(
        actor=keeper,
        node=sandian,
        kind=RequesterKind.VILLAGE,
        needed_by=today + timedelta(days=1),
        reason="村口卡点执勤",
        lines=[services.Asked(items["口罩"], 10, "盒"), services.Asked(items["体温计"], 20, "支")],
    )

    # 景清基金: 1,000,000+ yuan raised, 200+ people helped (proposed by the keeper,
    # approved by the town leader: two different people).
    fund = services.fund_create(actor=keeper, node=zone.town, name="景清基金")
    for number in range(12):
        services.fund_receipt_record(
            actor=keeper,
            fund=fund,
            amount=Decimal("85000.00") + number * 1000,
            received_on=start + timedelta(days=number * 3),
            donor_name="爱心企业" if number % 2 else "社会各界",
        )
    # The fund helps residents tagged in need (selectors.BENEFICIARY_TAGS); the seed's 200+
    # helped are more than the demo roster tags, so its villages mark a few more
    # households 困难家庭, as their cadres would on the roster.
    tagged = list(selectors.fund_beneficiaries(keeper, fund)[:210])
    if len(tagged) < 210:
        chosen = {r.pk for r in tagged}
        everyone = people.residents_for(keeper, "supplies.fund").order_by("pk")[:400]
        more = [r for r in everyone if r.pk not in chosen][: 210 - len(tagged)]
        people.resident_tags_sync(resident_ids=[r.pk for r in more], tag_name="困难家庭", on=True)
        tagged += more
    for number, resident in enumerate(tagged):
        disbursement = services.disbursement_propose(
            actor=keeper,
            fund=fund,
            resident_id=resident.pk,
            amount=Decimal(1000 + 100 * (number % 10)),
            reason="疫情期间生活困难救助",
        )
        if number < len(tagged) - 3:  # a few wait for the second signature
            services.disbursement_approve(actor=leader, disbursement=disbursement)
