"""Fixtures shared by the supplies tests."""

from decimal import Decimal

import pytest

from frontline.supplies import services
from frontline.supplies.tests.factories import item_make, stock_fill, warehouse_make


@pytest.fixture
def stocked(world):
    """三店村's store holding 300 masks against a low-stock line of 1,000."""
    keeper = world.supply_keeper_sandian
    warehouse = warehouse_make(keeper, world.sandian, "三店村物资点")
    masks = item_make(keeper, "口罩")
    stock_fill(keeper, warehouse, masks, 300)
    services.threshold_set(actor=keeper, warehouse=warehouse, item=masks, threshold=Decimal(1000))
    return keeper, warehouse, masks
