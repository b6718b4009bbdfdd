"""The command dashboard shows figures only (test_audited_reads)."""

AUDITED: dict = {}

_FIGURES = "figures of a subtree over days (counts and sums), no person"

PLAIN = {
    "command:dashboard": _FIGURES,
    "command:screen": _FIGURES,
    "command:report": _FIGURES,
    "command:report_xlsx": _FIGURES + "; recorded as command.report.export_xlsx",
    "command:report_pdf": _FIGURES + "; recorded as command.report.export_pdf",
    "command:wording": "the town's wording of the battle report",
    "api:figures": _FIGURES,
    "api:battle": _FIGURES,
    "api:battle_xlsx": _FIGURES + "; recorded as command.report.export_xlsx",
    "api:battle_pdf": _FIGURES + "; recorded as command.report.export_pdf",
}
