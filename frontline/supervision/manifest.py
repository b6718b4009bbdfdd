"""Supervision's part of the registry: 督察组 inspections, the 红黑榜, honours, cadre records."""

from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import Role
from frontline.supervision import figures

ORGANISATION = "organisation"

MANIFEST = AppManifest(
    label="supervision",
    # The party committee's organisation office (组织部门): reads and writes cadre records.
    roles={ORGANISATION: "组织部门"},
    permissions=[
        Permission(
            "supervision.view",
            "查看督查检查、问题整改、红黑榜和荣誉",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.INSPECTOR,
                Role.ADMIN,
                ORGANISATION,
            },
        ),
        Permission("supervision.inspect", "督查检查、打分、记录问题、复查", {Role.INSPECTOR}),
        Permission(
            "supervision.rectify",
            "整改督查发现的问题",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE},
        ),
        Permission(
            "supervision.manage",
            "管理督察组和评分表，发布红黑榜，授予荣誉",
            {Role.LEADER, Role.INSPECTOR, Role.ADMIN},
        ),
        # The owner's leaders: overdue findings of those below them are flagged to them.
        Permission(
            "supervision.oversee",
            "督促下属逾期未整改的督查问题",
            {Role.LEADER, Role.VILLAGE_LEADER},
        ),
        Permission(
            "supervision.cadre_records",
            "查看和登记干部记实（问责、三项机制）",
            {Role.INSPECTOR, ORGANISATION},
        ),
        Permission(
            "supervision.duty",
            "登记干部节日坚守",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, ORGANISATION},
        ),
    ],
    audit_actions={
        "supervision.group.create": "新建督察组",
        "supervision.rubric.create": "新建评分表",
        "supervision.inspection.create": "督查检查打分",
        "supervision.finding.create": "记录督查问题",
        "supervision.finding.rectify": "问题整改销号",
        "supervision.finding.reinspect": "复查未整改",
        "supervision.ranking.publish": "发布红黑榜",
        "supervision.weights.update": "修改红黑榜权重",
        "supervision.group.update": "修改督察组",
        "supervision.rubric.update": "修改评分表",
        "supervision.honour.grant": "授予荣誉",
        "supervision.honour_kind.create": "新增荣誉称号",
        "supervision.cadre_record.create": "登记干部记实",
        "supervision.cadre_record.list": "查看干部记实",
        "supervision.cadre_record.view": "查看一条干部记实",
        "supervision.duty.create": "登记干部坚守",
    },
    navigation=[NavEntry("督查", "supervision:inspections", "supervision.view", order=75)],
    home_cards=[
        HomeCard(
            "supervision.inspections",
            "督查检查",
            "按评分表检查防控点、村和企业",
            "supervision:inspections",
            {Role.INSPECTOR: 10},
            permission="supervision.view",
        ),
        HomeCard(
            "supervision.rankings",
            "红黑榜",
            "本期评分与发布",
            "supervision:rankings",
            {Role.INSPECTOR: 20, Role.LEADER: 55},
            permission="supervision.view",
        ),
        HomeCard(
            "supervision.findings_mine",
            "督查整改",
            "督查发现、待我整改的问题",
            "supervision:findings",
            {Role.CADRE: 25, Role.VILLAGE_LEADER: 25},
            count=figures.my_open_findings,
            urgent=True,
            permission="supervision.rectify",
        ),
        HomeCard(
            "supervision.findings_overdue",
            "逾期整改督促",
            "下属责任人过了整改期限仍未整改的督查问题",
            "supervision:findings_flagged",
            {Role.VILLAGE_LEADER: 24, Role.LEADER: 56},
            count=figures.flagged_findings,
            urgent=True,
            permission="supervision.oversee",
        ),
        HomeCard(
            "supervision.cadre_records",
            "干部记实",
            "问责、表扬和三项机制",
            "supervision:cadre_records",
            {ORGANISATION: 10, Role.INSPECTOR: 30},
            permission="supervision.cadre_records",
        ),
    ],
    urls="frontline.supervision.urls",
    url_prefix="supervision/",
    api_router="frontline.supervision.api:router",
    figures=[
        Figure(
            "inspection_groups",
            "督察组",
            "个",
            figures.inspection_groups,
            figures.groups_page,
            # A state: what stands at the span's end, never added up day by day.
            kind="latest",
            permission="supervision.view",
        ),
        Figure(
            "model_villages",
            "示范村",
            "个",
            figures.model_villages,
            figures.honours_page,
            # A state: what stands at the span's end, never added up day by day.
            kind="latest",
            permission="supervision.view",
        ),
        Figure(
            "benchmark_checkpoints",
            "标杆卡口",
            "个",
            figures.benchmark_checkpoints,
            figures.honours_page,
            # A state: what stands at the span's end, never added up day by day.
            kind="latest",
            permission="supervision.view",
        ),
        Figure(
            "cadres_evaluated",
            "股级干部考察",
            "人",
            figures.cadres_evaluated,
            figures.cadre_page("evaluated"),
            permission="supervision.cadre_records",
        ),
        Figure(
            "cadres_promoted",
            "村干部提拔",
            "人",
            figures.cadres_promoted,
            figures.cadre_page("promoted"),
            permission="supervision.cadre_records",
        ),
        Figure(
            "activists_developed",
            "发展入党积极分子",
            "人",
            figures.activists_developed,
            figures.cadre_page("activist"),
            permission="supervision.cadre_records",
        ),
        Figure(
            "cadres_on_duty",
            "干部坚守",
            "人",
            figures.cadres_on_duty,
            figures.duty_page,
            kind="distinct",
            permission="supervision.view",
        ),
        Figure(
            "findings_overdue",
            "逾期未整改问题",
            "条",
            figures.findings_overdue,
            figures.findings_page,
            kind="now",
            permission="supervision.view",
            attention=True,
        ),
    ],
    demo_logins=[
        ("inspector_2", "吴督察", Role.INSPECTOR, "town"),
        ("organisation", "孙组织", ORGANISATION, "town"),
    ],
)
