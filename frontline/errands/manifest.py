"""Errands' part of the registry: 帮您跑腿 (代购, 送餐) for isolated and vulnerable households."""

from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import Role
from frontline.errands import figures, selectors

MANIFEST = AppManifest(
    label="errands",
    # An errand belongs to its village, so grid workers (who hold a grid) have no part here.
    permissions=[
        Permission(
            "errands.view",
            "查看跑腿请求（代购、送餐）",
            {
                Role.LEADER,
                Role.VILLAGE_LEADER,
                Role.CADRE,
                Role.VOLUNTEER,
                Role.ADMIN,
            },
        ),
        Permission("errands.claim", "认领、购买、送达跑腿", {Role.VOLUNTEER}),
        # Cadres ask for a household, print its QR code, confirm, settle and cancel.
        Permission(
            "errands.manage",
            "代住户提交跑腿、打印住户二维码、确认收货、结算、取消",
            {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE},
        ),
    ],
    audit_actions={
        "errands.household.create": "登记跑腿服务户",
        "errands.household.renew": "重新生成住户二维码",
        "errands.errand.create": "提交跑腿请求",
        "errands.errand.phone": "查看住户完整电话（送达联系）",
        "errands.errand.claim": "认领跑腿",
        "errands.errand.buy": "登记购买",
        "errands.errand.deliver": "登记送达",
        "errands.errand.confirm": "确认收货",
        "errands.errand.settle": "跑腿结算",
        "errands.errand.cancel": "取消跑腿",
        "errands.errand.receipt": "查看小票照片",
        "errands.series.start": "开始每日送餐",
        "errands.series.stop": "停止每日送餐",
    },
    # After 卡口: the bottom bar keeps its four links; volunteers come in by the home card.
    navigation=[NavEntry("跑腿", "errands:list", "errands.view", order=75)],
    home_cards=[
        HomeCard(
            "errands.open",
            "帮您跑腿",
            "待认领的代购、送餐",
            "errands:list",
            roles={Role.VOLUNTEER: 20},
            count=selectors.errands_open_count,
            permission="errands.claim",
        ),
        HomeCard(
            "errands.overdue",
            "跑腿超时",
            "超过最晚送达时间仍未送到的代购、送餐",
            "errands:overdue",
            roles={Role.CADRE: 40, Role.VILLAGE_LEADER: 40},
            count=selectors.errands_overdue_count,
            urgent=True,
            permission="errands.manage",
        ),
    ],
    urls="frontline.errands.urls",
    url_prefix="errands/",
    api_router="frontline.errands.api:router",
    api_prefix="v1/errands",
    figures=[
        Figure(
            "errands_done",
            "代购/送餐",
            "次",
            figures.errands_done,
            figures.done_page,
            permission="errands.view",
        ),
        Figure(
            "errands_overdue",
            "逾期跑腿",
            "条",
            figures.errands_overdue,
            figures.overdue_page,
            kind="now",
            permission="errands.manage",
            attention=True,
        ),
    ],
    demo_logins=[("volunteer2_sandian", "钱志愿", Role.VOLUNTEER, "三店村")],
)
