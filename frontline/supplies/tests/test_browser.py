"""At 360 px: a keeper records a goods donation, runs an allocation where an enterprise and
a village ask for the last masks, approves, and the enterprise confirms receipt; every
page on the way passes axe-core's WCAG 2 A/AA rules and fits the screen."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.core.tests.fixtures import browser_login, user_make
from frontline.core.tests.test_accessibility import axe_violations
from frontline.supplies import services
from frontline.supplies.tests.factories import beneficiary_make, item_make, warehouse_make

pytestmark = pytest.mark.browser

# Where to keep screenshots for a person to look at (unset: none are taken).
SHOTS = os.environ.get("FRONTLINE_SCREENSHOTS", "")


def _check(page, live_server, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    violations = axe_violations(page, live_server)
    assert not violations, f"{name}: {[v['id'] for v in violations]}"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_donation_allocation_approval_and_confirmation_on_a_phone(live_server, live_world, phone):
    world = live_world
    keeper = user_make("keeper_town", ("supply_keeper", world.town))
    store = warehouse_make(keeper, world.town, "开发区仓库")
    masks = item_make(keeper, "口罩")
    today = timezone.localdate()
    services.request_create(
        actor=world.cadre_sandian,
        node=world.sandian,
        kind="village",
        needed_by=today,
        reason="村口卡点",
        lines=[services.Asked(masks, 30)],
    )
    services.request_create(
        actor=world.enterprise_contact,
        node=world.enterprise,
        kind="enterprise",
        needed_by=today + timedelta(days=3),
        reason="复工防疫",
        lines=[services.Asked(masks, 40)],
    )

    browser_login(phone, live_server, "keeper_town")
    _check(phone, live_server, "home")
    phone.goto(f"{live_server.url}/supplies/donations/new/")
    phone.get_by_label("接收辖区").select_option(str(world.town.pk))
    phone.get_by_label("捐赠人类型").select_option("enterprise")
    phone.get_by_label("捐赠人", exact=True).fill("江苏华海食品有限公司")
    phone.get_by_label("捐赠物资").select_option(str(masks.pk))
    phone.get_by_label("物资数量").fill("1")
    phone.get_by_label("单位", exact=True).fill("盒")
    phone.get_by_label("物资折价（元）").fill("100")
    phone.get_by_label("入库仓库").select_option(str(store.pk))
    _check(phone, live_server, "donation_form")
    phone.get_by_role("button", name="保存").click()
    phone.get_by_text("捐赠收据").first.wait_for()
    assert phone.get_by_text("口罩 50只").is_visible()
    _check(phone, live_server, "receipt")

    phone.goto(f"{live_server.url}/supplies/")
    _check(phone, live_server, "stock")
    phone.goto(f"{live_server.url}/supplies/requests/")
    _check(phone, live_server, "requests")
    phone.get_by_role("button", name="生成分配建议").click()
    phone.get_by_text("分配规则").first.wait_for()
    rows = phone.locator("tbody tr")
    assert "连云港金鹏机械有限公司" in rows.nth(0).inner_text()
    assert phone.locator("tbody tr input").nth(0).input_value() == "40"
    assert phone.locator("tbody tr input").nth(1).input_value() == "10"
    _check(phone, live_server, "allocation")
    phone.get_by_role("button", name="批准并出库").click()
    phone.get_by_text("已批准并出库").wait_for()

    phone.context.clear_cookies()
    browser_login(phone, live_server, "enterprise_contact")
    phone.goto(f"{live_server.url}/supplies/requests/")
    _check(phone, live_server, "enterprise_requests")
    phone.get_by_role("button", name="签收").click()
    phone.get_by_text("已签收 口罩").wait_for()
    assert phone.get_by_text("已签收", exact=True).is_visible()


def test_the_other_pages_fit_a_phone_and_pass_axe(live_server, live_world, phone):
    from frontline.supplies import disclosure
    from frontline.supplies.tests.factories import stock_fill

    world = live_world
    keeper = user_make("keeper_town", ("supply_keeper", world.town))
    store = warehouse_make(keeper, world.town, "开发区仓库")
    masks = item_make(keeper, "口罩")
    stock_fill(keeper, store, masks, 2, "箱", source="coordination")
    today = timezone.localdate()
    services.donation_record(
        actor=keeper,
        node=world.town,
        donor_kind="party_member",
        donor_name="王立新",
        masked=True,
        drive=services.drive_create(actor=keeper, node=world.town, name="党员义捐"),
        cash="2000",
        received_on=today,
    )
    fund = services.fund_create(actor=keeper, node=world.town, name="景清基金")
    services.fund_receipt_record(actor=keeper, fund=fund, amount="5000", received_on=today)
    services.disbursement_propose(
        actor=world.town_leader,
        fund=fund,
        resident_id=beneficiary_make(world.sandian, name="王老汉").pk,
        amount="800",
        reason="生活困难",
    )
    token = disclosure.link_token(world.town, today, today, 7)
    browser_login(phone, live_server, "keeper_town")
    pages = {
        "ledger": "/supplies/ledger/",
        "donations": "/supplies/donations/",
        "move_form": "/supplies/moves/new/",
        "funds": "/supplies/funds/",
        "fund": f"/supplies/funds/{fund.pk}/",
        "beneficiaries": "/supplies/beneficiaries/",
        "disclosure": "/supplies/disclosure/",
        "stocktake": "/supplies/stocktake/",
        "warehouses": "/supplies/warehouses/",
        "low_stock": "/supplies/?low=1",
        "one_store": f"/supplies/?warehouse={store.pk}",
        "items": "/supplies/items/",
        "item_edit": f"/supplies/items/{masks.pk}/edit/",
        "drives": "/supplies/drives/",
        "drive_form": "/supplies/drives/new/",
        "warehouse_form": "/supplies/warehouses/new/",
        "fund_form": "/supplies/funds/new/",
    }
    for name, path in pages.items():
        assert phone.goto(f"{live_server.url}{path}").status == 200, path
        _check(phone, live_server, name)
    phone.context.clear_cookies()
    assert phone.goto(f"{live_server.url}/supplies/public/{token}/").status == 200
    assert phone.get_by_text("王*新").is_visible()
    _check(phone, live_server, "public")


def test_a_keeper_adds_an_item_with_its_units_on_a_phone(live_server, live_world, phone):
    world = live_world
    user_make("keeper_town", ("supply_keeper", world.town))
    browser_login(phone, live_server, "keeper_town")
    phone.goto(f"{live_server.url}/supplies/items/new/")
    phone.get_by_label("维护单位").select_option(str(world.town.pk))
    phone.get_by_label("物资名称").fill("消毒片")
    phone.get_by_label("基本单位").fill("片")
    phone.get_by_label("换算单位").fill("瓶=100，箱=2000")
    _check(phone, live_server, "item_form")
    phone.get_by_role("button", name="保存").click()
    phone.get_by_text("已新建物资：消毒片").wait_for()
    assert phone.get_by_text("1箱 = 2000片").is_visible()
    _check(phone, live_server, "items_after")
