"""A village cadre in a real browser on a 360 px phone."""

import pytest

from frontline.core.tests.fixtures import browser_login

pytestmark = pytest.mark.browser


def test_a_cadre_sees_the_village_and_not_another_villages_page(live_server, live_world, phone):
    browser_login(phone, live_server, "cadre_sandian")
    assert phone.get_by_text("三店村 · 村干部").is_visible()
    # No sideways scrolling at 360 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # Beyond the bar's first four entries, 辖区 sits under 更多 (the apps' entries come first).
    link = phone.locator(".bottomnav").get_by_role("link", name="辖区")
    if not link.is_visible():
        phone.locator(".bottomnav summary").click()
    link.click()
    phone.wait_for_url(f"{live_server.url}/nodes/{live_world.sandian.pk}/")
    assert phone.get_by_role("heading", name="三店村").is_visible()
    assert phone.get_by_text("第一网格").is_visible()

    response = phone.goto(f"{live_server.url}/nodes/{live_world.zhengyuan.pk}/")
    assert response.status == 404
    assert phone.get_by_text("不在您的管辖范围内").is_visible()
    assert "郑园村" not in phone.content()


def test_a_wrong_password_shows_a_message_on_the_phone(live_server, live_world, phone):
    phone.goto(f"{live_server.url}/login/")
    phone.get_by_label("用户名").fill("cadre_sandian")
    phone.get_by_label("密码").fill("wrong-password")
    phone.get_by_role("button", name="登录").click()
    assert phone.get_by_role("alert").is_visible()
    assert "正确的" in phone.get_by_role("alert").inner_text()
