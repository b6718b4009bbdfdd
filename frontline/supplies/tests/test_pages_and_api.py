"""What a keeper, an enterprise and a passer-by of the 公示 link see: pages, the home
cards, the public link (nothing else reachable through it) and the API's answers."""

import io
import json
import time
from decimal import Decimal
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from frontline.core.registry import registry
from frontline.supplies import disclosure, services
from frontline.supplies.models import Move, Stock
from frontline.supplies.tests.factories import (
    beneficiary_make,
    item_make,
    stock_fill,
    warehouse_make,
)


def test_the_keepers_home_cards_replace_the_placeholders_and_count_low_stock(world, stocked, login):
    cards = registry().home_cards
    assert not cards["supplies.ledger"].placeholder and not cards["supplies.requests"].placeholder
    html = login(world.supply_keeper_sandian).get(reverse("core:home")).content.decode()
    assert "物资台账" in html and "建设中" not in html.split("物资台账")[1][:300]


def test_stock_page_highlights_what_is_below_its_line(world, stocked, login):
    html = login(world.supply_keeper_sandian).get(reverse("supplies:stock")).content.decode()
    assert "低于库存线 1 项" in html and "低库存" in html and "300 只" in html


def test_a_move_through_the_form_is_stored_once_even_when_sent_twice(world, stocked, login):
    keeper, warehouse, masks = stocked
    client = login(keeper)
    body = {
        "kind": "issue",
        "warehouse": warehouse.pk,
        "item": masks.pk,
        "quantity": "2",
        "unit": "盒",
        "recipient_node": world.sandian_grid.pk,
        "idempotency_key": "tap-1",
    }
    url = reverse("supplies:move_create")
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302
    assert Stock.objects.get(warehouse=warehouse, item=masks).quantity == 200
    refused = client.post(url, {**body, "quantity": "9", "idempotency_key": "tap-2"})
    assert refused.status_code == 422
    assert "缺 250只" in refused.content.decode()


