"""On 360 px phones: a household opens its QR page and asks for vegetables; two volunteers
race to claim it (one wins, the other is told who has it); the winner buys and delivers;
the household confirms. Every page on the way passes axe-core's WCAG 2 A/AA rules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontline.core.roles import Role
from frontline.core.tests.fixtures import browser_login, user_make
from frontline.core.tests.test_accessibility import axe_violations
from frontline.errands import services
from frontline.errands.models import Errand, Status
from frontline.errands.tests.factories import household_make

pytestmark = pytest.mark.browser

SHOTS = "/tmp/errands-shots"


def _phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _check(page, live_server, found: dict, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    if violations := axe_violations(page, live_server):
        found[name] = [(v["id"], v["nodes"][:3]) for v in violations]
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_household_asks_two_volunteers_race_the_winner_delivers(
    live_server, live_world, browser, phone
):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    found: dict = {}
    user_make("volunteer2_sandian", (Role.VOLUNTEER, live_world.sandian))
    household = household_make(live_world.sandian)
    token = services.household_token(household)

    # The household scans its code: the page opens without a login, the token gone from the bar.
    home = phone
    home.goto(f"{live_server.url}{reverse('errands:household_open')}?t={token}")
    home.wait_for_url(f"{live_server.url}{reverse('errands:household_page')}")
    _check(home, live_server, found, "household-empty")
    home.get_by_label("蔬菜").fill("青菜两斤、西红柿三个")
    home.get_by_label("预算（元）").fill("40")
    later = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    home.get_by_label("最晚送达").fill(later)
    home.get_by_role("button", name="提交").click()
    home.get_by_text("已提交，志愿者认领后会尽快送到").wait_for()
    assert home.get_by_text("待认领").first.is_visible()
    errand = Errand.objects.get()

    # Two volunteers see it in their list, without the address, and both press 认领.
    first, second = _phone(browser), _phone(browser)
    browser_login(first, live_server, "volunteer_sandian")
    browser_login(second, live_server, "volunteer2_sandian")
    for page in (first, second):
        page.goto(f"{live_server.url}{reverse('errands:list')}")
        page.get_by_role("link", name="青菜两斤").click()
        assert page.get_by_text("认领后显示").is_visible()
        assert page.get_by_text("三店村3组18号").count() == 0
    _check(first, live_server, found, "volunteer-detail-open")
    first.get_by_role("button", name="认领").click()
    second.get_by_role("button", name="认领").click()
    first.get_by_text("已认领：地址已显示").wait_for()
    second.get_by_text("认领失败：已被 volunteer_sandian 认领").wait_for()
    assert second.get_by_text("三店村3组18号").count() == 0
    assert first.get_by_text("三店村3组18号").is_visible()
    _check(first, live_server, found, "volunteer-claimed")

    # The winner buys and delivers.
    first.get_by_label("实际花费（元）").fill("36.8")
    first.get_by_role("button", name="已购买").click()
    first.get_by_text("已登记购买").wait_for()
    first.get_by_role("button", name="已送达").click()
    first.get_by_text("已送达，等待住户确认收货").wait_for()

    # The household confirms on its page.
    home.reload()
    assert home.get_by_text("志愿者 volunteer_sandian").is_visible()
    _check(home, live_server, found, "household-delivered")
    home.get_by_role("button", name="确认收到").click()
    home.get_by_text("已确认收货，谢谢").wait_for()
    errand.refresh_from_db()
    assert errand.status == Status.DELIVERED and errand.confirmed_by_household
    assert errand.actual_cost == 36.8 or str(errand.actual_cost) == "36.80"

    # The cadre's pages: the household, its printable code, the request form, overdue.
    cadre = _phone(browser)
    browser_login(cadre, live_server, "cadre_sandian")
    for name, url in [
        ("cadre-list", reverse("errands:list") + "?status=delivered"),
        ("cadre-households", reverse("errands:households") + "?q=王"),
        ("cadre-household", reverse("errands:household", args=[household.pk])),
        ("cadre-ask", reverse("errands:ask", args=[household.pk])),
        ("cadre-qr", reverse("errands:qr", args=[household.pk])),
        ("cadre-overdue", reverse("errands:overdue")),
        ("cadre-detail", reverse("errands:detail", args=[errand.pk])),
    ]:
        cadre.goto(f"{live_server.url}{url}")
        _check(cadre, live_server, found, name)
    cadre.goto(f"{live_server.url}{reverse('errands:detail', args=[errand.pk])}")
    cadre.get_by_label("结算方式").select_option("waived")
    cadre.get_by_role("button", name="结算").click()
    cadre.get_by_text("已结算").first.wait_for()
    assert not found, found
