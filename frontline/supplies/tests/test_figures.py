"""Each supplies figure of the command dashboard, recorded through the services, agrees
with the list its link opens (rows and totals shown there)."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from frontline.core.registry import registry
from frontline.supplies import services
from frontline.supplies.tests.factories import (
    beneficiary_make,
    item_make,
    stock_fill,
    warehouse_make,
)

KEYS = [
    "party_donation_cash",
    "party_donation_goods",
    "donated_items",
    "coordinated_masks",
    "coordinated_suits",
    "coordinated_goggles",
    "coordinated_gloves",
    "coordinated_alcohol",
    "fund_raised",
    "fund_beneficiaries",
]


def _rows(html: str, css: str = "list-row") -> int:
    return len(re.findall(rf'class="{css}[ "]', html))


@pytest.fixture
def recorded(world):
    leader = world.town_leader
    today = timezone.localdate()
    store = warehouse_make(leader, world.town, "开发区仓库")
    village = warehouse_make(leader, world.sandian, "三店村物资点")
    items = {
        name: item_make(leader, name)
        for name in ("口罩", "防护服", "护目镜", "手套", "酒精", "体温计")
    }
    for name, quantity, unit in [
        ("口罩", 100, "箱"),
        ("口罩", 5000, "只"),
        ("防护服", 500, "套"),
        ("护目镜", 120, "个"),
        ("手套", 2000, "副"),
        ("酒精", "22.5", "吨"),
    ]:
        stock_fill(leader, store, items[name], quantity, unit, source="coordination")
    # Not coordinated: a purchase, and a coordinated receipt in another town.
    stock_fill(leader, village, items["口罩"], 999, source="purchase")
    for number, (kind, cash, goods) in enumerate(
        [
            ("party_member", "1000.00", [("口罩", 2, "盒", "60")]),
            ("party_member", "250.50", []),
            ("enterprise", "0", [("体温计", 3, "盒", "900"), ("酒精", 50, "kg", "500")]),
            ("resident", "88", []),
        ]
    ):
        services.donation_record(
            actor=leader,
            node=world.sandian,
            donor_kind=kind,
            donor_name=f"捐赠人{number}",
            cash=cash,
            goods=[services.Goods(items[i], q, u, Decimal(v)) for i, q, u, v in goods],
            warehouse=village if goods else None,
            received_on=today,
        )
    fund = services.fund_create(actor=leader, node=world.town, name="景清基金")
    for amount in ("600000.00", "400000.50"):
        services.fund_receipt_record(actor=leader, fund=fund, amount=amount, received_on=today)
    helped = [beneficiary_make(world.sandian, name=n) for n in ("王一", "王二", "王三")]
    for resident in [*helped, helped[0]]:
        d = services.disbursement_propose(
            actor=leader,
            fund=fund,
            resident_id=resident.pk,
            amount="100",
            reason="救助",
        )
        services.disbursement_approve(actor=_second(world), disbursement=d)
    # Proposed but not approved: not helped yet.
    services.disbursement_propose(
        actor=leader,
        fund=fund,
        resident_id=beneficiary_make(world.sandian, name="王四").pk,
        amount="1",
        reason="待批",
    )
    return today


def _second(world):
    from frontline.core.tests.fixtures import user_make

    found = world.users.get("keeper_town")
    if found is None:
        found = world.users["keeper_town"] = user_make("keeper_town", ("supply_keeper", world.town))
    return found


EXPECTED = {
    "party_donation_cash": Decimal("1250.50"),
    "party_donation_goods": Decimal("60.00"),
    "donated_items": 100 + 30,  # masks 2 盒 and thermometers 3 盒; alcohol by weight is not
    "coordinated_masks": 205000,
    "coordinated_suits": 500,
    "coordinated_goggles": 120,
    "coordinated_gloves": 2000,
    "coordinated_alcohol": Decimal("22.500"),
    "fund_raised": Decimal("1000000.50"),
    "fund_beneficiaries": 3,
}


@pytest.mark.parametrize("key", KEYS)
def test_the_figure_agrees_with_the_list_its_link_opens(key, world, recorded, login):
    today = recorded
    figure = registry().figures[key]
    value = figure.compute(world.town, today, today)
    assert value == EXPECTED[key]
    assert type(value) is type(EXPECTED[key])
    response = login(world.town_leader).get(figure.url(world.town, today, today))
    assert response.status_code == 200
    html = response.content.decode()
    if key.startswith("party_donation"):
        assert _rows(html) == 2
        assert "1250.50" in html and "60.00" in html
    elif key == "donated_items":
        assert _rows(html) == 2  # the two donations with goods
    elif key.startswith("coordinated"):
        code_rows = {"coordinated_masks": 2}.get(key, 1)
        assert html.count("上级协调") == code_rows
        base = value * 1000 if key == "coordinated_alcohol" else value
        assert f"合计 <strong>{Decimal(base).normalize():f}</strong>" in html
    elif key == "fund_raised":
        assert _rows(html) == 2 and "1000000.50" in html
    else:
        assert _rows(html, "list-row beneficiary") == 3


def test_figures_of_another_town_are_zero(world, recorded):
    today = recorded
    for key in KEYS:
        assert not registry().figures[key].compute(world.other_town, today, today)


def test_low_stock_of_a_village_is_the_rows_its_link_lists(world, login):
    leader = world.town_leader
    masks, suits = item_make(leader, "口罩"), item_make(leader, "防护服")
    sandian = warehouse_make(leader, world.sandian, "三店村物资点")
    zhengyuan = warehouse_make(leader, world.zhengyuan, "郑园村物资点")
    for store in (sandian, zhengyuan):
        stock_fill(leader, store, masks, 10)
        stock_fill(leader, store, suits, 50)
        services.threshold_set(actor=leader, warehouse=store, item=masks, threshold=Decimal(100))
    services.threshold_set(actor=leader, warehouse=sandian, item=suits, threshold=Decimal(20))

    figure = registry().figures["low_stock"]
    today = timezone.localdate()
    assert figure.compute(world.sandian, today, today) == 1
    assert figure.compute(world.town, today, today) == 2
    url = figure.url(world.sandian, today, today)
    page = login(leader).get(url).content.decode()
    assert "低于库存线的物资：1 项（三店村）" in page
    assert "三店村物资点" in page and "郑园村物资点" not in page
    town = login(leader).get(figure.url(world.town, today, today)).content.decode()
    assert "低于库存线的物资：2 项" in town and "郑园村物资点" in town
    assert login(world.holder("supply_keeper", "zhengyuan")).get(url).status_code == 404
