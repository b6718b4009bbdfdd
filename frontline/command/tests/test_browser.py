"""The town leader at 9 a.m. on a phone: the dashboard, a tap into 三店村, the report,
the PDF; and the command room's 1920×1080 screen."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from frontline.control.services import readings as reading_services
from frontline.control.tests.factories import isolation_make
from frontline.core.tests.fixtures import browser_login

pytestmark = pytest.mark.browser


def test_the_leader_drills_into_a_village_and_downloads_its_report(
    live_server, live_world, phone, browser, tmp_path
):
    isolation = isolation_make(live_world, live_world.sandian_grid, "王小明", days_ago=4)
    yesterday = timezone.localdate() - timedelta(days=1)
    reading_services.reading_record(
        actor=live_world.health_sandian,
        isolation=isolation,
        value="38.1",
        slot="am",
        taken_at=timezone.make_aware(datetime.combine(yesterday, time(9, 0))),
    )
    browser_login(phone, live_server, "town_leader")
    phone.get_by_role("link", name="指挥看板").first.click()
    phone.get_by_role("heading", name=f"{live_world.town.name} 指挥看板").wait_for()
    phone.get_by_role("link", name="三店村").click()
    phone.get_by_role("heading", name="三店村 指挥看板").wait_for()
    # No sideways scrolling of the page at 360 px (the children's table scrolls in its box).
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # The trends are drawn as bars by the server; scrolled into view on a fast network,
    # ECharts redraws them, 30 days when asked, and still no sideways scroll.
    phone.get_by_role("link", name="30天").click()
    phone.get_by_role("heading", name="近30天").scroll_into_view_if_needed()
    phone.locator(".trend-chart canvas").first.wait_for()
    label = phone.locator("svg.bars").first.get_attribute("aria-label")
    assert label.startswith("体温测量人次近30天")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="昨日").click()
    phone.get_by_role("link", name="战报", exact=True).click()
    phone.get_by_role("heading", name="三店村疫情防控和复工复产战报").wait_for()
    assert "发现发热1人次" in phone.locator(".report-paper").inner_text()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="下载 PDF").click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "三店村疫情防控和复工复产战报" in text.replace("\x00", "").replace("\n", "")

    screen = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = screen.new_page()
    browser_login(page, live_server, "town_leader")
    page.goto(f"{live_server.url}/command/screen/")
    page.get_by_role(
        "heading", name=f"{live_world.town.name} 疫情防控和复工复产指挥大屏"
    ).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert page.locator(".screen-figure").count() >= 10
    # ECharts is loaded at once on the screen, and the charts are drawn again after the
    # minute's refresh swaps the content.
    page.locator(".trend-chart canvas").first.wait_for()
    charts = page.locator(".trend-chart").count()
    assert charts >= 1
    page.evaluate(
        "htmx.ajax('GET', location.pathname + location.search, "
        "{target: '.screen-wrap', select: '.screen-wrap', swap: 'outerHTML'})"
    )
    page.wait_for_timeout(1500)
    assert page.locator(".trend-chart canvas").count() == charts
    page.screenshot(path=str(tmp_path / "screen.png"))
    screen.close()
