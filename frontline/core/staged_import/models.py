"""The one table every app's spreadsheet imports are held in between preview and commit."""

from django.db import models

from frontline.core.models import Node, User


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", "待确认"
    COMMITTED = "committed", "已导入"


class StagedImport(models.Model):
    """An uploaded spreadsheet, checked row by row and held (sealed) until its uploader
    confirms it; then written all at once, or not at all.

    `importer` names the app's importer (`people.roster`, `control.lead_list`). The
    checked rows live in `payload`, sealed with the field key, so confirming does not
    upload again and the database never holds an upload in the clear; the bad rows,
    with their reasons, in `error_payload` for the error workbook.
    """

    importer = models.CharField("导入类型", max_length=64)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # Rows already stored as the file has them (or, for a lead list, already followed):
    # checked, counted, and not written.
    unchanged_count = models.PositiveIntegerField(default=0)
    bad_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    # [{row, column, message}] for the page and API, capped; messages hold no personal values.
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Rows left out on purpose that the preview lists: [{row, message, url}], capped.
    skipped = models.JSONField(default=list, blank=True)
    payload = models.BinaryField(editable=False, blank=True, default=b"")
    error_payload = models.BinaryField(editable=False, blank=True, default=b"")

    class Meta:
        verbose_name = "表格导入"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_by", "importer", "status"], name="staged_import_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.importer} 导入 #{self.pk}"

    @property
    def is_committed(self) -> bool:
        return self.status == ImportStatus.COMMITTED
