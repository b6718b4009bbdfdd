"""On a 360 px phone: the enterprise files its 123456 application, the grid leader returns
one item, the enterprise fixes it, the town approves; a gate scan of an isolated
employee's card shows red. The pages pass axe-core's WCAG 2 AA rules on the way."""

import pytest

from frontline.control.tests.factories import isolation_make
from frontline.core.tests.fixtures import browser_login, user_make
from frontline.core.tests.test_accessibility import axe_violations
from frontline.enterprises import services
from frontline.enterprises.manifest import GATE_GUARD
from frontline.enterprises.tests.factories import (
    checklist_make,
    reviewer_make,
    sector_make,
    uscc_next,
)

pytestmark = pytest.mark.browser
SHOTS = "/tmp/enterprises-360"


def _clean(page, live_server, where: str) -> None:
    violations = axe_violations(page, live_server)
    assert not violations, f"{where}: {[v['id'] for v in violations]}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, where


def _as(page, live_server, username: str) -> None:
    """Sign in as another user on the same phone (the session of the last one dropped)."""
    page.context.clear_cookies()
    browser_login(page, live_server, username)


def _fill_item(page, item, evidence: str) -> None:
    row = page.locator(f"form[action$='/items/{item.pk}/']")
    row.get_by_label("已落实").check()
    row.get_by_label(f"佐证说明：{item.text}").fill(evidence)
    row.get_by_role("button", name="保存").click()
    page.wait_for_load_state()


def test_file_return_fix_approve_and_a_red_card_at_the_gate(live_server, live_world, phone):
    world = live_world
    enterprise = services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )
    items = checklist_make(world)
    reviewer = reviewer_make(world)

    browser_login(phone, live_server, "enterprise_contact")
    phone.get_by_role("link", name="复工申请").first.click()
    phone.get_by_role("button", name="开始填报").click()
    phone.get_by_text("已开始复工申请（网上办）").wait_for()
    for item in items:
        _fill_item(phone, item, "已落实，台账在办公室")
    _clean(phone, live_server, "application draft")
    phone.screenshot(path=f"{SHOTS}-draft.png", full_page=True)
    phone.get_by_role("button", name="提交审核").click()
    phone.get_by_text("已提交，等待网格审核").wait_for()

    _as(phone, live_server, reviewer.username)
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/application/")
    returned = items[3]
    phone.locator(f"input[name=verdict_{returned.pk}][value=not_ok]").check()
    phone.get_by_label(f"意见：{returned.text}").fill("隔离观察室未设置")
    _clean(phone, live_server, "review")
    phone.get_by_role("button", name="提交审核结论").click()
    phone.get_by_text("有不符合项，已退回企业").wait_for()

    _as(phone, live_server, "enterprise_contact")
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/application/")
    assert phone.get_by_text("退回理由：隔离观察室未设置").is_visible()
    phone.screenshot(path=f"{SHOTS}-returned.png", full_page=True)
    _fill_item(phone, returned, "已设置观察室两间")
    phone.get_by_role("button", name="提交审核").click()
    phone.get_by_text("已提交，等待网格审核").wait_for()

    _as(phone, live_server, reviewer.username)
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/application/")
    phone.get_by_role("button", name="提交审核结论").click()
    phone.get_by_text("审核通过，已报镇审批").wait_for()

    _as(phone, live_server, "town_leader")
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/application/")
    _clean(phone, live_server, "approval")
    phone.get_by_role("button", name="批准复工").click()
    phone.get_by_text("已批准复工").first.wait_for()
    assert phone.locator("#app-state").inner_text() == "已批准复工"
    assert phone.get_by_text("第 1 轮").is_visible()

    isolated = isolation_make(world, world.sandian, "王隔离").key_person.resident
    employee = services.employee_add(
        actor=world.town_leader, enterprise=enterprise, resident=isolated
    )
    guard = user_make("gate_browser", (GATE_GUARD, world.enterprise))
    _as(phone, live_server, guard.username)
    phone.get_by_role("link", name="门岗扫码").first.click()
    phone.get_by_label("健康码短码").fill(employee.code.lower())
    phone.get_by_label("体温（°C）").fill("36.6")
    phone.get_by_role("button", name="查验").click()
    result = phone.locator("#scan-result")
    result.wait_for()
    assert "红码" in result.inner_text() and "不得进入" in result.inner_text()
    assert "王隔离" not in phone.content()
    _clean(phone, live_server, "gate red")
    phone.screenshot(path=f"{SHOTS}-gate.png", full_page=True)

    _as(phone, live_server, "enterprise_contact")
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/employees/")
    assert phone.get_by_text("红码").first.is_visible()
    _clean(phone, live_server, "employees")
    phone.screenshot(path=f"{SHOTS}-employees.png", full_page=True)
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    _clean(phone, live_server, "detail")
    phone.screenshot(path=f"{SHOTS}-detail.png", full_page=True)
    phone.goto(f"{live_server.url}/enterprises/employees/{employee.pk}/card/")
    _clean(phone, live_server, "card")

    _as(phone, live_server, "town_leader")
    for path in ("/enterprises/", "/enterprises/tickets/", "/enterprises/policies/"):
        phone.goto(f"{live_server.url}{path}")
        _clean(phone, live_server, path)
    phone.goto(f"{live_server.url}/enterprises/items/")
    _clean(phone, live_server, "items")
    phone.screenshot(path=f"{SHOTS}-list.png", full_page=True)


