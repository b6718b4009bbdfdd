"""The demo zone: 赣榆区 → 赣榆经济开发区 → 24 villages with grids, 6 enterprise grids
with 160 enterprises, and a demo user for every role. Deterministic from a seed.

Each app may add a `demo.py` with `load(zone: DemoZone)`; the `demo` command runs
them in INSTALLED_APPS order after this one.
"""

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from frontline.core import services
from frontline.core.models import Node, NodeKind, User
from frontline.core.roles import Role

DEMO_SEED = 2020
DEFAULT_PASSWORD = "frontline2020"

VILLAGES = [
    "三店村",
    "郑园村",
    "朱堵村",
    "王庄村",
    "大沙村",
    "小沙村",
    "石桥村",
    "河疃村",
    "前庄村",
    "后庄村",
    "塔山村",
    "官河村",
    "东林子村",
    "西林子村",
    "沙口村",
    "青墩村",
    "新庄村",
    "马站村",
    "夹山村",
    "欢墩村",
    "罗阳村",
    "刘顶村",
    "城头村",
    "范口村",
]
GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格", "第六网格"]
ENTERPRISE_PREFIX = ["连云港", "江苏", "赣榆"]
ENTERPRISE_WORDS = [
    "金鹏",
    "恒泰",
    "华昌",
    "海天",
    "瑞丰",
    "鑫源",
    "宏达",
    "永盛",
    "东方",
    "金海",
    "九州",
    "万通",
    "新海",
    "博远",
    "中盛",
    "安达",
    "远航",
    "天成",
    "联发",
    "华誉",
    "佳禾",
    "润泽",
    "同创",
    "宇通",
]
ENTERPRISE_TRADES = [
    "机械制造",
    "纺织",
    "食品",
    "新材料",
    "电子科技",
    "水产品加工",
    "包装材料",
    "木业",
    "建材",
    "医疗器械",
    "服饰",
    "光伏科技",
]


@dataclass
class DemoZone:
    """What the demo built, handed to each app's demo loader."""

    rng: random.Random
    district: Node
    town: Node
    villages: dict[str, Node]
    village_grids: dict[str, list[Node]]
    enterprise_grids: list[Node]
    enterprises: list[Node]
    users: dict[str, User] = field(default_factory=dict)
    # Steps a loader defers until every app's demo has loaded (errands' 党员代购车 claims
    # need teams, which load later): run in order, in the same transaction.
    later: list[Callable[[], None]] = field(default_factory=list)


# (username, full name, role, where) — where is a village name, "town", "district",
# "grid:<village>" (its first grid) or "enterprise" (the first enterprise).
DEMO_USERS = [
    ("admin", "管理员", Role.ADMIN, "district"),
    ("town_leader", "王建国", Role.LEADER, "town"),
    ("village_leader_sandian", "李卫东", Role.VILLAGE_LEADER, "三店村"),
    ("cadre_sandian", "张秀兰", Role.CADRE, "三店村"),
    ("cadre_zhengyuan", "郑海波", Role.CADRE, "郑园村"),
    ("grid_sandian", "刘晓燕", Role.GRID_WORKER, "grid:三店村"),
    ("health_sandian", "陈医生", Role.HEALTH_WORKER, "三店村"),
    ("police_sandian", "赵警官", Role.POLICE, "三店村"),
    ("volunteer_sandian", "孙志强", Role.VOLUNTEER, "三店村"),
    ("inspector", "周督察", Role.INSPECTOR, "town"),
    ("enterprise_demo", "吴经理", Role.ENTERPRISE_CONTACT, "enterprise"),
    ("keeper", "钱保管", Role.SUPPLY_KEEPER, "town"),
]


def demo_logins() -> list[tuple[str, str, str, str]]:
    """Core's demo users, then those each app's manifest adds (a second volunteer, a gate guard)."""
    from frontline.core.registry import registry

    logins = list(DEMO_USERS)
    for manifest in registry().manifests.values():
        logins.extend(manifest.demo_logins)
    return logins


def demo_password() -> str:
    return os.environ.get("FRONTLINE_DEMO_PASSWORD") or DEFAULT_PASSWORD


def _enterprise_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = (
            f"{rng.choice(ENTERPRISE_PREFIX)}{rng.choice(ENTERPRISE_WORDS)}"
            f"{rng.choice(ENTERPRISE_TRADES)}有限公司"
        )
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def build_zone(seed: int = DEMO_SEED) -> DemoZone:
    """Build the tree and the demo users; the caller holds the transaction."""
    rng = random.Random(seed)  # noqa: S311 — demo data must repeat, not be secret
    create = services.node_create
    district = create(actor=None, kind=NodeKind.DISTRICT, name="赣榆区", parent=None)
    town = create(actor=None, kind=NodeKind.TOWN, name="赣榆经济开发区", parent=district)
    villages, village_grids = {}, {}
    for name in VILLAGES:
        village = create(actor=None, kind=NodeKind.VILLAGE, name=name, parent=town)
        villages[name] = village
        grid_count = 3 if name in ("三店村", "郑园村") else rng.randint(2, 4)
        village_grids[name] = [
            create(actor=None, kind=NodeKind.GRID, name=grid, parent=village)
            for grid in GRID_NAMES[:grid_count]
        ]
    enterprise_grids = [
        create(actor=None, kind=NodeKind.GRID, name=f"企业{grid}", parent=town)
        for grid in GRID_NAMES
    ]
    enterprises = [
        create(
            actor=None,
            kind=NodeKind.ENTERPRISE,
            name=name,
            parent=enterprise_grids[index % len(enterprise_grids)],
        )
        for index, name in enumerate(_enterprise_names(rng, 160))
    ]
    zone = DemoZone(rng, district, town, villages, village_grids, enterprise_grids, enterprises)

    places = {"district": district, "town": town, "enterprise": enterprises[0]}
    password = demo_password()
    for username, full_name, role, where in demo_logins():
        if where.startswith("grid:"):
            node = village_grids[where.removeprefix("grid:")][0]
        else:
            node = places.get(where) or villages[where]
        user = services.user_create(
            actor=None,
            username=username,
            full_name=full_name,
            password=password,
            role=role,
            node=node,
        )
        if username == "admin":
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        zone.users[username] = user
    return zone
