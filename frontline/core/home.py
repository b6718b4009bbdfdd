"""What each role does today: the cards of its home page.

A card names the page that does the work; where that page belongs to a
capability not built yet, `url_name` is None and the card says so.
"""

from dataclasses import dataclass

from frontline.core.roles import Role


@dataclass(frozen=True)
class HomeCard:
    title: str
    detail: str
    url_name: str | None = None
    # Dotted path of a function(user) -> int shown as the card's number (open alerts…).
    count: str | None = None
    # Red when the number is above zero: something waits for this user.
    urgent: bool = False


_C = "frontline.control.selectors"
ALERTS = HomeCard(
    "发热预警", "待处置的发热预警", "control:alert_list", f"{_C}.open_alert_count", True
)
OVERDUE = HomeCard(
    "漏测", "超时未测体温的人次", "control:overdue_list", f"{_C}.overdue_count", True
)
KEY_PERSONS = HomeCard(
    "重点人员", "四个一管控和居家隔离", "control:key_person_list", f"{_C}.key_person_count"
)
SIX_GAPS = HomeCard(
    "六包一缺口", "隔离人员的六名责任人是否到位", "control:gap_list", f"{_C}.six_gap_count", True
)
SERVICES = HomeCard("五送服务", "为隔离和困难家庭送服务、送物资", "control:service_list")

ROLE_HOME: dict[str, list[HomeCard]] = {
    Role.LEADER: [
        HomeCard("指挥看板", "重点人员、隔离、体温、卡口、复工等当日数字"),
        ALERTS,
        KEY_PERSONS,
        HomeCard("排查覆盖", "今天哪些村和企业还没排查", "screening:board"),
        HomeCard("卡口通行", "各卡口今日通行、发热、劝返；无人值守的卡口", "checkpoints:summary"),
        HomeCard("辖区", "查看全镇村、网格和企业", "core:node_list"),
    ],
    Role.VILLAGE_LEADER: [
        HomeCard("包村排查", "今天到所包的村排查一遍", "screening:record_create"),
        SIX_GAPS,
        ALERTS,
    ],
    Role.CADRE: [
        HomeCard("人员花名册", "本村居民、户和标签；Excel 导入", "people:list"),
        KEY_PERSONS,
        ALERTS,
        OVERDUE,
        HomeCard("每日排查", "本村今天排查了没有，填写排查记录", "screening:board"),
        HomeCard("本村辖区", "本村的网格", "core:node_list"),
    ],
    Role.GRID_WORKER: [
        HomeCard("网格居民", "本网格居民、户和标签", "people:list"),
        HomeCard("网格走访", "本网格居民和重点人员"),
        HomeCard("本网格", "查看本网格", "core:node_list"),
    ],
    Role.HEALTH_WORKER: [
        HomeCard(
            "上门测温",
            "今天上午、下午两轮体温：还需测的人次",
            "control:rounds",
            f"{_C}.round_due_count",
        ),
        ALERTS,
        OVERDUE,
    ],
    Role.POLICE: [
        HomeCard("卡口值守", "执勤卡点和通行登记", "checkpoints:list"),
        HomeCard(
            "居家隔离",
            "辖区内居家隔离人员和六包一",
            "control:key_person_list",
            f"{_C}.isolated_count",
        ),
    ],
    Role.VOLUNTEER: [
        SERVICES,
        HomeCard("帮您跑腿", "待认领的代购、送餐"),
        HomeCard("卡口值守", "我的班次、签到和通行登记", "checkpoints:list"),
    ],
    Role.INSPECTOR: [
        HomeCard("督查检查", "按评分表检查防控点、村和企业"),
        HomeCard("红黑榜", "本期评分与发布"),
    ],
    Role.ENTERPRISE_CONTACT: [
        HomeCard("复工申请", "按“123456”清单申请复工"),
        HomeCard("员工健康卡", "员工名册和一人一码"),
    ],
    Role.SUPPLY_KEEPER: [
        HomeCard("物资台账", "库存、入库、出库"),
        HomeCard("物资申请", "企业、卡口、村的申领与分配"),
    ],
    Role.ADMIN: [
        HomeCard("辖区管理", "新建、改名、移动、停用村、网格和企业；Excel 导入", "core:node_list"),
        HomeCard("账号与角色", "为辖区内人员开通账号、分配角色", "core:user_list"),
        HomeCard("审计日志", "谁在何时做了什么", "core:audit_list"),
        HomeCard("人员标签", "维护党员、孤寡老人等人员标签", "people:tags"),
    ],
}