def test_a_donation_page_gives_a_printable_receipt(world, stocked, login):
    keeper, warehouse, masks = stocked
    client = login(keeper)
    response = client.post(
        reverse("supplies:donation_create"),
        {
            "node": world.sandian.pk,
            "donor_kind": "enterprise",
            "donor_name": "江苏华海食品有限公司",
            "cash": "",
            "item": masks.pk,
            "quantity": "1",
            "unit": "箱",
            "value": "3000",
            "warehouse": warehouse.pk,
            "received_on": timezone.localdate().isoformat(),
            "idempotency_key": "d-1",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "捐赠收据" in html and f"JZ{timezone.localdate().year}000001" in html
    assert "口罩 2000只" in html and "3000.00 元" in html
    assert Stock.objects.get(warehouse=warehouse, item=masks).quantity == 2300


def _public_world(world, stocked):
    keeper, warehouse, masks = stocked
    today = timezone.localdate()
    for name, masked, kind in [("王立新", True, "party_member"), ("华海食品", False, "enterprise")]:
        services.donation_record(
            actor=keeper,
            node=world.sandian,
            donor_kind=kind,
            donor_name=name,
            masked=masked,
            cash="100",
            received_on=today,
        )
    services.donation_record(
        actor=keeper,
        node=world.sandian,
        donor_kind="anonymous",
        cash="5",
        received_on=today,
    )
    services.move_record(
        actor=keeper,
        kind="issue",
        warehouse=warehouse,
        item=masks,
        quantity=100,
        recipient_node=world.sandian_grid,
    )
    return disclosure.link_token(world.sandian, today, today, 7)


def test_the_public_link_opens_the_list_without_login_with_names_masked_on_request(
    world, stocked, client
):
    token = _public_world(world, stocked)
    html = client.get(reverse("supplies:public", args=[token])).content.decode()
    assert "王*新" in html and "王立新" not in html and "华海食品" in html and "匿名" in html
    assert "第一网格" in html  # the use of the goods
    sheet = client.get(reverse("supplies:public_xlsx", args=[token]))
    content = b"".join(sheet.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert [row[2] for row in rows[1:]] == ["王*新", "华海食品", "匿名"]
    # Nothing else is reachable: the rest of the app asks for a login.
    for name in ("supplies:stock", "supplies:donations", "supplies:ledger"):
        assert client.get(reverse(name)).status_code == 302
    # A forged, edited or expired link opens nothing.
    assert client.get(reverse("supplies:public", args=[token[:-2] + "xx"])).status_code == 404
    with mock.patch(
        "frontline.supplies.disclosure.time.time", return_value=time.time() + 8 * 86400
    ):
        assert client.get(reverse("supplies:public", args=[token])).status_code == 404


def test_allocation_pages_enterprise_first_approve_and_the_enterprise_confirms(world, login):
    leader = world.town_leader
    store = warehouse_make(leader, world.town, "开发区仓库")
    masks = item_make(leader, "口罩")
    stock_fill(leader, store, masks, 1, "盒")
    today = timezone.localdate()
    services.request_create(
        actor=world.cadre_sandian,
        node=world.sandian,
        kind="village",
        needed_by=today,
        reason="卡口",
        lines=[services.Asked(masks, 50)],
    )
    enterprise = login(world.enterprise_contact)
    response = enterprise.post(
        reverse("supplies:request_create"),
        {
            "node": world.enterprise.pk,
            "kind": "enterprise",
            "needed_by": today.isoformat(),
            "reason": "复工防疫",
            "item1": masks.pk,
            "quantity1": "30",
            "idempotency_key": "r-1",
        },
    )
    assert response.status_code == 302
    keeper = login(leader)
    page = keeper.post(reverse("supplies:allocation_run"), {"warehouse": store.pk}, follow=True)
    html = page.content.decode()
    assert "优先保障企业防疫需求" in html
    assert html.index("连云港金鹏机械有限公司") < html.index("三店村")
    allocation_url = page.redirect_chain[-1][0]
    keeper.post(allocation_url, {})
    issued = {m.recipient_node.name: m.quantity for m in Move.objects.filter(kind="issue")}
    assert issued == {"连云港金鹏机械有限公司": Decimal(30), "三店村": Decimal(20)}
    enterprise = login(world.enterprise_contact)
    html = enterprise.get(reverse("supplies:requests")).content.decode()
    assert "签收" in html and "三店村" not in html
    line = Move.objects.get(recipient_node=world.enterprise).allocation_line
    enterprise.post(reverse("supplies:delivery_confirm", args=[line.pk]))
    assert "已签收" in enterprise.get(reverse("supplies:requests")).content.decode()


# ---------------------------------------------------------------- API


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_moves_answer_201_then_200_then_409_and_quantities_are_strings(world, stocked, login):
    keeper, warehouse, masks = stocked
    client = login(keeper)
    body = {
        "kind": "receipt",
        "item": masks.pk,
        "warehouse": warehouse.pk,
        "quantity": "1.5",
        "unit": "箱",
        "source": "coordination",
        "idempotency_key": "api-1",
    }
    first = _post(client, "/api/v1/supplies/moves", body)
    assert first.status_code == 201 and first.json()["quantity"] == "3000"
    assert _post(client, "/api/v1/supplies/moves", body).status_code == 200
    conflict = _post(client, "/api/v1/supplies/moves", {**body, "quantity": "2"})
    assert conflict.status_code == 409 and "请求编号" in conflict.json()["detail"]
    short = _post(
        client,
        "/api/v1/supplies/moves",
        {
            **body,
            "kind": "issue",
            "quantity": "9",
            "recipient_node": world.sandian.pk,
            "idempotency_key": "api-2",
        },
    )
    assert short.status_code == 422 and "缺 14700只" in short.json()["detail"]
    stock = client.get(f"/api/v1/supplies/stock?warehouse={warehouse.pk}").json()
    assert stock[0]["quantity"] == "3300" and stock[0]["low"] is False
    assert client.get("/api/v1/supplies/stock?limit=201").status_code == 422


def test_api_donations_money_as_two_place_strings_and_funds_refuse_the_proposer(
    world, stocked, login
):
    _, warehouse, masks = stocked
    leader = login(world.town_leader)
    body = {
        "node": world.sandian.pk,
        "donor_kind": "party_member",
        "donor_name": "张秀兰",
        "cash": 200,
        "goods": [{"item": masks.pk, "quantity": "2", "unit": "盒", "value": "30.5"}],
        "warehouse": warehouse.pk,
        "received_on": timezone.localdate().isoformat(),
        "purpose": "防疫",
        "idempotency_key": "don-1",
    }
    made = _post(leader, "/api/v1/donations", body)
    assert made.status_code == 201, made.json()
    assert (made.json()["cash"], made.json()["goods_value"], made.json()["total"]) == (
        "200.00",
        "30.50",
        "230.50",
    )
    assert leader.get("/api/v1/donations").json()[0]["receipt_no"] == made.json()["receipt_no"]
    fund = _post(leader, "/api/v1/funds", {"node": world.town.pk, "name": "景清基金"}).json()
    assert fund["balance"] == "0.00"
    _post(
        leader,
        f"/api/v1/funds/{fund['id']}/receipts",
        {"amount": "100", "received_on": timezone.localdate().isoformat()},
    )

    resident = beneficiary_make(world.sandian, name="王老汉")
    too_much = _post(
        leader,
        f"/api/v1/funds/{fund['id']}/disbursements",
        {"resident": resident.pk, "amount": "100.01", "reason": "救助"},
    )
    assert too_much.status_code == 422 and "余额不足" in too_much.json()["detail"]
    made = _post(
        leader,
        f"/api/v1/funds/{fund['id']}/disbursements",
        {"resident": resident.pk, "amount": "100", "reason": "救助"},
    ).json()
    own = _post(leader, f"/api/v1/funds/disbursements/{made['id']}/approve", {})
    assert own.status_code == 422 and "提出人不能批准" in own.json()["detail"]
    assert leader.get("/api/v1/funds").json()[0]["balance"] == "100.00"


def _sheet(response) -> list[list]:
    content = b"".join(response.streaming_content)
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_stock_ledger_and_fund_statement_sheets_are_audited(world, stocked, login):
    from frontline.core.models import AuditEvent

    keeper, warehouse, masks = stocked
    client = login(keeper)
    stock = _sheet(client.get(reverse("supplies:stock_xlsx")))
    assert stock[1][1:7] == ["三店村物资点", "口罩", "300", "只", "1000", "是"]
    services.move_record(
        actor=keeper,
        kind="adjustment",
        warehouse=warehouse,
        item=masks,
        quantity="-1",
        reason="盘亏",
    )
    ledger = _sheet(client.get(reverse("supplies:ledger_xlsx") + "?kind=adjustment"))
    assert len(ledger) == 2 and ledger[1][1:6] == ["盘点调整", "口罩", -1, "只", -1]
    leader = world.town_leader
    fund = services.fund_create(actor=leader, node=world.town, name="景清基金")
    services.fund_receipt_record(
        actor=leader, fund=fund, amount="500", received_on=timezone.localdate()
    )
    paid = services.disbursement_propose(
        actor=leader,
        fund=fund,
        resident_id=beneficiary_make(world.sandian, name="王老汉").pk,
        amount="120.5",
        reason="救助",
    )
    services.disbursement_approve(actor=_other(world), disbursement=paid)
    statement = _sheet(login(leader).get(reverse("supplies:fund_xlsx", args=[fund.pk])))
    assert [row[1:] for row in statement[1:]] == [
        ["收入", "", "500.00", "0.00", "500.00"],
        ["支出", "王老汉", "0.00", "120.50", "379.50"],
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"supplies.stock.export", "supplies.move.export", "supplies.fund.export"} <= actions
    # Each at a node (the keeper's village when unfiltered): the audit page lists by node,
    # and a row without one was seen by nobody.
    exports = AuditEvent.objects.filter(
        action__in=["supplies.stock.export", "supplies.move.export"]
    )
    assert {e.node_id for e in exports} == {world.sandian.pk}


def test_the_public_sheet_download_is_logged_at_its_list(world, client):
    from frontline.core.models import AuditEvent
    from frontline.supplies import disclosure

    today = timezone.localdate()
    token = disclosure.link_token(world.sandian, today, today, 7)
    sheet = client.get(reverse("supplies:public_xlsx", args=[token]))
    assert sheet.status_code == 200
    (row,) = AuditEvent.objects.filter(action="supplies.disclosure.export")
    assert (row.actor_id, row.node_id, row.actor_name) == (None, world.sandian.pk, "system")


def _other(world):
    from frontline.core.tests.fixtures import user_make

    return user_make("keeper_town", ("supply_keeper", world.town))
