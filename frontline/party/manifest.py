"""Party organisations' part of the registry: organisations, members, calls and pledges,
pioneer posts and responsibility zones."""

from frontline.core.registry import AppManifest, Figure, HomeCard, NavEntry, Permission
from frontline.core.roles import Role
from frontline.party import figures
from frontline.party.models import PostKind

MANAGERS = {Role.LEADER, Role.VILLAGE_LEADER, Role.CADRE, Role.ADMIN}


def _figure(key, label, unit, compute, url, kind="latest"):
    # Most party figures are states at the span's end (organisations, members, posts).
    return Figure(key, label, unit, compute, url, kind=kind, permission="party.view")


MANIFEST = AppManifest(
    label="party",
    permissions=[
        Permission(
            "party.view",
            "查看党组织、党员、倡议和请战书",
            MANAGERS | {Role.GRID_WORKER, Role.VOLUNTEER, Role.INSPECTOR},
        ),
        # Organisations, members and their transfers, calls, assignments: the branch's work.
        Permission("party.manage", "管理党组织、党员、倡议，安排请战党员", MANAGERS),
        # A member answers a call on a phone, as the member their login is linked to; the
        # secretary enters it for those without one.
        Permission("party.pledge", "填写请战书", MANAGERS | {Role.VOLUNTEER}),
    ],
    audit_actions={
        "party.org.create": "新建党组织",
        "party.org.end": "撤销党组织",
        "party.membership.add": "登记党员",
        "party.membership.transfer": "转接组织关系",
        "party.membership.account_link": "绑定党员本人的登录账号",
        "party.membership.account_unlink": "解除党员本人登录账号的绑定",
        "party.call.create": "发出倡议",
        "party.pledge.create": "提交请战书",
        "party.pledge.assign": "安排请战党员",
        "party.post.create": "设立先锋岗/责任区",
        "party.post_holder.add": "安排党员上岗",
        "party.oath.create": "记录宣誓",
        "party.flag_site.create": "登记党旗插在一线的点位",
    },
    navigation=[NavEntry("党建", "party:org_list", "party.view", order=75)],
    home_cards=[
        HomeCard(
            "party.calls",
            "我是党员，我先上",
            "倡议、请战书、先锋岗和责任区",
            "party:call_list",
            {Role.VOLUNTEER: 25, Role.CADRE: 55},
            permission="party.view",
        ),
    ],
    urls="frontline.party.urls",
    url_prefix="party/",
    api_router="frontline.party.api:router",
    api_prefix="v1/party",
    importers=["frontline.party.imports:MemberImporter"],
    figures=[
        _figure("party_orgs", "基层党组织", "个", figures.party_orgs, figures.org_page("standing")),
        _figure(
            "calling_orgs",
            "发出倡议的党组织",
            "个",
            figures.calling_orgs,
            figures.org_page("calling"),
            "distinct",
        ),
        _figure(
            "party_members", "党员", "名", figures.party_members, figures.member_page("members")
        ),
        _figure(
            "activists", "入党积极分子", "名", figures.activists, figures.member_page("activists")
        ),
        _figure("pledges", "请战书", "份", figures.pledges, figures.pledge_page, "count"),
        _figure(
            "temporary_branches",
            "临时党支部",
            "个",
            figures.temporary_branches,
            figures.org_page("temporary"),
            "distinct",
        ),
        _figure(
            "pioneer_posts",
            "党员先锋岗",
            "个",
            figures.pioneer_posts,
            figures.post_page(PostKind.PIONEER_POST),
        ),
        _figure(
            "responsibility_zones",
            "党员责任区",
            "个",
            figures.responsibility_zones,
            figures.post_page(PostKind.ZONE),
        ),
        _figure("flag_sites", "党旗插在一线的点位", "个", figures.flag_sites, figures.flag_page),
    ],
)
