"""Checkpoints (卡口), their duty rosters and check-ins, and the passer log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone


class CheckpointKind(models.TextChoices):
    TRAFFIC = "traffic", "交通道口"
    VILLAGE_ENTRANCE = "village_entrance", "村口"
    ENTERPRISE_GATE = "enterprise_gate", "企业门岗"
    OTHER = "other", "其他"


class Checkpoint(models.Model):
    """A place where people and vehicles are stopped, measured and logged."""

    node = models.ForeignKey(
        Node, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("卡口名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=CheckpointKind.choices)
    location = models.CharField("位置", max_length=200, blank=True)
    # The party branch whose flag flies at the post (the party app will link it later).
    party_branch = models.CharField("责任党支部", max_length=100, blank=True)
    is_open = models.BooleanField("运行中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "卡口"
        ordering = ["node__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="checkpoint_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ShiftTemplate(models.Model):
    """A named duty slot (06-14, 14-22, 22-06) offered to every checkpoint below its node."""

    node = models.ForeignKey(
        Node, verbose_name="适用辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=30)
    start = models.TimeField("开始")
    end = models.TimeField("结束", help_text="早于开始时间表示跨过午夜，如 22:00–06:00")

    class Meta:
        verbose_name = "班次模板"
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="shift_template_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.start:%H:%M}–{self.end:%H:%M}）"

    def clean(self) -> None:
        if self.start == self.end:
            raise ValidationError({"end": "结束时间不能等于开始时间"})


class Shift(models.Model):
    """One staffed stretch at a checkpoint; `day` is the local day it starts on.

    A night shift 22:00–06:00 belongs to the day of its 22:00 start.
    """

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="shifts")
    template = models.ForeignKey(
        ShiftTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField("日期")
    starts_at = models.DateTimeField("开始")
    ends_at = models.DateTimeField("结束")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "班次"
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "starts_at"], name="shift_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["checkpoint", "ends_at"], name="shift_checkpoint_end")]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.day}"


class MemberKind(models.TextChoices):
    PARTY_MEMBER = "party_member", "党员"
    VOLUNTEER = "volunteer", "志愿者"
    CADRE = "cadre", "干部"
    POLICE = "police", "民警"
    DOCTOR = "doctor", "医务人员"
    OTHER = "other", "其他"


class ShiftMember(models.Model):
    """A person on a shift: a user, or a named volunteer without an account; with check-in/out."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shift_memberships",
    )
    name = models.CharField("姓名", max_length=50, blank=True, validators=[no_id_or_phone])
    kind = models.CharField(
        "身份", max_length=20, choices=MemberKind.choices, default=MemberKind.VOLUNTEER
    )
    checked_in_at = models.DateTimeField("签到", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退", null=True, blank=True)

    class Meta:
        verbose_name = "值守人员"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=Q(user__isnull=False),
                name="shift_member_unique_user",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="shift_member_has_name"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name

    @property
    def on_duty(self) -> bool:
        return self.checked_in_at is not None and self.checked_out_at is None


class PasserKind(models.TextChoices):
    PERSON = "person", "行人"
    VEHICLE = "vehicle", "车辆"


class Direction(models.TextChoices):
    IN = "in", "进"
    OUT = "out", "出"


class Outcome(models.TextChoices):
    PASS = "pass", "放行"
    TURNED_BACK = "turned_back", "劝返"
    HANDED_OVER = "handed_over", "转重点人员"


# People in one vehicle (a bus at most): the form, the API schema and the database agree.
PEOPLE_MAX = 99


class Passer(models.Model):
    """One person or vehicle stopped at a checkpoint: where from and to, temperature, outcome."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="passers")
    day = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=PasserKind.choices)
    plate = models.CharField("车牌", max_length=10, blank=True)
    people = models.PositiveSmallIntegerField(
        "人数",
        default=1,
        validators=[
            MinValueValidator(1, "人数至少为 1"),
            MaxValueValidator(PEOPLE_MAX, f"一辆车最多 {PEOPLE_MAX} 人"),
        ],
    )
    direction = models.CharField(
        "方向", max_length=3, choices=Direction.choices, default=Direction.IN
    )
    origin = models.CharField("来自", max_length=100, blank=True, validators=[no_id_or_phone])
    destination = models.CharField("去往", max_length=100, blank=True, validators=[no_id_or_phone])
    temperature = models.DecimalField("体温", max_digits=4, decimal_places=1, null=True, blank=True)
    # Stored at logging time: a later change of threshold does not rewrite the past.
    is_fever = models.BooleanField("发热", default=False)
    outcome = models.CharField("处置", max_length=16, choices=Outcome.choices)
    note = models.CharField("备注", max_length=200, blank=True, validators=[no_id_or_phone])
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField("登记时间")
    idempotency_key = models.CharField(max_length=64)
    # What the request asked for (core.idempotency): the same key with another body is 409.
    request_digest = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = "通行登记"
        ordering = ["-logged_at", "-id"]
        constraints = [
            # The key is the user's own: another user's same key is another passer.
            models.UniqueConstraint(
                fields=["logged_by", "idempotency_key"], name="passer_idempotency_per_user"
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="passer_at_least_one_person"),
            # One stored row must not break the day's sums (issue 15): the database
            # refuses what the form, the API and full_clean already refuse.
            models.CheckConstraint(
                condition=Q(people__lte=PEOPLE_MAX), name="passer_people_at_most_max"
            ),
        ]
        indexes = [models.Index(fields=["checkpoint", "day"], name="passer_checkpoint_day")]

    def __str__(self) -> str:
        return self.plate or self.get_kind_display()
