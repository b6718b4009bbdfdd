"""Roles and what each may do: the one table that every app extends.

A permission is granted by a role held at a node, and reaches that node's whole
subtree. Apps add their permissions to PERMISSIONS and the roles that hold them
to ROLE_PERMISSIONS here, so that "who may do what" is read in one place.
"""

from django.db import models


class Role(models.TextChoices):
    LEADER = "leader", "区镇领导"
    VILLAGE_LEADER = "village_leader", "包村领导"
    CADRE = "cadre", "村干部"
    GRID_WORKER = "grid_worker", "网格员"
    HEALTH_WORKER = "health_worker", "卫生员"
    POLICE = "police", "片警"
    VOLUNTEER = "volunteer", "党员志愿者"
    INSPECTOR = "inspector", "督察组"
    ENTERPRISE_CONTACT = "enterprise_contact", "企业联系人"
    SUPPLY_KEEPER = "supply_keeper", "物资管理员"
    ADMIN = "admin", "管理员"


PERMISSIONS: dict[str, str] = {
    "nodes.view": "查看辖区",
    "nodes.manage": "管理辖区（新建、改名、移动、停用、导入）",
    "users.manage": "管理账号和角色",
    "audit.view": "查看审计日志",
    "people.view": "查看人员花名册（证件号、手机号打码）",
    "people.edit": "登记和修改居民、户",
    "people.view_full_id": "说明理由后查看完整身份证号和手机号（留痕）",
    "people.import": "Excel 导入花名册",
    "people.export": "导出花名册（打码）",
    "people.tags": "维护人员标签",
    "control.view": "查看重点人员、居家隔离、体温和预警",
    "control.edit": "登记重点人员，落实四个一、居家隔离和六包一",
    "control.reading": "上门测量体温",
    "control.alert": "处置发热预警",
    "control.service": "记录五送服务",
    "control.import": "Excel 导入流调名单，批量登记重点人员",
    "screening.view": "查看排查记录和覆盖情况",
    "screening.record": "填写排查记录",
    "screening.manage": "安排排查责任人、配置检查项",
    "referrals.view": "查看待接收的转重点人员",
    "checkpoints.view": "查看卡口、排班和通行统计",
    "checkpoints.duty": "卡口签到签退、登记通行人员",
    "checkpoints.manage": "管理卡口、班次模板和排班",
}

_EVERYONE = frozenset(Role.values)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "nodes.view": _EVERYONE,
    "nodes.manage": frozenset({Role.ADMIN}),
    "users.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.ADMIN, Role.LEADER}),
    "people.view": frozenset(
        {
            Role.LEADER,
            Role.VILLAGE_LEADER,
            Role.CADRE,
            Role.GRID_WORKER,
            Role.HEALTH_WORKER,
            Role.POLICE,
            Role.ADMIN,
        }
    ),
    "people.edit": frozenset({Role.CADRE, Role.GRID_WORKER, Role.ADMIN}),
    # Whole numbers are for those who must call or identify a person: each view is audited.
    "people.view_full_id": frozenset({Role.CADRE, Role.HEALTH_WORKER, Role.POLICE, Role.ADMIN}),
    "people.import": frozenset({Role.CADRE, Role.ADMIN}),
    "people.export": frozenset({Role.LEADER, Role.CADRE, Role.ADMIN}),
    "people.tags": frozenset({Role.ADMIN}),
    # The six people of 六包一 and the leaders above them follow key persons.
    "control.view": frozenset(
        {
            Role.LEADER,
            Role.VILLAGE_LEADER,
            Role.CADRE,
            Role.GRID_WORKER,
            Role.HEALTH_WORKER,
            Role.POLICE,
            Role.VOLUNTEER,
            Role.ADMIN,
        }
    ),
    "control.edit": frozenset({Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN}),
    # Door-step temperatures are taken by health-centre staff (每天两次上门测量体温).
    "control.reading": frozenset({Role.HEALTH_WORKER}),
    "control.alert": frozenset({Role.HEALTH_WORKER, Role.CADRE, Role.VILLAGE_LEADER, Role.LEADER}),
    # Importing creates residents too: only roles that may register residents.
    "control.import": frozenset({Role.CADRE, Role.ADMIN}),
    "control.service": frozenset(
        {Role.VOLUNTEER, Role.CADRE, Role.GRID_WORKER, Role.HEALTH_WORKER, Role.VILLAGE_LEADER}
    ),
    "screening.view": frozenset(
        {
            Role.LEADER,
            Role.VILLAGE_LEADER,
            Role.CADRE,
            Role.GRID_WORKER,
            Role.INSPECTOR,
            Role.ADMIN,
        }
    ),
    "screening.record": frozenset({Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.GRID_WORKER}),
    "screening.manage": frozenset({Role.LEADER, Role.ADMIN}),
    "referrals.view": frozenset(
        {
            Role.LEADER,
            Role.VILLAGE_LEADER,
            Role.CADRE,
            Role.GRID_WORKER,
            Role.HEALTH_WORKER,
            Role.POLICE,
            Role.ADMIN,
        }
    ),
    "checkpoints.view": frozenset(
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
        }
    ),
    # Whoever stands at a barrier: volunteers, police, cadres, an enterprise's gate keeper.
    "checkpoints.duty": frozenset(
        {
            Role.LEADER,
            Role.VILLAGE_LEADER,
            Role.CADRE,
            Role.GRID_WORKER,
            Role.POLICE,
            Role.VOLUNTEER,
            Role.HEALTH_WORKER,
            Role.ENTERPRISE_CONTACT,
        }
    ),
    "checkpoints.manage": frozenset({Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN}),
}


def roles_with(permission: str) -> frozenset[str]:
    """The role codes that hold a permission; an unknown permission is a programming error."""
    try:
        return ROLE_PERMISSIONS[permission]
    except KeyError:
        raise KeyError(f"Unknown permission {permission!r}: add it to core/roles.py") from None


def permissions_of(role: str) -> frozenset[str]:
    """Every permission a role holds."""
    return frozenset(perm for perm, roles in ROLE_PERMISSIONS.items() if role in roles)
