"""The people registry's part of the registry: who may see, register, import and unmask."""

from frontline.core.registry import AppManifest, HomeCard, NavEntry, Permission
from frontline.core.roles import Role

_STAFF = {
    Role.LEADER,
    Role.VILLAGE_LEADER,
    Role.CADRE,
    Role.GRID_WORKER,
    Role.HEALTH_WORKER,
    Role.POLICE,
    Role.ADMIN,
}

MANIFEST = AppManifest(
    label="people",
    permissions=[
        Permission("people.view", "查看人员花名册（证件号、手机号打码）", _STAFF),
        Permission("people.edit", "登记和修改居民、户", {Role.CADRE, Role.GRID_WORKER, Role.ADMIN}),
        # Whole numbers are for those who must call or identify a person: each view is audited.
        Permission(
            "people.view_full_id",
            "说明理由后查看完整身份证号和手机号（留痕）",
            {Role.CADRE, Role.HEALTH_WORKER, Role.POLICE, Role.ADMIN},
        ),
        Permission("people.import", "Excel 导入花名册", {Role.CADRE, Role.ADMIN}),
        Permission("people.export", "导出花名册（打码）", {Role.LEADER, Role.CADRE, Role.ADMIN}),
        Permission("people.tags", "维护人员标签", {Role.ADMIN}),
    ],
    audit_actions={
        "people.resident.create": "登记居民",
        "people.resident.update": "修改居民",
        "people.resident.unmask": "查看完整证件号和手机号",
        "people.resident.merge": "证件号补录后并入已登记居民",
        "people.resident.key_person_view": "查看居民的重点人员管控状态",
        "people.tag.create": "新建人员标签",
        "people.roster.export": "导出花名册",
    },
    navigation=[NavEntry("人员", "people:list", "people.view", order=20)],
    home_cards=[
        HomeCard(
            "people.roster",
            "人员花名册",
            "本村居民、户和标签；Excel 导入",
            "people:list",
            {Role.CADRE: 10},
        ),
        HomeCard(
            "people.grid_roster",
            "网格居民",
            "本网格居民、户和标签",
            "people:list",
            {Role.GRID_WORKER: 10},
        ),
        HomeCard(
            "people.tags",
            "人员标签",
            "维护党员、孤寡老人等人员标签",
            "people:tags",
            {Role.ADMIN: 40},
        ),
    ],
    importers=["frontline.people.imports:RosterImporter"],
    urls="frontline.people.urls",
    url_prefix="people/",
    api_router="frontline.people.api:router",
    api_prefix="v1/people",
)
