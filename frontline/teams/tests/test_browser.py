"""On a 360 px phone: a volunteer logs a patrol in a few taps and sees their hours; the
team and volunteer pages pass axe-core (WCAG 2 AA)."""

import os

import pytest

from frontline.core.tests.fixtures import browser_login
from frontline.core.tests.test_accessibility import axe_violations
from frontline.teams.tests.factories import member_make, team_make

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("FRONTLINE_SCREENSHOTS")


def _clean(page, live_server, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert axe_violations(page, live_server) == [], name


def test_a_volunteer_logs_a_patrol_and_sees_their_hours(live_server, live_world, phone):
    team = team_make(live_world.sandian, "patrol", "三店村志愿巡逻队")
    member_make(team, user=live_world.volunteer_sandian, is_leader=True)
    member_make(team)
    browser_login(phone, live_server, "volunteer_sandian")
    phone.goto(f"{live_server.url}/teams/")
    _clean(phone, live_server, "teams-list")
    phone.get_by_role("link", name="三店村志愿巡逻队").click()
    phone.get_by_role("link", name="登记活动").click()
    phone.get_by_label("时长（小时）").fill("2.5")
    phone.get_by_label("volunteer_sandian").check()
    phone.get_by_label("区域/路线").fill("村东集市")
    phone.get_by_label("劝散聚集（处）").fill("2")
    _clean(phone, live_server, "teams-log")
    phone.get_by_role("button", name="登记").click()
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/teams-after-log.png", full_page=True)
    assert phone.get_by_text("已登记巡逻，2.5 小时").is_visible()
    _clean(phone, live_server, "teams-detail")
    phone.locator(".list-row", has_text="volunteer_sandian").click()
    assert phone.get_by_text("2.5").first.is_visible()
    _clean(phone, live_server, "teams-person")
    phone.goto(f"{live_server.url}/teams/volunteers/")
    _clean(phone, live_server, "teams-volunteers")
