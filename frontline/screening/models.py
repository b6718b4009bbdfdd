"""Daily screening: who screens which unit and what each visit found.

A person found is handed over to key-person control (control.public.referral_open),
which keeps the hand-over; this app keeps no copy."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone

# What one visit's findings may say (the form's limit, and the API's).
FINDINGS_MAX = 2000


class ChecklistItem(models.Model):
    """One item of a screening checklist, configured at a node for every unit below it."""

    node = models.ForeignKey(
        Node, verbose_name="适用辖区", on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField("检查项", max_length=50)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "排查检查项"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["node", "label"], name="checklist_item_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Assignment(models.Model):
    """A leader or cadre made responsible for screening a village, an enterprise or a grid."""

    node = models.ForeignKey(
        Node, verbose_name="排查对象", on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="screening_assignments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "排查责任"
        constraints = [
            models.UniqueConstraint(fields=["node", "assignee"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assignee} → {self.node}"


def photo_path(record: "ScreeningRecord", filename: str) -> str:
    """A random name by month: the uploaded name may hold personal details."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"screening/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ScreeningRecord(models.Model):
    """One visit to a village or enterprise on a (local) day: checks, findings, persons found."""

    node = models.ForeignKey(
        Node, verbose_name="排查对象", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("排查日期")
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="排查人",
        on_delete=models.PROTECT,
        related_name="screening_records",
    )
    # [{"item": id, "label": text, "ok": bool}]: the label is kept as it was that day.
    checks = models.JSONField("检查结果", default=list, blank=True)
    findings = models.TextField(
        "发现的问题",
        blank=True,
        validators=[
            no_id_or_phone,
            MaxLengthValidator(FINDINGS_MAX, f"发现的问题最多 {FINDINGS_MAX} 个字"),
        ],
    )
    photo = models.FileField("现场照片", upload_to=photo_path, blank=True)
    # A phone that submits twice (weak network, double tap) stores one record. Unique per user
    # through Meta.constraints, not unique=True: on PostgreSQL the field option adds a
    # second (LIKE) index that an exact key never uses and every record would maintain.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # What the request asked for (core.idempotency): the same key with another body is 409.
    request_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "排查记录"
        ordering = ["-day", "-id"]
        constraints = [
            # The key is the user's own: another user's same key is another record.
            models.UniqueConstraint(
                fields=["screened_by", "idempotency_key"],
                name="screening_record_idempotency_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["day", "node"], name="screening_day_node"),
            models.Index(fields=["node", "day"], name="screening_node_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.node}"

    @property
    def failed_checks(self) -> list[str]:
        return [check["label"] for check in self.checks if not check.get("ok")]
