"""Daily screening's part of the registry: records, coverage, assignments, the hand-over list."""

from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import Role
from frontline.screening import figures

MANIFEST = AppManifest(
    label="screening",
    permissions=[
        Permission(
            "screening.view",
            "查看排查记录和覆盖情况",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.GRID_WORKER,
                Role.INSPECTOR,
                Role.ADMIN,
            },
        ),
        Permission(
            "screening.record",
            "填写排查记录",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.GRID_WORKER},
        ),
        Permission("screening.manage", "安排排查责任人、配置检查项", {Role.LEADER, Role.ADMIN}),
        Permission(
            "screening.export",
            "导出每日排查记录",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN},
        ),
    ],
    audit_actions={
        "screening.checklist.add": "新增排查检查项",
        "screening.checklist.toggle": "启用或停用检查项",
        "screening.assignment.create": "安排排查责任人",
        "screening.assignment.delete": "取消排查责任人",
        "screening.record.create": "填写排查记录",
        "screening.record.view": "查看排查记录",
        "screening.record.export": "导出每日排查记录",
        # Hand-overs are key-person control's since 2026-12 (control.referral.create); the
        # name stays declared so that the log still labels the rows written before.
        "screening.referral.create": "转重点人员",
        # The list of hand-overs is still this app's page (screening:referrals).
        "screening.referral.list": "查看待接收的转重点人员",
    },
    navigation=[NavEntry("排查", "screening:board", "screening.view", order=60)],
    home_cards=[
        HomeCard(
            "screening.coverage",
            "排查覆盖",
            "今天哪些村和企业还没排查",
            "screening:board",
            {Role.LEADER: 40},
        ),
        HomeCard(
            "screening.village_leader",
            "包村排查",
            "今天到所包的村排查一遍",
            "screening:record_create",
            {Role.VILLAGE_LEADER: 10},
        ),
        HomeCard(
            "screening.daily",
            "每日排查",
            "本村今天排查了没有，填写排查记录",
            "screening:board",
            {Role.CADRE: 50},
        ),
    ],
    urls="frontline.screening.urls",
    url_prefix="screening/",
    api_router="frontline.screening.api:router",
    api_prefix="v1/screening",
    figures=[
        Figure(
            "units_screened",
            "已排查单位",
            "个",
            figures.units_screened,
            figures.screened_page,
            permission="screening.view",
        ),
        Figure(
            "units_unscreened",
            "今日未排查单位",
            "个",
            figures.units_unscreened,
            figures.unscreened_page,
            kind="now",
            permission="screening.view",
            attention=True,
        ),
    ],
)
