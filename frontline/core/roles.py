"""Roles, and the questions asked of them: who holds a permission, what a role may do.

The roles are core's (the people the report names); an app may add one in its manifest.
Permissions are declared by each app in its `manifest.py` with the roles that hold them
(core's own in `core/manifest.py`); `core/registry.py` merges them at start-up. A role
held at a node grants its permissions over that node's whole subtree.
"""

from django.db import models

from frontline.core.registry import registry


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


EVERYONE = frozenset(Role.values)


def role_choices() -> list[tuple[str, str]]:
    """Every role, core's and the apps', as (code, label): the choices of a role field."""
    return list(registry().roles.items())


def role_label(code: str) -> str:
    """The Chinese name of a role; an unknown code (a role since removed) shows as itself."""
    return registry().roles.get(code, code)


def roles_with(permission: str) -> frozenset[str]:
    """The role codes that hold a permission; an unknown permission is a programming error."""
    try:
        return registry().role_permissions[permission]
    except KeyError:
        raise KeyError(
            f"Unknown permission {permission!r}: declare it in its app's manifest.py"
        ) from None


def permissions_of(role: str) -> frozenset[str]:
    """Every permission a role holds."""
    return frozenset(perm for perm, roles in registry().role_permissions.items() if role in roles)
