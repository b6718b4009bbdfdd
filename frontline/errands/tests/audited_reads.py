"""Which pages and endpoints of 帮您跑腿 show health data (test_audited_reads): none. An
errand holds what to buy, the budget and, after claiming, the address; whether the
household is in isolation is neither shown nor recorded on it."""

AUDITED: dict = {}

_ERRAND = "an errand: items, budget, state; the address only to its volunteer and cadres"

PLAIN = {
    "api:errands_detail": _ERRAND,
    "api:errands_list": "errands of the caller's villages (mine=true: those the caller "
    "carries); the address only as on the detail",
    "errands:ask": "the household's own request form",
    "errands:detail": _ERRAND,
    "errands:done": "delivered and settled errands (the errands_done figure's list)",
    "errands:household": "a household's errands and its QR code page for the cadre",
    "errands:household_open": "the QR link's landing: checks the token, then redirects",
    "errands:household_page": "the household's own errands",
    "errands:households": "households enrolled for errands: masked names",
    "errands:list": "open errands of the volunteer's village: items only",
    "errands:mine": "the volunteer's own errands, the address of those still to deliver",
    "errands:overdue": "errands past their deliver-by time, per village",
    "errands:qr": "the printable QR code of a household",
    "errands:receipt": "the receipt photo of a bought errand",
}
