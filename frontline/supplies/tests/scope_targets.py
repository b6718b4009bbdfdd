"""Objects in 郑园村 for every id-taking route of the supplies app."""

import itertools
from datetime import timedelta

from django.utils import timezone

from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.supplies import disclosure, services
from frontline.supplies.tests.factories import (
    beneficiary_make,
    item_make,
    stock_fill,
    warehouse_make,
)

SERIAL = itertools.count(1)

CATALOGUE = {
    "item": "the catalogue is one for the whole installation",
    "item1": "the catalogue is one for the whole installation",
    "item2": "the catalogue is one for the whole installation",
}
FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"


def _keeper(world):
    return world.supply_keeper_zhengyuan


def _store(world):
    keeper = _keeper(world)
    warehouse = warehouse_make(keeper, world.zhengyuan, "郑园村物资点")
    masks = item_make(keeper, "口罩")
    stock_fill(keeper, warehouse, masks, 1000)
    return warehouse, masks


def _node_query(world) -> Call:
    return Call(query={"node": world.zhengyuan.pk})


def _donation(world):
    donation, _ = services.donation_record(
        actor=_keeper(world),
        node=world.zhengyuan,
        donor_kind="resident",
        donor_name="郑园捐赠人",
        cash="100",
        received_on=timezone.localdate(),
    )
    return donation


def _drive(world):
    return services.drive_create(
        actor=_keeper(world), node=world.zhengyuan, name=f"党员义捐{next(SERIAL)}"
    )


def _donations_query(world) -> Call:
    return Call(query={"node": world.zhengyuan.pk, "drive": _drive(world).pk})


def _move_body(world) -> dict:
    warehouse, masks = _store(world)
    other = warehouse_make(_keeper(world), world.zhengyuan, "郑园村二号点")
    return {
        "kind": "receipt",
        "warehouse": warehouse.pk,
        "item": masks.pk,
        "quantity": "10",
        "unit": "只",
        "source": "purchase",
        "to_warehouse": other.pk,
        "recipient_node": world.zhengyuan_grid.pk,
        "idempotency_key": f"walk-move-{next(SERIAL)}",
    }


def _move_page(world) -> Call:
    return Call(body=_move_body(world))


def _threshold(world) -> Call:
    warehouse, masks = _store(world)
    return Call(body={"warehouse": warehouse.pk, "item": masks.pk, "threshold": "100"})


def _donation_body(world) -> dict:
    warehouse, masks = _store(world)
    return {
        "node": world.zhengyuan.pk,
        "donor_kind": "party_member",
        "donor_name": "郑党员",
        "drive": _drive(world).pk,
        "cash": "100",
        "item": masks.pk,
        "quantity": "5",
        "unit": "只",
        "value": "10",
        "warehouse": warehouse.pk,
        "received_on": timezone.localdate().isoformat(),
        "idempotency_key": f"walk-donation-{next(SERIAL)}",
    }


def _donation_page(world) -> Call:
    return Call(body=_donation_body(world))


def _request_body(world) -> dict:
    masks = item_make(_keeper(world), "口罩")
    return {
        "node": world.zhengyuan.pk,
        "kind": "village",
        "needed_by": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "reason": "村口执勤",
        "item1": masks.pk,
        "quantity1": "100",
        "item2": "",
        "idempotency_key": f"walk-request-{next(SERIAL)}",
    }


def _open_request(world):
    warehouse, masks = _store(world)
    services.request_create(
        actor=_keeper(world),
        node=world.zhengyuan,
        kind="village",
        needed_by=timezone.localdate(),
        reason="村口执勤",
        lines=[services.Asked(masks, 100)],
    )
    return warehouse


def _allocation(world):
    warehouse = _open_request(world)
    return services.allocation_run(actor=_keeper(world), warehouse=warehouse)


def _delivery(world):
    allocation = _allocation(world)
    services.allocation_approve(actor=_keeper(world), allocation=allocation)
    return allocation.lines.get()


def _fund(world):
    keeper = _keeper(world)
    fund = services.fund_create(
        actor=keeper, node=world.zhengyuan, name=f"郑园互助金{next(SERIAL)}"
    )
    services.fund_receipt_record(
        actor=keeper, fund=fund, amount="1000", received_on=timezone.localdate()
    )
    return fund


def _disburse(world) -> Call:
    resident = beneficiary_make(world.zhengyuan, name="郑老伯")
    body = {"resident": resident.pk, "amount": "100", "reason": "生活困难"}
    return Call({"pk": _fund(world).pk}, body=body)


def _disbursement(world):
    resident = beneficiary_make(world.zhengyuan, name="郑老伯")
    return services.disbursement_propose(
        actor=_keeper(world),
        fund=_fund(world),
        resident_id=resident.pk,
        amount="100",
        reason="困难",
    )


