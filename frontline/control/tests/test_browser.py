"""A health worker's morning round on a 360 px phone."""

import pytest

from frontline.control.models import Alert
from frontline.control.tests.factories import isolation_make
from frontline.core.tests.fixtures import browser_login

pytestmark = pytest.mark.browser


def test_three_morning_readings_one_fever_raises_an_alert(live_server, live_world, phone):
    people = [
        isolation_make(live_world, live_world.sandian_grid, name)
        for name in ("王小明", "李大伟", "赵芳芳")
    ]
    browser_login(phone, live_server, "health_sandian")
    phone.goto(f"{live_server.url}/control/rounds/")
    for isolation, value in zip(people, ("36.5", "37.8", "36.7"), strict=True):
        field = phone.locator(f"#v-{isolation.pk}-am")
        field.fill(value)
        field.press("Enter")
        phone.locator(f"#round-{isolation.pk} .slot-done").first.wait_for()
    assert phone.locator(f"#round-{people[1].pk}").get_by_text("37.8℃ 发热").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert Alert.objects.filter(is_open=True).count() == 1
    phone.goto(f"{live_server.url}/control/alerts/")
    assert phone.get_by_text("37.8℃").first.is_visible()
    # Their own round: the name in full, and on the alert the door to knock on.
    assert phone.get_by_text("李大伟").is_visible()
    phone.get_by_text("去处置").click()
    phone.wait_for_url(f"{live_server.url}/control/alerts/*/")
    assert phone.get_by_text("李大伟").is_visible()
    assert phone.get_by_text(people[1].address).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
