"""Supervision (纪律监督): inspection groups, rubrics, scored inspections and their findings,
the 红黑榜 per period with its honours, cadre records and cadres' holiday duty."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone

PHOTO_MAX_BYTES = 2 * 1024 * 1024


class TargetKind(models.TextChoices):
    CHECKPOINT = "checkpoint", "卡口"
    VILLAGE = "village", "村/社区"
    ENTERPRISE = "enterprise", "企业"
    ISOLATION = "isolation", "居家隔离户"


class InspectionGroup(models.Model):
    """A 督察组: the users in it, and the nodes (with their subtrees) it may inspect."""

    node = models.ForeignKey(
        Node, verbose_name="设立辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=50)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="成员", related_name="+"
    )
    scope = models.ManyToManyField(Node, verbose_name="督查范围", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督察组"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="inspection_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Rubric(models.Model):
    """A scored checklist for one kind of target (卡口, 村, 企业, 隔离户).

    The seeded rubrics have no node: they serve every town; a town may add its own.
    """

    node = models.ForeignKey(
        Node,
        verbose_name="适用辖区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_kind = models.CharField("检查对象", max_length=12, choices=TargetKind.choices)
    name = models.CharField("名称", max_length=50)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "评分表"
        ordering = ["target_kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "target_kind", "name"], name="rubric_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> int:
        return sum(item.points for item in self.items.all())


class RubricItem(models.Model):
    """One line of a rubric and the most points it can earn."""

    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="items")
    text = models.CharField("检查内容", max_length=100)
    points = models.PositiveSmallIntegerField(
        "分值", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "评分项"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=1, points__lte=100), name="rubric_item_points_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.text}（{self.points} 分）"


class Inspection(models.Model):
    """One visit, often unannounced: the target, when, and the points given per rubric item."""

    group = models.ForeignKey(InspectionGroup, verbose_name="督察组", on_delete=models.PROTECT)
    rubric = models.ForeignKey(Rubric, verbose_name="评分表", on_delete=models.PROTECT)
    target_kind = models.CharField("检查对象", max_length=12, choices=TargetKind.choices)
    target_id = models.PositiveIntegerField("对象编号")
    target_label = models.CharField("对象", max_length=100)
    # The target's node, so that scoping and the village's figures read one column.
    node = models.ForeignKey(
        Node, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField("检查时间")
    day = models.DateField("日期")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查人", on_delete=models.PROTECT, related_name="+"
    )
    # {rubric item id (str): points given}; every item of the rubric is scored.
    scores = models.JSONField("各项得分")
    total = models.PositiveSmallIntegerField("得分")
    max_total = models.PositiveSmallIntegerField("满分")
    note = models.CharField("备注", max_length=300, blank=True, validators=[no_id_or_phone])
    idempotency_key = models.CharField(max_length=64)
    # A digest of what was sent (core.idempotency): the same key with another body is 409.
    request_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督查检查"
        ordering = ["-inspected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "idempotency_key"], name="inspection_unique_key"
            ),
            models.CheckConstraint(
                condition=Q(total__lte=models.F("max_total")), name="inspection_total_le_max"
            ),
        ]
        indexes = [
            models.Index(fields=["target_kind", "target_id", "day"], name="inspection_target_day"),
            models.Index(fields=["node", "day"], name="inspection_node_day"),
        ]

    def __str__(self) -> str:
        return f"{self.target_label} {self.day}"

    @property
    def percent(self) -> float:
        return round(100 * self.total / self.max_total, 1) if self.max_total else 0.0


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    RECTIFIED = "rectified", "已整改"


class Finding(models.Model):
    """A problem an inspection found: its owner, deadline, and how it was followed up."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("问题", max_length=300, validators=[no_id_or_phone])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField("整改期限", null=True, blank=True)
    photo = models.BinaryField("照片", null=True, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    # Each re-inspection that found the problem still there.
    reinspections = models.PositiveSmallIntegerField("复查未改次数", default=0)
    evidence = models.CharField("整改情况", max_length=300, blank=True, validators=[no_id_or_phone])
    evidence_photo = models.BinaryField("整改照片", null=True, blank=True, editable=False)
    evidence_photo_type = models.CharField(max_length=20, blank=True)
    rectified_at = models.DateTimeField("整改时间", null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督查问题"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["node", "status", "deadline"], name="finding_node_status")]

    def __str__(self) -> str:
        return self.text[:30]


class PeriodKind(models.TextChoices):
    WEEK = "week", "周"
    MONTH = "month", "月"


class Ranking(models.Model):
    """A 红黑榜 of one node and period: the rows, formula and weights as they stood when it
    was published.

    Before publication the row is only a handle (no rows, no publisher) that the API names
    by id (`POST /api/v1/rankings/{id}/publish`); the live list is computed on each read.
    Frozen once published: one conditional update fills it, and save() refuses any change.
    """

    node = models.ForeignKey(Node, verbose_name="辖区", on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField("周期", max_length=5, choices=PeriodKind.choices)
    start = models.DateField("开始")
    end = models.DateField("结束")
    # [{"target_kind", "target_id", "label", "node_id", "score", "parts": {...}, "rank", "list"}]
    rows = models.JSONField("名次", default=list, blank=True)
    weights = models.JSONField("权重", default=dict, blank=True)
    formula = models.CharField("计算方法", max_length=500, blank=True)
    # Empty while the list is not yet published.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "红黑榜"
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "period_kind", "start"], name="ranking_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} 红黑榜"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("红黑榜已发布，不能修改")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RankingWeights(models.Model):
    """The weights a node (a town) gives each part of the 红黑榜 formula, per target kind.

    {"village": {part: weight}, "checkpoint": {part: weight}}, each kind summing to 100.
    A published list keeps its own copy, so changing these never changes one.
    """

    node = models.OneToOneField(
        Node, verbose_name="辖区", on_delete=models.PROTECT, related_name="+"
    )
    weights = models.JSONField("权重")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "红黑榜权重"

    def __str__(self) -> str:
        return f"{self.node} 红黑榜权重"


class HonourKind(models.Model):
    """A title granted from a published list: 示范村, 标杆卡口, or one an administrator adds."""

    name = models.CharField("称号", max_length=30, unique=True)
    target_kind = models.CharField("授予对象", max_length=12, choices=TargetKind.choices)

    class Meta:
        verbose_name = "荣誉称号"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    """A title granted to a village or checkpoint on the strength of a published list."""

    kind = models.ForeignKey(HonourKind, verbose_name="称号", on_delete=models.PROTECT)
    ranking = models.ForeignKey(Ranking, verbose_name="依据红黑榜", on_delete=models.PROTECT)
    target_kind = models.CharField(max_length=12, choices=TargetKind.choices)
    target_id = models.PositiveIntegerField()
    target_label = models.CharField("对象", max_length=100)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "荣誉"
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_kind", "target_id", "ranking"], name="honour_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_label} {self.kind}"


class CadreRecordKind(models.TextChoices):
    PRAISE = "praise", "表扬"
    INTERVIEW = "interview", "约谈"
    NOTICE = "notice", "通报批评"
    ADMONITION = "admonition", "诫勉"
    OTHER = "other", "其他问责"
    EVALUATED = "evaluated", "股级干部考察"
    PROMOTED = "promoted", "村干部提拔"
    ACTIVIST = "activist", "发展入党积极分子"


# The 三项机制 (three mechanisms): personnel actions earned at the front line.
THREE_MECHANISMS = {CadreRecordKind.EVALUATED, CadreRecordKind.PROMOTED, CadreRecordKind.ACTIVIST}


class CadreRecord(models.Model):
    """Praise, accountability or a 三项机制 action for one cadre, with reason and evidence.

    The most sensitive data after ID numbers: only inspection and organisation roles read
    it, and every read is audited.
    """

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=12, choices=CadreRecordKind.choices)
    cadre_name = models.CharField("干部姓名", max_length=50, validators=[no_id_or_phone])
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="干部账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField("职务", max_length=50, blank=True, validators=[no_id_or_phone])
    day = models.DateField("日期")
    reason = models.CharField("事由", max_length=500, validators=[no_id_or_phone])
    evidence = models.CharField("依据", max_length=500, blank=True, validators=[no_id_or_phone])
    # The front-line record that earned it, where it is an inspection of this app.
    inspection = models.ForeignKey(
        Inspection, verbose_name="相关督查", null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "干部记实"
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["node", "kind"], name="cadre_record_node_kind")]

    def __str__(self) -> str:
        return f"{self.cadre_name} {self.get_kind_display()}"


class HolidayDuty(models.Model):
    """A cadre's day of duty through the holiday, typed where no checkpoint check-in shows it."""

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    cadre_name = models.CharField("干部姓名", max_length=50, validators=[no_id_or_phone])
    day = models.DateField("日期")
    place = models.CharField("值守地点", max_length=100, validators=[no_id_or_phone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "干部坚守登记"
        ordering = ["-day", "cadre_name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "cadre_name", "day"], name="holiday_duty_once")
        ]

    def __str__(self) -> str:
        return f"{self.cadre_name} {self.day}"
