"""Core's part of the registry: the tree, users, the audit log, and the home cards that
announce capabilities not built yet (the app that builds one declares the same key)."""

from frontline.core import figures
from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import EVERYONE, Role

MANIFEST = AppManifest(
    label="core",
    permissions=[
        Permission("nodes.view", "查看辖区", EVERYONE),
        Permission("nodes.manage", "管理辖区（新建、改名、移动、停用、导入）", {Role.ADMIN}),
        Permission("users.manage", "管理账号和角色", {Role.ADMIN}),
        Permission("audit.view", "查看审计日志", {Role.ADMIN, Role.LEADER}),
    ],
    audit_actions={
        "core.node.create": "新建辖区节点",
        "core.node.rename": "辖区改名",
        "core.node.move": "移动辖区节点",
        "core.node.activate": "启用辖区节点",
        "core.node.deactivate": "停用辖区节点",
        "core.node.import": "Excel 导入辖区",
        "core.user.create": "开通账号",
        "core.user.activate": "启用账号",
        "core.user.deactivate": "停用账号",
        "core.role.assign": "分配角色",
        "core.role.revoke": "撤销角色",
        "core.user.password_change": "修改密码",
        "core.retention.anonymise": "到期记录匿名化",
        "core.user.sign_out_everywhere": "在所有设备上退出",
        "core.api_token.issue": "签发接口令牌",
        "core.api_token.revoke": "注销接口令牌",
        "core.api_token.revoke_all": "注销全部接口令牌",
    },
    navigation=[
        NavEntry("首页", "core:home", "nodes.view", order=10),
        NavEntry("辖区", "core:node_list", "nodes.view", order=50),
        NavEntry("账号", "core:user_list", "users.manage", order=80),
        NavEntry("审计", "core:audit_list", "audit.view", order=90),
    ],
    home_cards=[
        HomeCard(
            "core.nodes",
            "辖区",
            "查看全镇村、网格和企业",
            "core:node_list",
            roles={Role.LEADER: 60},
        ),
        HomeCard("core.village", "本村辖区", "本村的网格", "core:node_list", {Role.CADRE: 60}),
        HomeCard("core.grid", "本网格", "查看本网格", "core:node_list", {Role.GRID_WORKER: 30}),
        HomeCard(
            "core.nodes_manage",
            "辖区管理",
            "新建、改名、移动、停用村、网格和企业；Excel 导入",
            "core:node_list",
            {Role.ADMIN: 10},
        ),
        HomeCard(
            "core.users",
            "账号与角色",
            "为辖区内人员开通账号、分配角色",
            "core:user_list",
            {Role.ADMIN: 20},
        ),
        HomeCard("core.audit", "审计日志", "谁在何时做了什么", "core:audit_list", {Role.ADMIN: 30}),
        # Announced here, built by the apps to come: each declares the same key.
        HomeCard(
            "command.dashboard",
            "指挥看板",
            "重点人员、隔离、体温、卡口、复工等当日数字",
            roles={Role.LEADER: 10},
        ),
        HomeCard("grid.visits", "网格走访", "本网格居民和重点人员", roles={Role.GRID_WORKER: 20}),
        HomeCard("errands.open", "帮您跑腿", "待认领的代购、送餐", roles={Role.VOLUNTEER: 20}),
        HomeCard(
            "supervision.inspections",
            "督查检查",
            "按评分表检查防控点、村和企业",
            roles={Role.INSPECTOR: 10},
        ),
        HomeCard("supervision.rankings", "红黑榜", "本期评分与发布", roles={Role.INSPECTOR: 20}),
        HomeCard(
            "enterprises.application",
            "复工申请",
            "按“123456”清单申请复工",
            roles={Role.ENTERPRISE_CONTACT: 10},
        ),
        HomeCard(
            "enterprises.health_cards",
            "员工健康卡",
            "员工名册和一人一码",
            roles={Role.ENTERPRISE_CONTACT: 20},
        ),
        HomeCard("supplies.ledger", "物资台账", "库存、入库、出库", roles={Role.SUPPLY_KEEPER: 10}),
        HomeCard(
            "supplies.requests",
            "物资申请",
            "企业、卡口、村的申领与分配",
            roles={Role.SUPPLY_KEEPER: 20},
        ),
    ],
    urls="frontline.core.urls",
    url_prefix="",
    api_router="frontline.core.api:router",
    figures=[
        Figure("villages", "村/社区", "个", figures.villages, figures.villages_page, kind="latest"),
        Figure(
            "enterprises",
            "企业",
            "家",
            figures.enterprises,
            figures.enterprises_page,
            kind="latest",
        ),
        Figure(
            "enterprise_grids",
            "企业网格",
            "个",
            figures.enterprise_grids,
            figures.enterprise_grids_page,
            kind="latest",
        ),
    ],
)
