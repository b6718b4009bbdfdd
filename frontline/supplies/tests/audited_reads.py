"""Which pages and endpoints of supplies, donations and funds show health data
(test_audited_reads): none. They hold goods, money, stores and donors; a fund's
beneficiaries are residents by masked name, with no health, travel or quarantine data."""

AUDITED: dict = {}

_STOCK = "items, stores and quantities"
_MONEY = "donations or fund movements: amounts and masked names"
_FORM = "a form: items, stores and quantities"

PLAIN = {
    "api:donations_list": _MONEY,
    "api:funds_list": _MONEY,
    "api:supplies_items": _STOCK,
    "api:supplies_requests": "requests for goods from enterprises, checkpoints and villages",
    "api:supplies_stock": _STOCK,
    "api:supplies_warehouses": _STOCK,
    "supplies:allocation": "an allocation proposal: requests and quantities",
    "supplies:beneficiaries": "a fund's beneficiaries: masked names and amounts",
    "supplies:disclosure_link": "the form that makes a signed 公示 link",
    "supplies:donation_create": _FORM,
    "supplies:drive_create": "the form that starts a collection drive",
    "supplies:drives": "collection drives and their totals",
    "supplies:fund_create": "the form that opens a fund",
    "supplies:item_create": "the catalogue entry form",
    "supplies:item_edit": "the catalogue entry form",
    "supplies:items": "the catalogue: items, units and conversions",
    "supplies:warehouse_create": "the form that opens a store",
    "supplies:warehouses": "stores and their low-stock counts",
    "supplies:donations": _MONEY,
    "supplies:fund": _MONEY,
    "supplies:fund_receipts": _MONEY,
    "supplies:fund_xlsx": "a fund's statement: amounts and masked names (an audited export)",
    "supplies:funds": _MONEY,
    "supplies:ledger": "the stock ledger: moves of goods",
    "supplies:ledger_xlsx": "the stock ledger as Excel",
    "supplies:move_create": _FORM,
    "supplies:public": "the public 公示 page: donations and their use, names masked on request",
    "supplies:public_xlsx": "the public 公示 sheet",
    "supplies:receipt": "a donation receipt",
    "supplies:request_create": _FORM,
    "supplies:requests": "requests for goods",
    "supplies:stock": _STOCK,
    "supplies:stock_xlsx": _STOCK,
    "supplies:stocktake_errors": "the uploader's own stock-take rows",
    "supplies:stocktake_preview": "the uploader's own stock-take: counts and row errors",
    "supplies:stocktake_template": "an empty stock-take sheet",
    "supplies:stocktake_upload": "the upload form",
    "supplies:stocktake_xlsx": "the stock-take sheet with book quantities",
    "supplies:threshold": "the low-stock threshold form",
}
