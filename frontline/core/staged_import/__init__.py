"""Staged Excel import: one pipeline for every app that reads rows from a spreadsheet.

    upload → checked row by row → preview sealed in the database (StagedImport) →
    preview page: counts, row errors (row, column, Chinese message), error workbook →
    commit: every row in one transaction, or none → one audit event

What the pipeline does, so that no app writes it again: reads .xlsx/.csv safely and
in bounded memory (core/spreadsheets.py: size, file signature, zip bombs, entity
expansion), finds the header among title rows and header variants, streams the rows
through the app's checks, keeps the first 1,000 errors for the page and API and every
bad row (with its reasons beside the original cells) for the error workbook, seals
the good rows (AES-GCM frames) so confirming does not upload again, keeps one
pending preview per uploader and kind, lets only the uploader see and commit it
(another user gets 404), commits once, all or nothing, and audits the commit
(`<key>.import`) and each error-workbook download (`<key>.errors_export`). The
upload page shows the upload's progress, then that the rows are being checked.

What an app writes: one `Importer` subclass and a few URL lines.

    # party/imports.py
    from frontline.core.cells import cell_text
    from frontline.core.spreadsheets import RowError
    from frontline.core.staged_import import Importer, ImportUrls

    class MemberImporter(Importer):
        key = "party.member"                     # audit: party.member.import, …errors_export
        title = "党员名册"                        # 导入党员名册, 党员名册预览
        permission = "party.import"
        urls = ImportUrls.named("party", "member_import")  # party:member_import_upload …
        done_url, done_label = "party:member_list", "党员"
        columns = {                              # field → header spellings, label first
            "name": ("姓名", "党员姓名"),
            "joined": ("入党时间", "入党日期"),
        }
        required = ("name",)
        example_rows = [["王芳", "2001-07-01"]]
        audit_fields = ("name", "joined")

        def check(self, number, raw):            # a checked row, [RowError …] or None
            name = cell_text(raw[self.mapping["name"]])
            if not name:
                return [RowError(number, "姓名", "姓名不能为空")]
            return (number, name)                # not a list; JSON values: sealed as they are

        def commit(self, staged, sections):      # inside the transaction
            for number, name in sections.rows("rows"):
                member_create(actor=self.actor, node=self.node, name=name)

    # party/urls.py
    from frontline.core.staged_import.views import staged_import_urls
    urlpatterns = [..., *staged_import_urls(MemberImporter, "members/import/")]

and in party/tests/scope_targets.py the three routes that take a preview's id
(`_preview`, `_errors`, `_commit`). Optional hooks: `start(mapping)` (prepare lookups
once the header is known; raise UploadRejected to refuse the file), `classify(rows,
out)` (sort a batch of checked rows against stored data with one query into new,
updated, unchanged, skipped or bad, and write the commit's sections), the page's
words (`confirm_text`, `nothing_text`, `success_message`, `help_template` …).
People's roster (people/imports.py) and control's lead list (control/lead_import.py)
are the two full examples.
"""

from frontline.core.staged_import.importer import Importer, ImportUrls, Sorter
from frontline.core.staged_import.sealed import Sections

__all__ = ["ImportUrls", "Importer", "Sections", "Sorter"]