def _fund_page(world) -> Call:
    resident = beneficiary_make(world.zhengyuan, name="郑老伯")
    return Call({"pk": _fund(world).pk}, query={"resident": resident.pk})


def _public(world) -> dict:
    _donation(world)
    today = timezone.localdate()
    return {"token": disclosure.link_token(world.zhengyuan, today, today, 1)}


def _stocktake(world) -> dict:
    """A previewed stock-take of 郑园村, uploaded by the walk's owner."""
    from frontline.supplies.tests.test_stocktake import stocktake_make

    warehouse, masks = _store(world)
    stock = warehouse.stock.get(item=masks)
    row = ["郑园村", warehouse.name, masks.name, "只", float(stock.quantity), 1]
    return {"pk": stocktake_make(world.zhengyuan_all, [row]).pk}


def _disclosure(world) -> Call:
    today = timezone.localdate().isoformat()
    return Call(body={"node": world.zhengyuan.pk, "start": today, "end": today, "days": 7})


def _item(world):
    """A catalogue entry kept by 郑园村."""
    return services.item_create(
        actor=_keeper(world),
        node=world.zhengyuan,
        name=f"郑园消毒片{next(SERIAL)}",
        base_unit="片",
        units=[("瓶", 100)],
    )


def _item_edit(world) -> Call:
    item = _item(world)
    body = {
        "name": f"{item.name}改",
        "base_unit": "片",
        "units": "瓶=100，箱=2000",
        "code": "other",
    }
    return Call({"pk": item.pk}, body=body)


def _place(prefix: str):
    """The body of a new store, drive or fund at 郑园村."""
    return lambda world: Call(body={"node": world.zhengyuan.pk, "name": f"{prefix}{next(SERIAL)}"})


def _pk(make):
    return lambda world: {"pk": make(world).pk}


# -- API


def _api_move(world) -> Call:
    body = _move_body(world)
    return Call(body={**body, "quantity": "10"})


def _api_donation(world) -> Call:
    body = _donation_body(world)
    masks = body.pop("item")
    body["goods"] = [{"item": masks, "quantity": "5", "unit": "只", "value": "10"}]
    for name in ("quantity", "unit", "value"):
        body.pop(name)
    return Call(body=body)


def _api_request(world) -> Call:
    masks = item_make(_keeper(world), "口罩")
    return Call(
        body={
            "node": world.zhengyuan.pk,
            "kind": "village",
            "needed_by": timezone.localdate().isoformat(),
            "reason": "执勤",
            "lines": [{"item": masks.pk, "quantity": "10"}],
        }
    )


