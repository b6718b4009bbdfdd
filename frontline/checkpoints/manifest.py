"""Checkpoints' part of the registry: barriers, duty rosters and the passer log."""

from frontline.checkpoints import figures
from frontline.core.registry import (
    AppManifest,
    Figure,
    HomeCard,
    NavEntry,
    Permission,
    Retention,
)
from frontline.core.roles import Role

MANIFEST = AppManifest(
    label="checkpoints",
    permissions=[
        Permission(
            "checkpoints.view",
            "查看卡口、排班和通行统计",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.GRID_WORKER,
                Role.POLICE,
                Role.VOLUNTEER,
                Role.INSPECTOR,
                Role.ENTERPRISE_CONTACT,
                Role.ADMIN,
            },
        ),
        # Whoever stands at a barrier: volunteers, police, cadres, an enterprise's gate keeper.
        Permission(
            "checkpoints.duty",
            "卡口签到签退、登记通行人员",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.GRID_WORKER,
                Role.POLICE,
                Role.VOLUNTEER,
                Role.HEALTH_WORKER,
                Role.ENTERPRISE_CONTACT,
            },
        ),
        Permission(
            "checkpoints.manage",
            "管理卡口、班次模板和排班",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN},
        ),
        # The day's passer list a village sends upward (plates, origins, temperatures).
        Permission(
            "checkpoints.export",
            "导出每日通行登记",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.POLICE, Role.ADMIN},
        ),
    ],
    audit_actions={
        "checkpoints.checkpoint.create": "新建卡口",
        "checkpoints.checkpoint.update": "修改卡口",
        "checkpoints.template.create": "新建班次模板",
        "checkpoints.shift.create": "排班",
        "checkpoints.shift_member.add": "安排值守人员",
        "checkpoints.shift_member.remove": "移出值守人员",
        "checkpoints.duty.check_in": "卡口签到",
        "checkpoints.duty.check_out": "卡口签退",
        "checkpoints.passer.create": "登记通行人员",
        "checkpoints.passer.list": "查看通行登记",
        "checkpoints.passer.export": "导出每日通行登记",
    },
    navigation=[NavEntry("卡口", "checkpoints:list", "checkpoints.view", order=70)],
    home_cards=[
        HomeCard(
            "checkpoints.summary",
            "卡口通行",
            "各卡口今日通行、发热、劝返；无人值守的卡口",
            "checkpoints:summary",
            {Role.LEADER: 50},
        ),
        HomeCard(
            "checkpoints.duty_police",
            "卡口值守",
            "执勤卡点和通行登记",
            "checkpoints:list",
            {Role.POLICE: 10},
        ),
        HomeCard(
            "checkpoints.duty",
            "卡口值守",
            "我的班次、签到和通行登记",
            "checkpoints:list",
            {Role.VOLUNTEER: 30},
        ),
    ],
    urls="frontline.checkpoints.urls",
    url_prefix="checkpoints/",
    api_router="frontline.checkpoints.api:router",
    api_prefix="v1/checkpoints",
    figures=[
        Figure(
            "checkpoints_manned",
            "在岗卡口",
            "个",
            figures.checkpoints_manned,
            figures.manned_page,
            kind="distinct",
            permission="checkpoints.view",
        ),
        Figure(
            "passers",
            "通行登记",
            "人次",
            figures.passers,
            figures.passer_page,
            permission="checkpoints.view",
        ),
        Figure(
            "turned_back",
            "劝返",
            "人次",
            figures.turned_back,
            figures.turned_back_page,
            permission="checkpoints.view",
        ),
        Figure(
            "checkpoints_unmanned",
            "无人在岗卡口",
            "个",
            figures.checkpoints_unmanned,
            figures.unmanned_page,
            kind="now",
            permission="checkpoints.view",
            attention=True,
        ),
    ],
    retention=[
        Retention(
            "passers",
            "卡口通行登记（车牌、来自、去往、备注）",
            "登记当天",
            count="frontline.checkpoints.selectors:passers_past_retention",
            anonymise="frontline.checkpoints.services:passers_anonymise",
            fields=("plate", "origin", "destination", "note"),
        ),
    ],
)
