"""Enterprise resumption (复工复产): the registry record of an enterprise node, the 123456
checklist and its application, employees with health cards, gate entries, service-hall
appointments, policy support and difficulty tickets."""

import unicodedata
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from stdnum.cn import uscc as stdnum_uscc

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone

MAX_HEADCOUNT = 100_000
# The largest single support amount anyone types (元): a cap above it is a typo.
MAX_AMOUNT = 100_000_000


def uscc_normalise(raw: object) -> str:
    """A credit code as typed (full-width, spaces, hyphens, lower case) → 18 upper-case chars."""
    text = unicodedata.normalize("NFKC", str(raw or "")).upper()
    return "".join(ch for ch in text if ch.isalnum())


def uscc_validate(value: str) -> None:
    """Refuse a code that is not a unified social credit code; a wrong check character is
    named with the one expected, as people copy codes by hand from licences."""
    code = uscc_normalise(value)
    if len(code) != 18:
        raise ValidationError(f"统一社会信用代码应为 18 位，这里是 {len(code)} 位", code="length")
    try:
        stdnum_uscc.validate(code)
    except Exception:
        try:
            expected = stdnum_uscc.calc_check_digit(code[:-1])
        except Exception:
            raise ValidationError(
                "统一社会信用代码含有不允许的字符（不用 I、O、Z、S、V）", code="invalid"
            ) from None
        if expected != code[-1]:
            raise ValidationError(
                f"统一社会信用代码校验位错误：第 18 位应为“{expected}”，不是“{code[-1]}”",
                code="checksum",
            ) from None
        raise ValidationError("统一社会信用代码格式不对", code="invalid") from None


class Sector(models.Model):
    """An industry of the configurable list; 重点行业 are resumed and watched first."""

    name = models.CharField("行业", max_length=50, unique=True)
    is_key = models.BooleanField("重点行业", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "行业"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name}（重点行业）" if self.is_key else self.name


