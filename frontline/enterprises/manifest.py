"""Enterprise resumption's part of the registry: the 123456 application, employees' health
cards and the gate, appointments, policy support and difficulty tickets."""

from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import Role
from frontline.enterprises import figures

GATE_GUARD = "gate_guard"

CADRES = {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.GRID_WORKER, Role.ADMIN}

MANIFEST = AppManifest(
    label="enterprises",
    roles={GATE_GUARD: "企业门岗"},
    permissions=[
        Permission(
            "enterprises.view",
            "查看企业档案、复工申请、员工名册",
            {*CADRES, Role.INSPECTOR, Role.ENTERPRISE_CONTACT},
        ),
        Permission(
            "enterprises.manage",
            "企业建档；维护检查项、预约时段和扶持政策",
            {Role.LEADER, Role.CADRE, Role.ADMIN},
        ),
        # The enterprise files itself (网上办) or a cadre files for it (帮代办).
        Permission(
            "enterprises.file",
            "填报复工申请、员工名册、政策申请和困难诉求",
            {Role.ENTERPRISE_CONTACT, Role.LEADER, Role.CADRE, Role.GRID_WORKER},
        ),
        Permission(
            "enterprises.review",
            "网格逐项审核复工申请（可退回）",
            {Role.GRID_WORKER, Role.CADRE, Role.VILLAGE_LEADER},
        ),
        Permission("enterprises.approve", "批准或退回复工申请、审批扶持政策", {Role.LEADER}),
        Permission(
            "enterprises.tickets",
            "认领和办结企业困难",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.GRID_WORKER},
        ),
        # The gate guard sees a card's colour and masked name, never the health record.
        Permission("enterprises.gate", "门岗扫健康码", {GATE_GUARD, Role.ENTERPRISE_CONTACT}),
    ],
    audit_actions={
        "enterprises.enterprise.create": "企业建档",
        "enterprises.enterprise.update": "修改企业档案",
        "enterprises.enterprise.export": "导出企业复工清单",
        "enterprises.headcount.record": "登记在岗人数",
        "enterprises.item.create": "新增复工检查项",
        "enterprises.item.update": "修改复工检查项",
        "enterprises.application.start": "开始复工申请",
        "enterprises.answer.save": "填写复工检查项",
        "enterprises.application.submit": "提交复工申请",
        "enterprises.application.review": "网格审核复工申请",
        "enterprises.application.approve": "批准复工",
        "enterprises.application.return": "退回复工申请",
        "enterprises.employee.add": "登记员工",
        "enterprises.employee.list": "查看员工健康状态",
        "enterprises.card.view": "查看员工健康码",
        "enterprises.card.reissue": "重新制发健康码",
        "enterprises.card.revoke": "作废健康码",
        "enterprises.gate.scan": "门岗扫码",
        "enterprises.slot.create": "新增预约时段",
        "enterprises.appointment.book": "预约办理",
        "enterprises.appointment.cancel": "取消预约",
        "enterprises.policy.create": "新增扶持政策",
        "enterprises.policy_application.create": "申请扶持政策",
        "enterprises.policy_application.decide": "审批扶持政策申请",
        "enterprises.ticket.create": "反映企业困难",
        "enterprises.ticket.assign": "认领企业困难",
        "enterprises.ticket.resolve": "办结企业困难",
    },
    navigation=[NavEntry("复工", "enterprises:list", "enterprises.view", order=75)],
    home_cards=[
        HomeCard(
            "enterprises.application",
            "复工申请",
            "按“123456”清单申请复工",
            "enterprises:mine",
            roles={Role.ENTERPRISE_CONTACT: 10},
            permission="enterprises.file",
        ),
        HomeCard(
            "enterprises.health_cards",
            "员工健康卡",
            "员工名册和一人一码",
            "enterprises:employees_mine",
            roles={Role.ENTERPRISE_CONTACT: 20},
            permission="enterprises.view",
        ),
        HomeCard(
            "enterprises.gate",
            "门岗扫码",
            "输入或扫描员工健康码",
            "enterprises:gate",
            roles={GATE_GUARD: 10},
            permission="enterprises.gate",
        ),
        HomeCard(
            "enterprises.resumption",
            "复工复产",
            "企业复工申请审核、扶持政策、困难诉求",
            "enterprises:list",
            roles={Role.LEADER: 55, Role.GRID_WORKER: 40, Role.CADRE: 55},
            permission="enterprises.view",
        ),
    ],
    urls="frontline.enterprises.urls",
    url_prefix="enterprises/",
    api_router="frontline.enterprises.api:router",
    figures=[
        Figure(
            "enterprises_resumed",
            "已复工企业",
            "家",
            figures.enterprises_resumed,
            figures.resumed_page,
            # A state (resumed as of the last day), not a flow: never added up over days.
            kind="latest",
            permission="enterprises.view",
        ),
        Figure(
            "employees_on_site",
            "在岗员工",
            "人",
            figures.employees_on_site,
            figures.resumed_page,
            kind="latest",
            permission="enterprises.view",
        ),
        Figure(
            "policy_support",
            "政策扶持资金",
            "元",
            figures.policy_support,
            figures.policy_page,
            kind="sum",
            permission="enterprises.view",
        ),
        Figure(
            "tickets_resolved",
            "已解决企业困难",
            "件",
            figures.tickets_resolved,
            figures.tickets_page,
            permission="enterprises.view",
        ),
    ],
    importers=["frontline.enterprises.imports:EnterpriseImporter"],
    demo_logins=[("gate_demo", "马门卫", GATE_GUARD, "enterprise")],
)
