"""Teams' part of the registry: team kinds, teams, members, vehicles, activity and hours."""

from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import Role
from frontline.teams import figures

MANAGERS = {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN}

MANIFEST = AppManifest(
    label="teams",
    permissions=[
        Permission(
            "teams.view",
            "查看队伍、队员、活动和志愿时长",
            MANAGERS | {Role.GRID_WORKER, Role.VOLUNTEER, Role.INSPECTOR},
        ),
        Permission("teams.manage", "组建队伍，管理队员和车辆", MANAGERS),
        # Whoever goes out with a team logs the outing from a phone.
        Permission("teams.log", "登记队伍活动", MANAGERS | {Role.VOLUNTEER, Role.GRID_WORKER}),
        Permission("teams.kinds", "维护队伍类型", {Role.ADMIN}),
    ],
    audit_actions={
        "teams.kind.create": "新增队伍类型",
        "teams.team.create": "组建队伍",
        "teams.member.add": "加入队员",
        "teams.vehicle.add": "登记队伍车辆",
        "teams.activity.create": "登记队伍活动",
    },
    navigation=[NavEntry("队伍", "teams:list", "teams.view", order=76)],
    home_cards=[
        HomeCard(
            "teams.mine",
            "志愿队伍",
            "巡逻、小喇叭、志愿服务：登记活动和时长",
            "teams:list",
            {Role.VOLUNTEER: 35},
            permission="teams.view",
        ),
    ],
    urls="frontline.teams.urls",
    url_prefix="teams/",
    api_router="frontline.teams.api:router",
    api_prefix="v1/teams",
    figures=[
        *(
            Figure(
                key,
                label,
                unit,
                figures.teams_of_kind(code),
                figures.team_page(code),
                kind="latest",
                permission="teams.view",
            )
            for key, (code, label, unit) in figures.KIND_FIGURES.items()
        ),
        Figure(
            "volunteers",
            "志愿者",
            "名",
            figures.volunteers,
            figures.volunteer_page,
            kind="distinct",
            permission="teams.view",
        ),
        Figure(
            "volunteer_hours",
            "志愿服务时长",
            "小时",
            figures.volunteer_hours,
            figures.volunteer_page,
            # Counted for the whole span, so that the hours are rounded once, not per day.
            kind="distinct",
            permission="teams.view",
        ),
    ],
)
