"""The stock-take sheet: exported with the book quantities, filled in, imported back; a
difference becomes one adjustment; an edited book quantity or unknown item writes nothing."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from frontline.core.staged_import.pipeline import staged_commit, staged_preview
from frontline.people.tests.rosters import xlsx_make
from frontline.supplies.models import Move, Stock
from frontline.supplies.stocktake import HEADERS, StockTakeImporter
from frontline.supplies.tests.factories import item_make, stock_fill, warehouse_make


def stocktake_make(actor, rows):
    upload = xlsx_make([HEADERS, *rows], name="盘点表.xlsx")
    return staged_preview(
        importer=StockTakeImporter, actor=actor, upload=upload, filename="盘点表.xlsx"
    )


@pytest.fixture
def counted(world):
    keeper = world.supply_keeper_sandian
    store = warehouse_make(keeper, world.sandian, "三店村物资点")
    masks, alcohol = item_make(keeper, "口罩"), item_make(keeper, "酒精")
    stock_fill(keeper, store, masks, 300)
    stock_fill(keeper, store, alcohol, "22.5", "吨")
    return keeper, store, masks, alcohol


def test_the_exported_sheet_filled_in_and_imported_adjusts_what_differs(world, counted, login):
    keeper, store, masks, alcohol = counted
    response = login(keeper).get(reverse("supplies:stocktake_xlsx"))
    content = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert sheet[0] == HEADERS
    rows = [list(row) for row in sheet[1:]]
    for row in rows:
        row[5] = 295 if row[2] == "口罩" else row[4]  # five masks missing, alcohol as booked
    staged = stocktake_make(keeper, rows)
    assert (staged.total_rows, staged.new_count, staged.bad_count) == (2, 1, 0)
    staged_commit(importer=StockTakeImporter, actor=keeper, staged=staged)
    assert Stock.objects.get(warehouse=store, item=masks).quantity == Decimal(295)
    assert Stock.objects.get(warehouse=store, item=alcohol).quantity == Decimal(22500)
    adjustment = Move.objects.get(kind="adjustment")
    assert adjustment.quantity == Decimal(-5) and "账面 300，实盘 295" in adjustment.reason


def test_an_edited_book_quantity_or_an_unknown_item_is_refused_by_row(world, counted):
    keeper, *_ = counted
    staged = stocktake_make(
        keeper,
        [
            ["三店村", "三店村物资点", "口罩", "只", 310, 300],
            ["三店村", "三店村物资点", "黄金", "克", 1, 1],
            ["三店村", "别人的仓库", "口罩", "只", 1, 1],
            ["三店村", "三店村物资点", "酒精", "kg", 22500, -1],
        ],
    )
    messages = {(e["row"], e["column"]): e["message"] for e in staged.errors}
    assert "账面数量与系统不符（系统 300）" in messages[(2, "账面数量")]
    assert "没有“黄金”的账" in messages[(3, "物资")]
    assert "没有您管理的仓库“别人的仓库”" in messages[(4, "仓库")]
    assert "不能为负数" in messages[(5, "实盘数量")]
    assert staged.bad_count == 4


def test_stock_that_moved_after_the_preview_refuses_the_whole_commit(world, counted):
    keeper, store, masks, _ = counted
    staged = stocktake_make(keeper, [["三店村", "三店村物资点", "口罩", "只", 300, 290]])
    stock_fill(keeper, store, masks, 10)
    with pytest.raises(Exception) as refused:
        staged_commit(importer=StockTakeImporter, actor=keeper, staged=staged)
    assert "重新导出盘点表" in str(refused.value)
    assert not Move.objects.filter(kind="adjustment").exists()
