"""Community work's part of the registry: publicity, 两个一律, care visits, exemplars."""

from frontline.community import figures
from frontline.core.registry import (
    AppManifest,
    Figure,
    HomeCard,
    NavEntry,
    Permission,
    Retention,
)
from frontline.core.roles import Role

PLACE_ROLES = {
    Role.LEADER,
    Role.VILLAGE_LEADER,
    Role.CADRE,
    Role.GRID_WORKER,
    Role.VOLUNTEER,
}

MANIFEST = AppManifest(
    label="community",
    permissions=[
        Permission(
            "community.view",
            "查看宣传、两个一律、关爱走访和先进典型",
            PLACE_ROLES | {Role.INSPECTOR, Role.ADMIN},
        ),
        Permission("community.record", "登记宣传、红白事、关爱走访、帮扶和先进典型", PLACE_ROLES),
        # A visit's rows hold a resident's temperature and needs (health data): only those
        # whose work follows up on them read them. The inspector keeps the figures (counts,
        # community.view), not the rows; a volunteer reads the visits they recorded.
        Permission(
            "community.care",
            "查看关爱走访记录（含体温和需求；志愿者只看自己记录的）",
            PLACE_ROLES | {Role.ADMIN},
        ),
        Permission(
            "community.care_all",
            "查看辖区内所有人记录的关爱走访",
            (PLACE_ROLES - {Role.VOLUNTEER}) | {Role.ADMIN},
        ),
    ],
    audit_actions={
        "community.publicity.create": "登记宣传",
        "community.family_event.create": "登记红白事（两个一律）",
        "community.care_visit.create": "记录关爱走访",
        "community.care_visit.list": "查看关爱走访（含体温）",
        "community.care_visit.hand_on": "走访发现的需求转为跑腿或五送",
        "community.family_help.create": "登记一线人员家庭帮扶",
        "community.exemplar.create": "登记先进典型",
    },
    navigation=[NavEntry("党群", "community:home", "community.view", order=78)],
    home_cards=[
        HomeCard(
            "community.care",
            "关爱走访",
            "孤寡老人、留守儿童走访，红白事登记",
            "community:home",
            {Role.VOLUNTEER: 40, Role.CADRE: 40, Role.GRID_WORKER: 40},
            permission="community.view",
        ),
    ],
    urls="frontline.community.urls",
    url_prefix="community/",
    api_router="frontline.community.api:router",
    api_prefix="v1/community",
    figures=[
        Figure(
            "leaflets",
            "宣传单",
            "份",
            figures.leaflets,
            figures.publicity_page,
            kind="sum",
            permission="community.view",
        ),
        Figure(
            "weddings_postponed",
            "红事延办",
            "起",
            figures.weddings_postponed,
            figures.events_page("wedding_postponed"),
            permission="community.view",
        ),
        Figure(
            "funerals_simplified",
            "白事简办",
            "起",
            figures.funerals_simplified,
            figures.events_page("funerals"),
            permission="community.view",
        ),
        Figure(
            "care_volunteers",
            "关爱志愿者",
            "人",
            figures.care_volunteers,
            figures.volunteers_page,
            kind="distinct",
            permission="community.view",
        ),
        Figure(
            "care_visits",
            "关爱走访",
            "次",
            figures.care_visits,
            figures.care_page,
            permission="community.view",
            url_permission="community.care_all",
        ),
        Figure(
            "exemplars",
            "先进典型",
            "个",
            figures.exemplars,
            figures.exemplars_page,
            permission="community.view",
        ),
    ],
    retention=[
        Retention(
            "care_visits",
            "关爱走访（体温、发现的需求）",
            "走访当天",
            count="frontline.community.selectors:care_visits_past_retention",
            anonymise="frontline.community.services:care_visits_anonymise",
            fields=("temperature", "needs"),
        ),
    ],
)
