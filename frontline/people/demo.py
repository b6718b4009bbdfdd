"""Demo residents: a few thousand people in households across the demo zone's villages.

Deterministic from the zone's seeded random generator; written with bulk inserts
so the whole demo still loads in seconds.
"""

from datetime import date, timedelta

from frontline.core.demo import DemoZone
from frontline.core.personal_data import (
    encrypt,
    id_number_make,
    id_number_parse,
    keyed_hash,
    phone_last_digits,
)
from frontline.people.models import Household, Relation, Resident, Tag

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "秀英桂兰玉兰凤英建华建国志强永刚海燕丽娟明军红梅春花德胜国庆小龙晓燕雪梅文斌振华"
    "淑珍立新爱民子涵浩然欣怡梓萱宇轩"
)
MOBILE_PREFIXES = [
    "138",
    "139",
    "137",
    "150",
    "151",
    "152",
    "158",
    "159",
    "187",
    "188",
    "133",
    "153",
    "180",
    "189",
]
SIZES = {"三店村": 420, "郑园村": 380}
DEFAULT_SIZE = 110


def _name(rng, surname: str) -> str:
    given_count = rng.choice((1, 2, 2, 2))
    given = "".join(rng.choice(GIVEN) for _ in range(given_count))
    return surname + given


def _id_number(rng, birth: date, used: set[str]) -> str:
    # 赣榆县 (320721) became 赣榆区 (320707) in 2014: both codes live side by side.
    region = "320707" if birth.year >= 2014 or rng.random() < 0.1 else "320721"
    while True:
        value = id_number_make(region, birth, rng.randint(1, 999))
        if value not in used:
            used.add(value)
            return value


def _birth(rng, low: int, high: int) -> date:
    return date(2020, 1, 1) - timedelta(days=rng.randint(low * 365, high * 365))


def load(zone: DemoZone) -> None:
    rng = zone.rng
    tags = {tag.name: tag for tag in Tag.objects.all()}
    used: set[str] = set()
    households: list[Household] = []
    plans: list[tuple[int, list[tuple]]] = []  # household index → member rows
    for village_name, village in zone.villages.items():
        grids = zone.village_grids[village_name]
        size = SIZES.get(village_name, DEFAULT_SIZE)
        people = 0
        number = 0
        while people < size:
            number += 1
            surname = rng.choice(SURNAMES)
            grid = grids[number % len(grids)]
            group = number % 8 + 1
            address = f"{village_name}{group}组{number}号"
            households.append(
                Household(node=village, number=f"{group:02d}-{number:03d}", address=address)
            )
            members = [(Relation.HEAD, _name(rng, surname), _birth(rng, 30, 80))]
            if rng.random() < 0.8:
                members.append(
                    (Relation.SPOUSE, _name(rng, rng.choice(SURNAMES)), _birth(rng, 28, 78))
                )
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                members.append((Relation.CHILD, _name(rng, surname), _birth(rng, 1, 30)))
            if rng.random() < 0.2:
                members.append((Relation.PARENT, _name(rng, surname), _birth(rng, 70, 95)))
            plans.append((len(households) - 1, [(grid, address, *m) for m in members]))
            people += len(members)
    Household.objects.bulk_create(households)

    residents: list[Resident] = []
    tag_plan: list[list[Tag]] = []
    for index, members in plans:
        alone = len(members) == 1
        for grid, address, relation, name, birth in members:
            value = _id_number(rng, birth, used)
            parsed = id_number_parse(value)
            resident = Resident(
                name=name,
                id_cipher=encrypt(value),
                id_hash=keyed_hash(value),
                gender=parsed.gender,
                birth_date=birth,
                address=address,
                node=grid,
                household=households[index],
                relation=relation,
            )
            if birth.year < 2008 and rng.random() < 0.85:
                phone = f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"
                resident.phone_cipher = encrypt(phone)
                resident.phone_hash = keyed_hash(phone)
                resident.phone_last4 = phone_last_digits(phone)
            residents.append(resident)
            chosen = []
            if birth.year < 2002 and rng.random() < 0.09:
                chosen.append(tags["党员"])
            if birth.year < 1955 and (alone or rng.random() < 0.1):
                chosen.append(tags["孤寡老人"])
            if birth.year > 2006 and rng.random() < 0.12:
                chosen.append(tags["留守儿童"])
            if rng.random() < 0.03:
                chosen.append(
                    tags[rng.choice(["困难家庭", "残疾人", "返乡人员", "外来人员", "入党积极分子"])]
                )
            tag_plan.append(chosen)
    Resident.objects.bulk_create(residents, batch_size=500)
    through = Resident.tags.through
    through.objects.bulk_create(
        [
            through(resident_id=resident.pk, tag_id=tag.pk)
            for resident, chosen in zip(residents, tag_plan, strict=True)
            for tag in chosen
        ],
        batch_size=1000,
    )