CAMERA_STUB = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  detect() { return Promise.resolve([{ rawValue: %s }]); }
};
navigator.mediaDevices.getUserMedia = function () {
  var canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  return Promise.resolve(canvas.captureStream(5));
};
"""


def test_slots_import_and_a_camera_scan_on_a_phone(live_server, live_world, phone):
    import json
    from datetime import timedelta

    from django.utils import timezone

    from frontline.enterprises.tests.factories import employee_make, slot_make

    world = live_world
    own = services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )
    slot_make(world, capacity=1)
    later = slot_make(world, capacity=2, hours=48)
    browser_login(phone, live_server, "enterprise_contact")
    phone.goto(f"{live_server.url}/enterprises/slots/")
    phone.get_by_role("button", name="预约").first.click()
    phone.get_by_text("已预约，请按时到服务大厅办理").wait_for()
    _clean(phone, live_server, "slots booked")
    phone.get_by_label("改约到").select_option(str(later.pk))
    phone.get_by_role("button", name="改约").click()
    phone.get_by_text("已改约到").wait_for()
    phone.screenshot(path=f"{SHOTS}-slots.png", full_page=True)
    phone.goto(f"{live_server.url}/enterprises/{own.pk}/")
    phone.get_by_label("在岗人数").fill("42")
    phone.get_by_role("button", name="登记").click()
    phone.get_by_text("在岗 42 人").first.wait_for()
    _clean(phone, live_server, "detail with headcounts")

    _as(phone, live_server, "town_leader")
    phone.goto(f"{live_server.url}/enterprises/import/")
    _clean(phone, live_server, "import upload")
    phone.goto(f"{live_server.url}/enterprises/slots/")
    _clean(phone, live_server, "slots, town")

    employee = employee_make(world, own, name="赵绿码")
    guard = user_make("gate_camera", (GATE_GUARD, world.enterprise))
    phone.add_init_script(CAMERA_STUB % json.dumps(services.card_token(employee)))
    _as(phone, live_server, guard.username)
    phone.goto(f"{live_server.url}/enterprises/gate/")
    phone.get_by_label("体温（°C）").fill("36.4")
    phone.get_by_role("button", name="用摄像头扫健康码").click()
    result = phone.locator("#scan-result")
    result.wait_for()
    assert "绿码" in result.inner_text() and "赵*" in result.inner_text()
    _clean(phone, live_server, "gate after a camera scan")
    assert timezone.now() - timedelta(minutes=5) < employee.entries.get().scanned_at