class Enterprise(models.Model):
    """The registry record of an enterprise node (one-to-one): credit code, sector, headcount."""

    node = models.OneToOneField(
        Node, verbose_name="企业", on_delete=models.PROTECT, related_name="enterprise_record"
    )
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[uscc_validate]
    )
    sector = models.ForeignKey(Sector, verbose_name="行业", on_delete=models.PROTECT)
    planned_headcount = models.PositiveIntegerField(
        "计划复工人数", default=0, validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )
    onsite_headcount = models.PositiveIntegerField(
        "在岗人数", default=0, validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )
    party_branch = models.CharField("党支部", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "企业档案"
        ordering = ["node__path"]

    def __str__(self) -> str:
        return self.node.name

    def clean(self) -> None:
        self.uscc = uscc_normalise(self.uscc)
        if self.node_id and self.node.kind != "enterprise":
            raise ValidationError({"node": "只能为企业节点建档"})


class Headcount(models.Model):
    """The on-site headcount of an enterprise on a day: the dated history behind
    `Enterprise.onsite_headcount`, which holds the newest figure for the list."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="headcounts")
    day = models.DateField("日期")
    onsite = models.PositiveIntegerField("在岗人数", validators=[MaxValueValidator(MAX_HEADCOUNT)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "在岗人数记录"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "day"], name="headcount_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} 在岗 {self.onsite}"


class Heading(models.IntegerChoices):
    """The six fixed headings of 《复工复产工作方案》 ("123456")."""

    CARD = 1, "一张卡"
    LOOPS = 2, "两闭环"
    SUPERVISION = 3, "三监管"
    GUARANTEES = 4, "四保障"
    SUPPORT = 5, "五支持"
    MECHANISMS = 6, "六机制"


class ChecklistItem(models.Model):
    """One checklist item under a fixed heading, set by the town for the enterprises below."""

    node = models.ForeignKey(
        Node, verbose_name="适用辖区", on_delete=models.PROTECT, related_name="+"
    )
    heading = models.PositiveSmallIntegerField("类别", choices=Heading.choices)
    text = models.CharField("检查项", max_length=200)
    evidence_required = models.BooleanField("须附佐证", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "复工检查项"
        ordering = ["heading", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_heading_display()}：{self.text}"


class AppState(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "待网格审核"
    REVIEWED = "reviewed", "待镇审批"
    APPROVED = "approved", "已批准复工"
    RETURNED = "returned", "已退回修改"


class FilingMode(models.TextChoices):
    ONLINE = "online", "网上办"
    PROXY = "proxy", "帮代办"


class Application(models.Model):
    """An enterprise's resumption application; `round` grows with every return, and each
    round's answers stay (the history of what was asked and fixed)."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.PROTECT, related_name="application"
    )
    state = models.CharField(
        "状态", max_length=10, choices=AppState.choices, default=AppState.DRAFT
    )
    mode = models.CharField("办理方式", max_length=8, choices=FilingMode.choices)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_on = models.DateField("批准复工日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "复工申请"
        indexes = [
            models.Index(fields=["state", "approved_on"], name="application_state"),
            # The list's status chips and status filter join every visible enterprise to
            # its application's state: with both columns in one index the join reads no
            # table rows (10,000 enterprises on SQLite: the status-filtered count 21 → 8 ms).
            models.Index(fields=["enterprise", "state"], name="application_enterprise_state"),
        ]

    def __str__(self) -> str:
        return f"复工申请 #{self.pk}"


class Verdict(models.TextChoices):
    OK = "ok", "符合"
    NOT_OK = "not_ok", "不符合"


def evidence_path(answer: "Answer", filename: str) -> str:
    """A random name by month: the uploaded name may name a person, and a guessable one
    would let anyone with the folder's address walk it (files are served only by a view
    that checks scope; there is no public MEDIA_URL)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"enterprises/evidence/{uuid.uuid4().hex}{uuid.uuid4().hex[:8]}.{extension}"


class Answer(models.Model):
    """One checklist item of one round: the self-assessment, the grid's and the town's word."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField()
    meets = models.BooleanField("已落实", default=False)
    evidence = models.CharField("佐证说明", max_length=500, blank=True, validators=[no_id_or_phone])
    # A photo (JPEG/PNG/WebP) or a PDF; a later round keeps pointing at the same file.
    evidence_file = models.FileField("佐证附件", upload_to=evidence_path, blank=True)
    grid_verdict = models.CharField(max_length=8, choices=Verdict.choices, blank=True)
    grid_note = models.CharField(
        "网格意见", max_length=200, blank=True, validators=[no_id_or_phone]
    )
    return_reason = models.CharField(
        "退回理由", max_length=200, blank=True, validators=[no_id_or_phone]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "检查项答复"
        ordering = ["round", "item__heading", "item__order", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item", "round"], name="answer_one_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"检查项答复 #{self.pk}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence or self.evidence_file)

    @property
    def evidence_is_image(self) -> bool:
        return self.evidence_file.name.rsplit(".", 1)[-1] in ("jpg", "png", "webp")


class Commute(models.TextChoices):
    DORMITORY = "dormitory", "住宿舍"
    COMMUTE = "commute", "通勤"


class Employee(models.Model):
    """A resident on an enterprise's roster (linked, never copied) and their health card.

    The card's token carries only this row's id and `card_version`; bumping the version
    (revoke, reprint) kills every printed card and its short `code`.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="employees")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    origin = models.CharField("从何地返回", max_length=100, blank=True, validators=[no_id_or_phone])
    from_affected_area = models.BooleanField("来自疫情地区", default=False)
    return_date = models.DateField("返岗日期", null=True, blank=True)
    commute = models.CharField(
        "住宿/通勤", max_length=10, choices=Commute.choices, default=Commute.COMMUTE
    )
    card_version = models.PositiveIntegerField("卡版本", default=1)
    card_revoked = models.BooleanField("卡已作废", default=False)
    code = models.CharField("短码", max_length=8, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "员工"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "resident"], name="employee_once")
        ]

    def __str__(self) -> str:
        return f"员工 #{self.pk}"


class GateEntry(models.Model):
    """One scan of a health card at an enterprise gate, with the colour shown then."""

    # Indexed by gate_entry_employee_day, which leads with it.
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    day = models.DateField("日期")
    colour = models.CharField("颜色", max_length=6)
    temperature = models.DecimalField("体温", max_digits=4, decimal_places=1, null=True, blank=True)
    is_fever = models.BooleanField("发热", default=False)
    admitted = models.BooleanField("放行", default=False)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scanned_at = models.DateTimeField("扫码时间")
    idempotency_key = models.CharField(max_length=64)
    # What was scanned, so that a replayed key with another body is told apart (409).
    body_digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = "门岗登记"
        ordering = ["-scanned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scanned_by", "idempotency_key"], name="gate_entry_idempotency"
            )
        ]
        indexes = [models.Index(fields=["employee", "day"], name="gate_entry_employee_day")]

    def __str__(self) -> str:
        return f"门岗登记 #{self.pk}"


class ServiceSlot(models.Model):
    """A time at the service hall (预约办) with room for `capacity` enterprises."""

    node = models.ForeignKey(
        Node, verbose_name="服务大厅所属", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("开始时间")
    capacity = models.PositiveSmallIntegerField(
        "可约数", validators=[MinValueValidator(1), MaxValueValidator(200)]
    )

    class Meta:
        verbose_name = "预约时段"
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["node", "starts_at"], name="slot_unique_start")
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%m-%d %H:%M}"


class Appointment(models.Model):
    """An enterprise's booking of a slot; cancelled rows stay and free the place."""

    slot = models.ForeignKey(ServiceSlot, on_delete=models.PROTECT, related_name="appointments")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预约"
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "enterprise"],
                condition=Q(cancelled_at__isnull=True),
                name="appointment_once_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"预约 #{self.pk}"


class Policy(models.Model):
    """A support measure (房租减免, 税费奖补 …) with the most one enterprise may be granted."""

    node = models.ForeignKey(
        Node, verbose_name="发布辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("举措", max_length=100)
    document = models.CharField("政策文件", max_length=100, blank=True)
    cap = models.DecimalField(
        "单户上限（元）",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    is_open = models.BooleanField("受理中", default=True)

    class Meta:
        verbose_name = "扶持政策"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PolicyStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    GRANTED = "granted", "已批准"
    REFUSED = "refused", "未批准"


class PolicyApplication(models.Model):
    """An enterprise's application under one measure: amount asked, decision, disbursement."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        "申请金额（元）",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_AMOUNT)],
    )
    granted = models.DecimalField(
        "批准金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "状态", max_length=8, choices=PolicyStatus.choices, default=PolicyStatus.PENDING
    )
    note = models.CharField("说明", max_length=200, blank=True, validators=[no_id_or_phone])
    decided_on = models.DateField("决定日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政策申请"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"政策申请 #{self.pk}"


class TicketKind(models.TextChoices):
    LABOUR = "labour", "用工难"
    FUNDS = "funds", "资金难"
    SUPPLIES = "supplies", "防控物资筹措难"
    OTHER = "other", "其他"


class Ticket(models.Model):
    """A difficulty an enterprise raised, owned by a cadre until resolved."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="tickets")
    kind = models.CharField("困难类型", max_length=10, choices=TicketKind.choices)
    description = models.CharField("困难说明", max_length=500, validators=[no_id_or_phone])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField("办结期限")
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolution = models.CharField(
        "办理结果", max_length=500, blank=True, validators=[no_id_or_phone]
    )
    policy_application = models.ForeignKey(
        PolicyApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "企业困难"
        ordering = ["resolved_at", "due_date", "pk"]
        indexes = [models.Index(fields=["resolved_at"], name="ticket_resolved")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
