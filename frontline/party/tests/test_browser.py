"""On a 360 px phone: a secretary registers a member, links a member to the volunteer's
login and issues a call, the volunteer answers it with a pledge as that member, the
secretary assigns it; every page passes axe-core (WCAG 2 AA)."""

import os

import pytest

from frontline.core.tests.fixtures import browser_login
from frontline.core.tests.test_accessibility import axe_violations
from frontline.party.models import PostKind
from frontline.party.tests.factories import member_make, org_make, post_make
from frontline.people.tests.factories import resident_make

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FRONTLINE_SCREENSHOTS")


def _clean(page, live_server, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    assert axe_violations(page, live_server) == [], name


def test_a_call_answered_and_assigned_on_a_phone(live_server, live_world, phone):
    world = live_world
    org = org_make(world.sandian, "三店村党支部")
    member_make(org, "李党员", node=world.sandian_grid)
    resident_make(world.sandian_grid, name="王积极", phone="13812348000")
    post_make(world.sandian, PostKind.ZONE, "三店村一组责任区")
    post_make(world.sandian, PostKind.ZONE, "三店村二组责任区")
    browser_login(phone, live_server, "cadre_sandian")
    phone.goto(f"{live_server.url}/party/")
    _clean(phone, live_server, "party-orgs")
    phone.get_by_role("link", name="三店村党支部").click()
    phone.get_by_role("link", name="登记党员").click()
    phone.get_by_label("姓名或手机尾号").fill("王积极")
    phone.get_by_role("button", name="查找").click()
    phone.get_by_label("王积极", exact=False).check()
    phone.get_by_label("身份").select_option("activist")
    _clean(phone, live_server, "party-member-add")
    phone.get_by_role("button", name="登记").click()
    assert phone.get_by_text("已登记：王积极").is_visible()
    assert phone.get_by_text("138****8000").is_visible()
    _clean(phone, live_server, "party-org-detail")
    # The member's own login: the volunteer of 三店村 is 李党员.
    phone.get_by_role("row", name="李党员").get_by_role("link", name="绑定账号").click()
    phone.get_by_label("本人账号").select_option(label="volunteer_sandian · 党员志愿者")
    _clean(phone, live_server, "party-member-account")
    phone.get_by_role("button", name="绑定这个账号").click()
    assert phone.get_by_text("已绑定“volunteer_sandian”").is_visible()
    phone.get_by_role("link", name="三店村党支部").click()
    phone.get_by_role("link", name="发出倡议").click()
    phone.get_by_label("标题").fill("我是党员，我先上")
    phone.get_by_label("倡议内容").fill("请党员同志到村口卡点值守")
    phone.get_by_role("button", name="发出").click()
    call_url = phone.url

    phone.context.clear_cookies()
    browser_login(phone, live_server, "volunteer_sandian")
    phone.goto(call_url)
    phone.get_by_role("link", name="写请战书").click()
    assert phone.get_by_text("以 李党员 的名义提交").is_visible()
    phone.get_by_label("可参加时间").fill("每天上午")
    _clean(phone, live_server, "party-pledge")
    phone.get_by_role("button", name="提交").click()
    assert phone.get_by_text("已收到 李党员 的请战书").is_visible()

    phone.context.clear_cookies()
    browser_login(phone, live_server, "cadre_sandian")
    phone.goto(call_url)
    phone.get_by_label("安排 李党员 到").select_option("zone")
    phone.get_by_label("先锋岗或责任区").select_option(label="三店村一组责任区")
    phone.get_by_role("button", name="安排").click()
    assert phone.get_by_text("已安排 李党员").is_visible()
    _clean(phone, live_server, "party-call")
    phone.goto(f"{live_server.url}/party/posts/")
    assert phone.get_by_text("1 个责任区无人负责").is_visible()
    _clean(phone, live_server, "party-posts")


def test_oaths_flags_and_the_import_page_on_a_phone(live_server, live_world, phone):
    from frontline.checkpoints.tests.factories import checkpoint_make

    world = live_world
    org = org_make(world.sandian, "三店村党支部")
    member_make(org, "许党员", node=world.sandian_grid)
    member_make(org, "何积极", status="activist")
    checkpoint_make(world.sandian, "三店村东卡口", party_branch="三店村党支部")
    browser_login(phone, live_server, "cadre_sandian")
    phone.goto(f"{live_server.url}/party/{org.pk}/")
    phone.get_by_role("link", name="宣誓记录（0）").click()
    phone.get_by_role("link", name="记录宣誓").click()
    phone.get_by_label("地点").fill("三店村党员活动室")
    phone.get_by_label("许党员", exact=False).check()
    phone.get_by_label("何积极", exact=False).check()
    _clean(phone, live_server, "party-oath-form")
    phone.get_by_role("button", name="记录").click()
    assert phone.get_by_text("何积极（入党积极分子）").is_visible()
    _clean(phone, live_server, "party-oaths")
    phone.goto(f"{live_server.url}/party/{org.pk}/")
    phone.get_by_role("link", name="插旗").click()
    phone.get_by_label("卡口").select_option(label="三店村 · 三店村东卡口")
    _clean(phone, live_server, "party-flag-form")
    phone.get_by_role("button", name="保存").click()
    assert phone.get_by_text("三店村党支部的旗帜已插在三店村东卡口").is_visible()
    _clean(phone, live_server, "party-flags")
    phone.goto(f"{live_server.url}/party/members/")
    phone.get_by_role("link", name="从 Excel 导入").click()
    _clean(phone, live_server, "party-member-import")