TARGETS = {
    # One store's stock (?warehouse=), or the stores under a place (?node=, the dashboard's
    # 低于警戒库存 link); ?low=1 narrows what is visible already.
    "supplies:stock": ScopeTarget(
        "supplies.view",
        get=(
            lambda world: Call(query={"warehouse": _store(world)[0].pk}),
            lambda world: Call(query={"node": world.zhengyuan.pk, "low": 1}),
        ),
    ),
    "supplies:item_edit": ScopeTarget(
        "supplies.keep",
        get=_pk(_item),
        post=_item_edit,
        unscoped={"node": "the edit form drops it: an entry stays with the node that keeps it"},
    ),
    "supplies:item_create": ScopeTarget(
        "supplies.keep",
        post=lambda world: Call(
            body={
                "node": world.zhengyuan.pk,
                "name": f"郑园新物资{next(SERIAL)}",
                "base_unit": "个",
                "units": "箱=20",
                "code": "other",
            }
        ),
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
    ),
    "supplies:warehouse_create": ScopeTarget(
        "supplies.keep", post=_place("郑园仓库"), refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "supplies:drive_create": ScopeTarget(
        "supplies.keep", post=_place("郑园义捐"), refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "supplies:fund_create": ScopeTarget(
        "supplies.fund", post=_place("郑园基金"), refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "supplies:ledger": ScopeTarget("supplies.view", get=_node_query),
    "supplies:ledger_xlsx": ScopeTarget("supplies.view", get=_node_query),
    "supplies:fund_xlsx": ScopeTarget("supplies.fund", get=_pk(_fund)),
    "supplies:donations": ScopeTarget("supplies.view", get=_donations_query),
    "supplies:fund_receipts": ScopeTarget("supplies.fund", get=_node_query),
    "supplies:beneficiaries": ScopeTarget("supplies.fund", get=_node_query),
    "supplies:move_create": ScopeTarget(
        "supplies.keep",
        post=_move_page,
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
        unscoped=CATALOGUE,
    ),
    "supplies:threshold": ScopeTarget(
        "supplies.keep",
        post=_threshold,
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
        unscoped=CATALOGUE,
    ),
    "supplies:donation_create": ScopeTarget(
        "supplies.keep",
        post=_donation_page,
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
        unscoped=CATALOGUE,
    ),
    "supplies:request_create": ScopeTarget(
        "supplies.request",
        post=lambda world: Call(body=_request_body(world)),
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
        unscoped=CATALOGUE,
    ),
    "supplies:disclosure_link": ScopeTarget(
        "supplies.disclose", post=_disclosure, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "supplies:stocktake_preview": ScopeTarget("supplies.keep", get=_stocktake),
    "supplies:stocktake_errors": ScopeTarget("supplies.keep", get=_stocktake),
    "supplies:stocktake_commit": ScopeTarget("supplies.keep", post=_stocktake),
    "supplies:receipt": ScopeTarget("supplies.view", get=_pk(_donation)),
    "supplies:allocation_run": ScopeTarget(
        "supplies.keep", post=lambda world: Call(body={"warehouse": _open_request(world).pk})
    ),
    "supplies:allocation": ScopeTarget(
        "supplies.keep", get=_pk(_allocation), post=_pk(_allocation)
    ),
    "supplies:delivery_confirm": ScopeTarget("supplies.request", post=_pk(_delivery)),
    # The page shows the form proposing help for a resident of the fund's subtree.
    "supplies:fund": ScopeTarget("supplies.fund", get=_fund_page),
    # Only shows the run form; the warehouse is read by allocation_run, walked below.
    "supplies:requests": ScopeTarget(
        unscoped={"warehouse": "the run form posts to supplies:allocation_run"}
    ),
    # The signed link is the authority, not a login: anyone holding it — another
    # village, no role at all — reads that one list; a forged or expired one is 404
    # (test_disclosure). What it opens is proven there to be nothing else.
    "supplies:public": ScopeTarget("supplies.view", get=_public, refused=200, denied=200),
    "supplies:public_xlsx": ScopeTarget("supplies.view", get=_public, refused=200, denied=200),
    "supplies:fund_receive": ScopeTarget(
        "supplies.fund",
        post=lambda world: Call(
            {"pk": _fund(world).pk},
            body={"amount": "10", "received_on": timezone.localdate().isoformat()},
        ),
    ),
    "supplies:fund_disburse": ScopeTarget("supplies.fund", post=_disburse),
    "supplies:disbursement_approve": ScopeTarget("supplies.fund", post=_pk(_disbursement)),
    # API
    "api:supplies_warehouse_create": ScopeTarget(
        "supplies.keep",
        post=lambda world: Call(body={"node": world.zhengyuan.pk, "name": f"新点{next(SERIAL)}"}),
    ),
    "api:supplies_stock": ScopeTarget(
        "supplies.view", get=lambda world: Call(query={"warehouse": _store(world)[0].pk})
    ),
    "api:supplies_move": ScopeTarget("supplies.keep", post=_api_move),
    "api:supplies_request_create": ScopeTarget("supplies.request", post=_api_request),
    "api:supplies_allocation_run": ScopeTarget(
        "supplies.keep", post=lambda world: Call(body={"warehouse": _open_request(world).pk})
    ),
    "api:supplies_allocation_approve": ScopeTarget(
        "supplies.keep",
        post=lambda world: Call({"allocation_id": _allocation(world).pk}, body={}),
    ),
    "api:supplies_delivery_confirm": ScopeTarget(
        "supplies.request", post=lambda world: Call({"line_id": _delivery(world).pk})
    ),
    "api:donations_create": ScopeTarget("supplies.keep", post=_api_donation),
    "api:donations_list": ScopeTarget(
        "supplies.view", get=lambda world: Call(query={"drive": _drive(world).pk})
    ),
    "api:funds_create": ScopeTarget(
        "supplies.fund",
        post=lambda world: Call(body={"node": world.zhengyuan.pk, "name": f"互助金{next(SERIAL)}"}),
    ),
    "api:funds_receipt": ScopeTarget(
        "supplies.fund",
        post=lambda world: Call(
            {"fund_id": _fund(world).pk},
            body={"amount": "10.00", "received_on": timezone.localdate().isoformat()},
        ),
    ),
    "api:funds_disbursement": ScopeTarget(
        "supplies.fund",
        post=lambda world: Call(
            {"fund_id": _fund(world).pk},
            body={
                "resident": beneficiary_make(world.zhengyuan, name="郑阿婆").pk,
                "amount": "50",
                "reason": "困难",
            },
        ),
    ),
    "api:funds_disbursement_approve": ScopeTarget(
        "supplies.fund", post=lambda world: Call({"disbursement_id": _disbursement(world).pk})
    ),
}
