"""Stock-take (盘点): a sheet of the stores' book quantities to fill in with what was
counted, imported back through core's staged import; each difference becomes one
adjustment of the ledger (reason 盘点). A row whose book quantity was edited, or whose
stock moved since the sheet was made, is refused; so is an unknown store or item."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from frontline.core.cells import cell_text
from frontline.core.spreadsheets import RowError
from frontline.core.staged_import import Importer, ImportUrls, Sections, Sorter
from frontline.supplies import selectors, services
from frontline.supplies.models import MoveKind

COLUMNS = {
    "node": ("辖区",),
    "warehouse": ("仓库",),
    "item": ("物资",),
    "unit": ("单位", "基本单位"),
    "book": ("账面数量",),
    "counted": ("实盘数量", "盘点数量"),
}
HEADERS = [spellings[0] for spellings in COLUMNS.values()]


def stocktake_rows(user) -> list[list[Any]]:
    """The sheet to fill in: every balance of the stores the user keeps, counted empty."""
    return [
        [
            stock.warehouse.node.name,
            stock.warehouse.name,
            stock.item.name,
            stock.item.base_unit,
            stock.quantity.normalize(),
            None,
        ]
        for stock in selectors.stock_for(user, "supplies.keep")
    ]


def _decimal(value: Any) -> Decimal | None:
    text = cell_text(value)
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number.quantize(Decimal("0.001"))


class StockTakeImporter(Importer):
    """The filled-in stock-take sheet: one adjustment per counted difference."""

    key = "supplies.stocktake"
    title = "盘点表"
    permission = "supplies.keep"
    refusal = "没有盘点的权限"
    urls = ImportUrls.named("supplies", "stocktake")
    done_url = "supplies:stock"
    done_label = "物资库存"
    columns = COLUMNS
    required = ("warehouse", "item", "book", "counted")
    example_rows = [["三店村", "三店村物资点", "口罩", "只", 300, 295]]
    stats = (
        ("total", "共几行"),
        ("new", "有盘盈盘亏"),
        ("unchanged", "账实相符"),
        ("bad", "有错的行"),
    )
    audit_fields = ("quantity",)
    heading = "导入盘点表"
    help_template = "supplies/_stocktake_help.html"
    changed_since = "预览之后库存已有变化，请重新导出盘点表"
    unit = "项"

    def start(self, mapping: dict[str, int]) -> None:
        self.mapping = mapping
        self.balances = {
            (s.warehouse.node.name, s.warehouse.name, s.item.name): s
            for s in selectors.stock_for(self.actor, "supplies.keep")
        }
        self.store_names = {(node, store) for node, store, _ in self.balances}

    def check(self, number: int, raw: list[Any]) -> Any:
        def cell(name: str) -> Any:
            index = self.mapping.get(name)
            return raw[index] if index is not None and index < len(raw) else None

        node, store, item = (
            cell_text(cell("node")),
            cell_text(cell("warehouse")),
            cell_text(cell("item")),
        )
        if not (store or item):
            return None
        errors = []
        try:
            book, counted = _decimal(cell("book")), _decimal(cell("counted"))
        except ValueError as bad:
            return [RowError(number, "实盘数量", f"“{bad}”不是数字")]
        if not node:
            matches = [n for n, s in self.store_names if s == store]
            node = matches[0] if len(matches) == 1 else ""
        stock = self.balances.get((node, store, item))
        if (node, store) not in self.store_names:
            errors.append(RowError(number, "仓库", f"没有您管理的仓库“{store}”"))
        elif stock is None:
            errors.append(RowError(number, "物资", f"{store}没有“{item}”的账，请用导出的盘点表"))
        elif book != stock.quantity:
            errors.append(
                RowError(
                    number,
                    "账面数量",
                    f"账面数量与系统不符（系统 {stock.quantity.normalize():f}），"
                    "请勿改动账面数量，或重新导出盘点表",
                )
            )
        if counted is None:
            errors.append(RowError(number, "实盘数量", "请填写实盘数量"))
        elif counted < 0:
            errors.append(RowError(number, "实盘数量", "实盘数量不能为负数"))
        if errors:
            return errors
        return {"stock": stock.pk, "book": str(book), "counted": str(counted)}

    def classify(self, rows: list[tuple[Any, list[Any]]], out: Sorter) -> None:
        add = out.writer("rows").add
        for row, _raw in rows:
            if row["book"] == row["counted"]:
                out.counts.unchanged += 1
            else:
                out.counts.new += 1
                add(row)

    def commit(self, staged, sections: Sections) -> None:
        stocks = {s.pk: s for s in selectors.stock_for(self.actor, "supplies.keep")}
        for row in sections.rows("rows"):
            stock = stocks.get(row["stock"])
            if stock is None or stock.quantity != Decimal(row["book"]):
                raise ValidationError(self.changed_since)
            counted = Decimal(row["counted"])
            services.move_record(
                actor=self.actor,
                kind=MoveKind.ADJUSTMENT,
                warehouse=stock.warehouse,
                item=stock.item,
                quantity=counted - stock.quantity,
                reason=f"盘点：账面 {stock.quantity.normalize():f}，实盘 {counted.normalize():f}",
            )

    def confirm_text(self, staged) -> str:
        return (
            f"共 {staged.total_rows} 项全部通过检查。确认后将为 {staged.new_count} 项"
            "记一笔盘点调整（盘盈或盘亏）。"
        )
