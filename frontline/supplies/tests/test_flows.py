"""Donations with receipts and drive totals, allocation with enterprises first, the
recipient's confirmation, and the fund's two signatures and balance."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from frontline.supplies import selectors, services
from frontline.supplies.models import Move, RequestLine, Stock
from frontline.supplies.tests.factories import (
    beneficiary_make,
    item_make,
    stock_fill,
    warehouse_make,
)


@pytest.fixture
def town_store(world):
    keeper = world.supply_keeper_sandian
    return keeper, warehouse_make(keeper, world.sandian, "三店村物资点"), item_make(keeper, "口罩")


def test_goods_donation_enters_the_ledger_with_a_receipt_number_and_drive_totals(world, town_store):
    keeper, warehouse, masks = town_store
    drive = services.drive_create(actor=keeper, node=world.sandian, name="党员义捐")
    today = timezone.localdate()
    first, _ = services.donation_record(
        actor=keeper,
        node=world.sandian,
        donor_kind="party_member",
        donor_name="王立新",
        drive=drive,
        cash="2000",
        goods=[services.Goods(masks, 2, "箱", Decimal("6000"))],
        warehouse=warehouse,
        received_on=today,
    )
    second, _ = services.donation_record(
        actor=keeper,
        node=world.sandian,
        donor_kind="party_member",
        donor_name="王立新",
        drive=drive,
        cash="500.50",
        received_on=today,
    )
    assert (first.receipt_no, second.receipt_no) == (
        f"JZ{today.year}000001",
        f"JZ{today.year}000002",
    )
    assert Stock.objects.get(warehouse=warehouse, item=masks).quantity == 4000
    assert Move.objects.get(donation=first).source == "donation"
    totals = selectors.drive_totals(drive)
    assert totals == {
        "cash": Decimal("2500.50"),
        "goods": Decimal("6000.00"),
        "donations": 2,
        "donors": 1,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cash": "-1"}, "cash"),
        ({"cash": "1.234"}, "cash"),
        ({"cash": "0"}, "cash"),
        ({"donor_name": ""}, "donor_name"),
        ({"received_on": timezone.localdate() + timedelta(days=1)}, "received_on"),
    ],
)
def test_bad_donations_are_refused_by_field(world, town_store, changes, field):
    keeper, _, _ = town_store
    data = {
        "actor": keeper,
        "node": world.sandian,
        "donor_kind": "resident",
        "donor_name": "李某",
        "cash": "100",
        "received_on": timezone.localdate(),
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.donation_record(**data)
    assert field in refused.value.message_dict


def _request(world, actor, node, kind, masks, quantity, days):
    return services.request_create(
        actor=actor,
        node=node,
        kind=kind,
        needed_by=timezone.localdate() + timedelta(days=days),
        reason="防疫",
        lines=[services.Asked(masks, quantity)],
    )


def test_allocation_serves_the_enterprise_first_then_approval_issues_and_short_lines_stay_open(
    world,
):
    keeper = world.supply_keeper_sandian
    town_keeper = world.town_leader
    store = warehouse_make(town_keeper, world.town, "开发区仓库")
    masks = item_make(town_keeper, "口罩")
    stock_fill(town_keeper, store, masks, 1000)
    # The village asked first and needs it sooner; the enterprise still comes first.
    village = _request(world, keeper, world.sandian, "village", masks, 800, 1)
    enterprise = _request(
        world, world.enterprise_contact, world.enterprise, "enterprise", masks, 600, 5
    )
    allocation = services.allocation_run(actor=town_keeper, warehouse=store)
    lines = list(selectors.allocation_lines(allocation))
    assert [(line.request_line.request_id, line.proposed) for line in lines] == [
        (enterprise.pk, Decimal(600)),
        (village.pk, Decimal(400)),
    ]
    assert "优先保障企业防疫需求" in allocation.rule
    # Partial: the keeper approves 300 for the village instead of 400.
    services.allocation_approve(
        actor=town_keeper, allocation=allocation, quantities={lines[1].pk: Decimal(300)}
    )
    assert Stock.objects.get(warehouse=store, item=masks).quantity == 100
    issued = Move.objects.filter(kind="issue").order_by("recipient_node__name")
    assert {(m.recipient_node_id, m.quantity) for m in issued} == {
        (world.enterprise.pk, Decimal(600)),
        (world.sandian.pk, Decimal(300)),
    }
    open_lines = list(RequestLine.objects.filter(approved__lt=models_F("quantity")))
    assert [(line.request_id, line.outstanding) for line in open_lines] == [
        (village.pk, Decimal(500))
    ]
    with pytest.raises(ValidationError):
        services.allocation_approve(actor=town_keeper, allocation=allocation)
    # The enterprise confirms receipt; the village's contact cannot confirm the enterprise's.
    delivery = lines[0]
    with pytest.raises(Exception):
        services.allocation_confirm(actor=world.cadre_sandian, line=delivery)
    services.allocation_confirm(actor=world.enterprise_contact, line=delivery)
    delivery.refresh_from_db()
    assert delivery.confirmed_by == world.enterprise_contact
    with pytest.raises(ValidationError):
        services.allocation_confirm(actor=world.enterprise_contact, line=delivery)


def models_F(name):
    from django.db.models import F

    return F(name)


def test_approving_more_than_outstanding_is_refused_and_nothing_is_issued(world):
    leader = world.town_leader
    store = warehouse_make(leader, world.town, "开发区仓库")
    masks = item_make(leader, "口罩")
    stock_fill(leader, store, masks, 1000)
    _request(world, world.cadre_sandian, world.sandian, "village", masks, 100, 1)
    allocation = services.allocation_run(actor=leader, warehouse=store)
    line = selectors.allocation_lines(allocation).get()
    with pytest.raises(ValidationError) as refused:
        services.allocation_approve(actor=leader, allocation=allocation, quantities={line.pk: 101})
    assert "0 到 100" in str(refused.value)
    assert not Move.objects.filter(kind="issue").exists()


@pytest.fixture
def fund_world(world):

    leader = world.town_leader
    fund = services.fund_create(actor=leader, node=world.town, name="景清基金")
    services.fund_receipt_record(
        actor=leader, fund=fund, amount="1000.00", received_on=timezone.localdate()
    )
    return (
        fund,
        beneficiary_make(world.sandian, name="王老汉"),
        beneficiary_make(world.sandian, name="李奶奶"),
    )


def test_a_disbursement_needs_a_second_person_and_never_overdraws(world, fund_world):
    fund, old_man, grandma = fund_world
    proposer, approver = world.town_leader, world.supply_keeper_sandian
    first = services.disbursement_propose(
        actor=proposer, fund=fund, resident_id=old_man.pk, amount="600", reason="生活困难"
    )
    with pytest.raises(ValidationError) as refused:
        services.disbursement_approve(actor=proposer, disbursement=first)
    assert "提出人不能批准" in str(refused.value)
    # The sandian keeper's scope is the village; the fund is the town's: not theirs.
    with pytest.raises(Exception):
        services.disbursement_approve(actor=approver, disbursement=first)
    town_keeper = _town_keeper(world)
    second = services.disbursement_propose(
        actor=proposer, fund=fund, resident_id=grandma.pk, amount="600", reason="生活困难"
    )
    services.disbursement_approve(actor=town_keeper, disbursement=first)
    assert services.fund_balance(fund) == Decimal("400.00")
    with pytest.raises(ValidationError) as refused:
        services.disbursement_approve(actor=town_keeper, disbursement=second)
    assert "余额不足：余额 400.00 元，本次 600.00 元" in str(refused.value)
    third = services.disbursement_propose(
        actor=proposer, fund=fund, resident_id=old_man.pk, amount="100", reason="再次救助"
    )
    services.disbursement_approve(actor=town_keeper, disbursement=third)
    from frontline.supplies import figures

    today = timezone.localdate()
    assert figures.fund_beneficiaries(world.town, today, today) == 1


def _town_keeper(world):
    from frontline.core.tests.fixtures import user_make

    return user_make("keeper_town", ("supply_keeper", world.town))


def test_a_request_sent_twice_is_stored_once_and_another_body_with_its_key_is_refused(world):
    masks = item_make(world.town_leader, "口罩")
    ask = {
        "actor": world.cadre_sandian,
        "node": world.sandian,
        "kind": "village",
        "needed_by": timezone.localdate(),
        "reason": "卡口",
        "lines": [services.Asked(masks, 10)],
        "idempotency_key": "req-1",
    }
    assert services.request_create(**ask).pk == services.request_create(**ask).pk
    with pytest.raises(services.IdempotencyConflict):
        services.request_create(**{**ask, "lines": [services.Asked(masks, 11)]})
