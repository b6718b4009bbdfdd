"""At the barrier on a 360 px phone: check in, log five passers fast, the town sees them."""

import time

import pytest

from frontline.checkpoints.tests.factories import checkpoint_make
from frontline.core.tests.fixtures import browser_login

pytestmark = pytest.mark.browser


def _focused(page, expected: str) -> bool:
    """Whether focus reaches the field (htmx settles a moment after the swap)."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=expected
    )
    return True


def _wait_logged(page, count: int) -> None:
    # The panel is swapped in with the count of today's entries.
    page.locator(".stat-num").first.filter(has_text=str(count)).wait_for()


def test_a_volunteer_logs_five_passers_and_the_town_leader_sees_them(
    live_server, live_world, phone
):
    checkpoint = checkpoint_make(live_world.sandian, "三店村东村口")
    browser_login(phone, live_server, "volunteer_sandian")

    phone.locator(".bottomnav").get_by_role("link", name="卡口").click()
    phone.get_by_role("link", name="三店村东村口").click()
    phone.get_by_role("button", name="签到上岗").click()
    phone.wait_for_url(f"{live_server.url}/checkpoints/{checkpoint.pk}/log/")
    assert phone.get_by_text("已在三店村东村口签到").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    started = time.monotonic()
    keyboard = phone.keyboard
    # 1. On foot, keyboard only: temperature, origin, Enter lets through.
    assert _focused(phone, "id_temperature")
    keyboard.type("36.5", delay=40)
    phone.get_by_label("来自").fill("")
    phone.get_by_label("来自").type("青口镇", delay=40)
    keyboard.press("Enter")
    _wait_logged(phone, 1)
    # 2. The next entry is ready: focus on the temperature, last origin kept.
    assert _focused(phone, "id_temperature")
    assert phone.get_by_label("来自").input_value() == "青口镇"
    keyboard.type("３６．８", delay=40)
    phone.get_by_role("button", name="放行").click()
    _wait_logged(phone, 2)
    # 3. A car with three people.
    phone.locator(".seg-btn", has_text="车辆").click()
    assert _focused(phone, "id_plate")
    keyboard.type("苏G12345", delay=40)
    phone.get_by_label("体温（°C）").type("36.6", delay=40)
    phone.get_by_label("人数").fill("3")
    phone.get_by_role("button", name="放行").click()
    _wait_logged(phone, 3)
    assert phone.get_by_text("已登记：苏G12345").is_visible()
    # 4. Turned back: a village entrance starts every entry on foot again.
    assert phone.locator("input[name=kind][value=person]").is_checked()
    assert _focused(phone, "id_temperature")
    keyboard.type("36.4", delay=40)
    phone.get_by_label("来自").fill("临沂")
    phone.get_by_role("button", name="劝返").click()
    _wait_logged(phone, 4)
    # 5. A fever: 放行 is refused, the hand-over goes through.
    assert _focused(phone, "id_temperature")
    keyboard.type("37.6", delay=40)
    assert phone.get_by_text("发热：请劝返或转重点人员").is_visible()
    phone.get_by_role("button", name="放行").click()
    phone.get_by_text("不能直接放行").wait_for()
    assert _focused(phone, "id_temperature")  # the panel has settled
    phone.get_by_label("姓名").type("王某", delay=40)
    phone.get_by_role("button", name="转重点人员").click()
    _wait_logged(phone, 5)
    assert phone.get_by_text("已转交重点人员待接收").is_visible()
    assert time.monotonic() - started < 60
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.get_by_role("button", name="退出").click()
    browser_login(phone, live_server, "town_leader")
    phone.goto(f"{live_server.url}/checkpoints/summary/")
    row = phone.locator("tbody tr", has_text="三店村东村口")
    cells = row.locator("td").all_inner_texts()
    # entries, people, vehicles, fevers, turned back, handed over
    assert cells[1:] == ["5", "7", "1", "1", "1", "1"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
