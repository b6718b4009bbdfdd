"""Key-person control's part of the registry: 四个一, isolation, rounds, alerts, 五送."""

from frontline.control import figures
from frontline.core.registry import (
    AppManifest,
    Figure,
    HomeCard,
    NavEntry,
    Permission,
    Retention,
)
from frontline.core.roles import Role


def _count(name: str):
    """A home-card count read from control's selectors when the card is shown."""

    def count(user) -> int:
        from frontline.control import selectors

        return getattr(selectors, name)(user)

    count.__name__ = name
    return count


MANIFEST = AppManifest(
    label="control",
    permissions=[
        # The six people of 六包一 and the leaders above them follow key persons.
        Permission(
            "control.view",
            "查看重点人员、居家隔离、体温和预警",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.GRID_WORKER,
                Role.HEALTH_WORKER,
                Role.POLICE,
                Role.VOLUNTEER,
                Role.ADMIN,
            },
        ),
        Permission(
            "control.edit",
            "登记重点人员，落实四个一、居家隔离和六包一",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN},
        ),
        # Door-step temperatures are taken by health-centre staff (每天两次上门测量体温).
        Permission("control.reading", "上门测量体温", {Role.HEALTH_WORKER}),
        Permission(
            "control.alert",
            "处置发热预警",
            {Role.HEALTH_WORKER, Role.CADRE, Role.VILLAGE_LEADER, Role.LEADER},
        ),
        Permission(
            "control.service",
            "记录五送服务",
            {
                Role.VOLUNTEER,
                Role.CADRE,
                Role.GRID_WORKER,
                Role.HEALTH_WORKER,
                Role.VILLAGE_LEADER,
            },
        ),
        # Hand-overs (转重点人员) are seen by those who hand over and those who accept.
        Permission(
            "referrals.view",
            "查看待接收的转重点人员",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.GRID_WORKER,
                Role.HEALTH_WORKER,
                Role.POLICE,
                Role.ADMIN,
            },
        ),
        # The kinds of key person and of 五送 service are one list for the district, kept
        # by the town.
        Permission(
            "control.configure", "维护重点人员类别和五送服务类别", {Role.LEADER, Role.ADMIN}
        ),
        # The daily lists a village sends upward (体温登记表 and the rest), masked like the pages.
        Permission(
            "control.export",
            "导出重点人员、体温登记表、漏测和发热预警（打码）",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.HEALTH_WORKER, Role.ADMIN},
        ),
        # Importing creates residents too: only roles that may register residents.
        Permission(
            "control.import", "Excel 导入流调名单，批量登记重点人员", {Role.CADRE, Role.ADMIN}
        ),
    ],
    audit_actions={
        "control.key_person.create": "登记重点人员",
        "control.key_person.control": "落实四个一",
        "control.key_person.note": "记录管控工作",
        "control.key_person.close": "解除重点人员管控",
        "control.key_person.identify": "补录重点人员身份证号",
        "control.category.save": "新增或修改重点人员类别",
        "control.service_kind.save": "新增或修改五送服务类别",
        "control.key_person.list": "查看重点人员名单",
        "control.key_person.view": "查看重点人员",
        "control.referral.create": "转重点人员",
        "control.referral.accept": "接收转来的重点人员",
        "control.referral.view": "查看转来的重点人员（体温、来源地）",
        "control.gap.list": "查看四个一、六包一缺口名单",
        "control.service.list": "查看五送服务记录",
        "control.isolation.start": "开始居家隔离",
        "control.isolation.released": "解除居家隔离",
        "control.isolation.ended_early": "提前结束居家隔离",
        "control.isolation.transferred": "转运",
        "control.isolation.view": "查看居家隔离",
        "control.six.set": "调整六包一责任人",
        "control.reading.create": "上门测温",
        "control.round.view": "查看测温任务",
        "control.alert.handle": "处置发热预警",
        "control.alert.list": "查看发热预警",
        "control.alert.view": "查看发热预警详情",
        "control.overdue.list": "查看漏测名单",
        "control.reading.list": "查看体温记录",
        "control.service.create": "记录五送服务",
        "control.key_person.export": "导出重点人员名单",
        "control.reading.export": "导出体温登记表",
        "control.overdue.export": "导出漏测名单",
        "control.alert.export": "导出发热预警",
    },
    navigation=[
        NavEntry("测温", "control:rounds", "control.reading", order=30),
        NavEntry("重点人员", "control:key_person_list", "control.view", order=40),
    ],
    home_cards=[
        HomeCard(
            "control.alerts",
            "发热预警",
            "待处置的发热预警",
            "control:alert_list",
            {Role.LEADER: 20, Role.VILLAGE_LEADER: 30, Role.CADRE: 30, Role.HEALTH_WORKER: 20},
            count=_count("open_alert_count"),
            urgent=True,
        ),
        HomeCard(
            "control.overdue",
            "漏测",
            "超时未测体温的人次",
            "control:overdue_list",
            {Role.CADRE: 40, Role.HEALTH_WORKER: 30},
            count=_count("overdue_count"),
            urgent=True,
        ),
        HomeCard(
            "control.key_persons",
            "重点人员",
            "四个一管控和居家隔离",
            "control:key_person_list",
            {Role.LEADER: 30, Role.CADRE: 20},
            count=_count("key_person_count"),
        ),
        HomeCard(
            "control.six_gaps",
            "六包一缺口",
            "隔离人员的六名责任人是否到位",
            "control:gap_list",
            {Role.VILLAGE_LEADER: 20},
            count=_count("six_gap_count"),
            urgent=True,
        ),
        HomeCard(
            "control.services",
            "五送服务",
            "为隔离和困难家庭送服务、送物资",
            "control:service_list",
            {Role.VOLUNTEER: 10},
        ),
        HomeCard(
            "control.rounds",
            "上门测温",
            "今天上午、下午两轮体温：还需测的人次",
            "control:rounds",
            {Role.HEALTH_WORKER: 10},
            count=_count("round_due_count"),
        ),
        # The grid worker's visits (announced in core's manifest): the key persons of the
        # grid, each visit written on the case page's 管控记录.
        HomeCard(
            "grid.visits",
            "网格走访",
            "本网格的重点人员和居家隔离：上门走访，记下情况",
            "control:key_person_list",
            {Role.GRID_WORKER: 20},
            count=_count("key_person_count"),
        ),
        HomeCard(
            "control.isolated",
            "居家隔离",
            "辖区内居家隔离人员和六包一",
            "control:key_person_list",
            {Role.POLICE: 20},
            count=_count("isolated_count"),
        ),
    ],
    importers=["frontline.control.lead_import:LeadListImporter"],
    urls="frontline.control.urls",
    url_prefix="control/",
    # Published at /api/v1/key-persons, /isolations, /readings, /rounds, /alerts, /services,
    # /referrals, /key-person-categories, /service-kinds (reads in api.py, the case
    # pages' writes added in api_actions.py).
    api_router="frontline.control.api_actions:router",
    figures=[
        Figure(
            "key_persons",
            "重点人员",
            "人",
            figures.key_persons,
            figures.key_person_page,
            kind="distinct",
            permission="control.view",
        ),
        Figure(
            "isolated_now",
            "居家隔离",
            "人",
            figures.isolated_now,
            figures.isolated_page,
            kind="latest",
            permission="control.view",
        ),
        Figure(
            "readings",
            "体温测量人次",
            "人次",
            figures.readings,
            figures.reading_page,
            permission="control.view",
        ),
        Figure(
            "fevers",
            "发热",
            "人次",
            figures.fevers,
            figures.fever_page,
            permission="control.view",
            attention=True,
        ),
        Figure(
            "readings_missed",
            "漏测",
            "人次",
            figures.readings_missed,
            figures.overdue_page,
            permission="control.view",
            attention=True,
        ),
        Figure(
            "alerts_open",
            "待处置预警",
            "条",
            figures.alerts_open,
            figures.alert_page,
            kind="now",
            permission="control.view",
            attention=True,
        ),
    ],
    retention=[
        Retention(
            "readings",
            "居家隔离地址、体温记录的症状和预警处置说明",
            "隔离结束",
            count="frontline.control.selectors:isolations_past_retention",
            anonymise="frontline.control.services.retention:isolations_anonymise",
            fields=("address", "end_reason", "symptoms", "note"),
        ),
        Retention(
            "screening_persons",
            "排查发现并转交的人员（姓名、来源地、原因）",
            "转交",
            count="frontline.control.selectors:screening_persons_past_retention",
            anonymise="frontline.control.services.retention:screening_persons_anonymise",
            fields=("name", "origin", "reason"),
        ),
        Retention(
            "referrals",
            "卡口、门岗转交的人员（姓名、来源地、原因）",
            "转交",
            count="frontline.control.selectors:referrals_past_retention",
            anonymise="frontline.control.services.retention:referrals_anonymise",
            fields=("name", "origin", "reason"),
        ),
    ],
)
