"""The command app's part of the registry: the dashboard, the big screen and the battle
report, which read every other app's figures and declare none of their own."""

from frontline.core.registry import AppManifest, HomeCard, NavEntry, Permission
from frontline.core.roles import Role

MANIFEST = AppManifest(
    label="command",
    permissions=[
        Permission(
            "command.view",
            "查看指挥看板和战报",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.INSPECTOR, Role.ADMIN},
        ),
        Permission("command.manage", "修改战报措辞", {Role.LEADER, Role.ADMIN}),
    ],
    audit_actions={
        "command.report.export_xlsx": "导出战报指标表",
        "command.report.export_pdf": "导出战报 PDF",
        "command.wording.update": "修改战报措辞",
        "command.wording.reset": "恢复战报默认措辞",
    },
    navigation=[NavEntry("看板", "command:dashboard", "command.view", order=60)],
    home_cards=[
        HomeCard(
            "command.dashboard",
            "指挥看板",
            "重点人员、隔离、体温、卡口、复工等当日数字",
            "command:dashboard",
            roles={Role.LEADER: 10, Role.VILLAGE_LEADER: 15},
            permission="command.view",
        ),
        HomeCard(
            "command.report",
            "今日战报",
            "按“党员先上、干部跟上、一起上、复工复产”生成，可导出 PDF 和 Excel",
            "command:report",
            roles={Role.LEADER: 12, Role.VILLAGE_LEADER: 16},
            permission="command.view",
        ),
    ],
    urls="frontline.command.urls",
    url_prefix="command/",
    # Published at /api/v1/figures and /api/v1/reports/battle(.xlsx|.pdf).
    api_router="frontline.command.api:router",
)
