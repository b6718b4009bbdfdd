"""The keepers' set-up pages: the catalogue with its units (add, edit), stores with their
low-stock counts, drives with their totals, and funds with balance and people helped."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.core.tests.fixtures import user_make
from frontline.people.tests.factories import resident_make
from frontline.supplies import selectors, services
from frontline.supplies.models import Item, Warehouse
from frontline.supplies.tests.factories import beneficiary_make, stock_fill


def _item_body(world, **extra) -> dict:
    return {
        "node": world.sandian.pk,
        "name": "消毒片",
        "base_unit": "片",
        "units": "瓶=100，箱=2000",
        "code": "disinfectant",
        "countable": "on",
        **extra,
    }


def test_a_keeper_adds_an_item_with_its_conversions_and_the_catalogue_shows_them(world, login):
    client = login(world.supply_keeper_sandian)
    response = client.post(reverse("supplies:item_create"), _item_body(world))
    assert response.status_code == 302
    item = Item.objects.get(name="消毒片")
    assert item.node == world.sandian
    assert {u.name: u.factor for u in item.units.all()} == {"瓶": 100, "箱": 2000}
    html = client.get(reverse("supplies:items")).content.decode()
    assert "1箱 = 2000片" in html and reverse("supplies:item_edit", args=[item.pk]) in html


def test_a_conversion_that_is_not_a_number_is_refused_naming_the_field_and_nothing_saved(
    world, login
):
    client = login(world.supply_keeper_sandian)
    response = client.post(reverse("supplies:item_create"), _item_body(world, units="瓶=一百"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "换算单位" in html and "“瓶=一百”的数量须为数字" in html
    assert not Item.objects.filter(name="消毒片").exists()
    twice = client.post(reverse("supplies:item_create"), _item_body(world, units="片=1"))
    assert "单位“片”重复" in twice.content.decode()
    assert not Item.objects.filter(name="消毒片").exists()


def test_editing_an_item_never_rewrites_what_the_ledger_already_counted(world, stocked, login):
    keeper, warehouse, masks = stocked
    stock_fill(keeper, warehouse, masks, 1, "箱")  # the ledger has used 箱 = 2000 只
    client = login(keeper)
    url = reverse("supplies:item_edit", args=[masks.pk])
    assert "盒=50，箱=2000" in client.get(url).content.decode()
    body = {"name": "口罩", "base_unit": "只", "code": "mask", "countable": "on"}
    refused = client.post(url, {**body, "units": "盒=50，箱=1000"})
    assert refused.status_code == 422
    assert "台账已用过“箱”（1箱 = 2000只），不能改换算" in refused.content.decode()
    base = client.post(url, {**body, "base_unit": "片", "units": "盒=50，箱=2000"})
    assert "口罩已有台账记录，基本单位不能修改" in base.content.decode()
    # 盒 was never used: it may change; a new unit may always be added.
    saved = client.post(url, {**body, "name": "医用口罩", "units": "盒=100，箱=2000，包=10"})
    assert saved.status_code == 302
    masks.refresh_from_db()
    assert masks.name == "医用口罩" and masks.base_unit == "只"
    assert {u.name: u.factor for u in masks.units.all()} == {"盒": 100, "箱": 2000, "包": 10}
    assert warehouse.stock.get(item=masks).quantity == 2300


def test_another_villages_keeper_sees_the_entry_but_cannot_edit_it(world, stocked, login):
    _keeper, _warehouse, masks = stocked
    masks_node = Item.objects.get(pk=masks.pk).node
    assert masks_node == world.sandian
    client = login(world.supply_keeper_zhengyuan)
    html = client.get(reverse("supplies:items")).content.decode()
    assert "口罩" in html and reverse("supplies:item_edit", args=[masks.pk]) not in html
    assert client.get(reverse("supplies:item_edit", args=[masks.pk])).status_code == 404
    # The town's leader keeps the village's stores too, so may edit the village's entry.
    town = login(world.town_leader)
    assert town.get(reverse("supplies:item_edit", args=[masks.pk])).status_code == 200


def test_stores_show_their_low_stock_count_and_link_to_what_is_low(world, stocked, login):
    keeper, warehouse, _masks = stocked
    client = login(keeper)
    html = client.get(reverse("supplies:warehouses")).content.decode()
    assert "三店村物资点" in html and "低于库存线 1 种" in html
    assert f"?warehouse={warehouse.pk}" in html and "?low=1" in html
    low = client.get(reverse("supplies:stock") + "?low=1").content.decode()
    assert "低于库存线的物资：1 项" in low and "300 只" in low
    one = client.get(reverse("supplies:stock") + f"?warehouse={warehouse.pk}").content.decode()
    assert "仓库：三店村物资点" in one
    opened = client.post(
        reverse("supplies:warehouse_create"), {"node": world.sandian.pk, "name": "三店村二号点"}
    )
    assert opened.status_code == 302
    assert Warehouse.objects.filter(node=world.sandian, name="三店村二号点").exists()


def test_the_low_stock_list_is_empty_when_everything_is_above_its_line(world, stocked, login):
    keeper, warehouse, masks = stocked
    stock_fill(keeper, warehouse, masks, 1000)
    client = login(keeper)
    assert (
        "没有低于库存线的物资" in client.get(reverse("supplies:stock") + "?low=1").content.decode()
    )
    assert selectors.low_stock_count(keeper) == 0


def test_drive_totals_count_each_named_donor_once_and_each_anonymous_gift(world, stocked, login):
    keeper, warehouse, masks = stocked
    drive = services.drive_create(actor=keeper, node=world.sandian, name="党员义捐")
    today = timezone.localdate()
    gifts = [
        ("party_member", "王立新", "100", []),
        ("party_member", "王立新", "50", []),
        ("party_member", "张秀兰", "0", [services.Goods(masks, 1, "盒", Decimal("75.50"))]),
        ("anonymous", "", "20", []),
        ("anonymous", "", "30", []),
    ]
    for kind, name, cash, goods in gifts:
        services.donation_record(
            actor=keeper,
            node=world.sandian,
            donor_kind=kind,
            donor_name=name,
            drive=drive,
            cash=cash,
            goods=goods,
            warehouse=warehouse,
            received_on=today,
        )
    row = selectors.drives_with_totals(keeper).get(pk=drive.pk)
    totals = selectors.drive_totals(drive)
    assert (
        (row.cash, row.goods)
        == (totals["cash"], totals["goods"])
        == (
            Decimal("200.00"),
            Decimal("75.50"),
        )
    )
    assert row.named_donors + row.anonymous_donors == totals["donors"] == 4
    html = login(keeper).get(reverse("supplies:drives")).content.decode()
    assert "捐款 <strong>200.00</strong> 元" in html and "4 位捐赠人 · 5 笔" in html


def test_funds_show_balance_and_people_helped_once_and_only_another_person_may_approve(
    world, login
):
    leader, keeper = world.town_leader, user_make("keeper_town", ("supply_keeper", world.town))
    client = login(leader)
    created = client.post(
        reverse("supplies:fund_create"), {"node": world.town.pk, "name": "景清基金"}
    )
    assert created.status_code == 302
    fund = selectors.funds_for(leader).get(name="景清基金")
    services.fund_receipt_record(
        actor=leader, fund=fund, amount="1000.00", received_on=timezone.localdate()
    )
    old_man = beneficiary_make(world.sandian, name="王老汉")
    for amount in ("100", "200"):
        paid = services.disbursement_propose(
            actor=leader, fund=fund, resident_id=old_man.pk, amount=amount, reason="生活困难"
        )
        services.disbursement_approve(actor=keeper, disbursement=paid)
    waiting = services.disbursement_propose(
        actor=leader,
        fund=fund,
        resident_id=beneficiary_make(world.sandian, name="张三").pk,
        amount="50",
        reason="助学",
    )
    html = client.get(reverse("supplies:funds")).content.decode()
    assert "余额 <strong>700.00</strong> 元" in html and "受助 1 人（每人只计一次）" in html
    assert "待批准 1 笔" in html
    approve = reverse("supplies:disbursement_approve", args=[waiting.pk])
    mine = client.get(reverse("supplies:fund", args=[fund.pk])).content.decode()
    assert approve not in mine and "待另一人批准" in mine
    assert approve in login(keeper).get(reverse("supplies:fund", args=[fund.pk])).content.decode()


def test_a_fund_helps_residents_tagged_in_need_and_its_picker_lists_only_them(world, login):
    # The keeper has no roster: the fund page must not hand over every resident of the
    # zone as the picker's options. Only those tagged in need are offered, and accepted.
    keeper = world.supply_keeper_sandian
    fund = services.fund_create(actor=keeper, node=world.sandian, name="村互助金")
    services.fund_receipt_record(
        actor=keeper, fund=fund, amount="500.00", received_on=timezone.localdate()
    )
    in_need = beneficiary_make(world.sandian, name="王老汉")
    neighbour = resident_make(world.sandian, name="李邻居")
    page = login(keeper).get(reverse("supplies:fund", args=[fund.pk])).content.decode()
    assert f'value="{in_need.pk}"' in page and "王老汉" in page
    assert f'value="{neighbour.pk}"' not in page and "李邻居" not in page
    with pytest.raises(ValidationError, match="标为困难家庭"):
        services.disbursement_propose(
            actor=keeper, fund=fund, resident_id=neighbour.pk, amount="10", reason="生活困难"
        )
    assert not fund.disbursements.exists()


def test_an_entry_with_no_keeper_node_is_edited_by_no_one(world):
    keeper = world.supply_keeper_sandian
    orphan = Item.objects.create(name="旧目录物资", base_unit="个")
    with pytest.raises(PermissionDenied):
        services.item_update(
            actor=keeper,
            item=orphan,
            name="改名",
            base_unit="个",
            code="other",
            countable=True,
            units=[],
        )
    assert Item.objects.get(pk=orphan.pk).name == "旧目录物资"
