"""Errands (帮您跑腿): 代购 and 送餐 for isolated and vulnerable households.

A household asks (through its QR page, or a cadre asks for it); exactly one volunteer
(or one 党员代购车, through one of its crew) claims, buys, delivers; the household or a
cadre confirms; a cadre settles — or the errand is cancelled with a reason. A 送餐
series makes one errand a day until stopped.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from frontline.core.models import Node
from frontline.core.personal_data import decrypt
from frontline.core.validators import no_id_or_phone

BUDGET_MAX = Decimal("2000")
COST_MAX = Decimal("5000")
RECEIPT_MAX_BYTES = 3 * 1024 * 1024


class ErrandKind(models.TextChoices):
    SHOPPING = "shopping", "代购"
    MEAL = "meal", "送餐"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待认领"
    CLAIMED = "claimed", "已认领"
    BOUGHT = "bought", "已购买"
    DELIVERED = "delivered", "已送达"
    SETTLED = "settled", "已结算"
    CANCELLED = "cancelled", "已取消"


# Where an errand still waits for someone (the overdue list and the open counts).
UNFINISHED = (Status.SUBMITTED, Status.CLAIMED, Status.BOUGHT)
DONE = (Status.DELIVERED, Status.SETTLED)


class Settlement(models.TextChoices):
    PAID = "paid", "已付款"
    WAIVED = "waived", "免单"


class LineCategory(models.TextChoices):
    VEGETABLES = "vegetables", "蔬菜"
    GRAIN_OIL = "grain_oil", "粮油"
    MEDICINE = "medicine", "药品"
    OTHER = "other", "其他"


class ErrandHousehold(models.Model):
    """A household that may ask for errands: its resident, its village, and the version of
    its QR token (bumped to revoke every printed code at once)."""

    node = models.ForeignKey(
        Node, verbose_name="所在村/社区", on_delete=models.PROTECT, related_name="+"
    )
    resident = models.OneToOneField(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+"
    )
    token_version = models.PositiveIntegerField("二维码版本", default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "跑腿服务户"
        ordering = ["node__path", "pk"]

    def __str__(self) -> str:
        return f"服务户 #{self.pk}"


class MealSeries(models.Model):
    """A daily 送餐 for a household until stopped: one errand is made for each day."""

    household = models.ForeignKey(
        ErrandHousehold, verbose_name="服务户", on_delete=models.PROTECT, related_name="series"
    )
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(
        "送餐内容", max_length=100, validators=[no_id_or_phone], default="午餐一份"
    )
    deliver_time = models.TimeField("每日送达时间")
    budget = models.DecimalField(
        "每日预算（元）",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(BUDGET_MAX)],
    )
    started_on = models.DateField("开始日期")
    stopped_at = models.DateTimeField("停止时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "每日送餐"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"每日送餐 #{self.pk}"


class Errand(models.Model):
    """One request: what to buy, the budget and the deadline, and who carries it through.

    The address is the resident's at the time of asking, stored encrypted (it is shown
    to the claiming volunteer and the village's cadres only).
    """

    # No index of its own: errand_node_status leads with it (every claim rewrites each
    # index of the row, so an index another one already serves is dropped).
    node = models.ForeignKey(
        Node, verbose_name="所在村/社区", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    household = models.ForeignKey(
        ErrandHousehold, verbose_name="服务户", on_delete=models.PROTECT, related_name="errands"
    )
    kind = models.CharField(
        "类型", max_length=10, choices=ErrandKind.choices, default=ErrandKind.SHOPPING
    )
    budget = models.DecimalField(
        "预算（元）",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(BUDGET_MAX)],
    )
    deliver_by = models.DateTimeField("最晚送达")
    address_cipher = models.CharField(max_length=600, blank=True, editable=False)
    note = models.CharField("备注", max_length=200, blank=True, validators=[no_id_or_phone])
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    # Indexed by errand_one_meal_a_day (a series' errands, all of them, have a series).
    series = models.ForeignKey(
        MealSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="errands",
        db_index=False,
    )
    day = models.DateField("日期")
    # Who asked: a user (a cadre), or the household itself through its page (null).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # A digest of what was asked with the key: the same key with another body is refused.
    request_digest = models.CharField(max_length=64, blank=True)
    # Indexed by errand_claimer, which leads with it.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认领人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Claimed on behalf of a 党员代购车 (a purchase-vehicle team the claimer is in): then
    # every member of that vehicle may carry it through.
    claimed_team = models.ForeignKey(
        "teams.Team",
        verbose_name="代购车",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    bought_at = models.DateTimeField("购买时间", null=True, blank=True)
    actual_cost = models.DecimalField(
        "实际花费（元）",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(COST_MAX)],
    )
    # The receipt photo, encrypted (core.personal_data.encrypt_bytes), read through a view.
    receipt = models.BinaryField(null=True, blank=True, editable=False)
    receipt_type = models.CharField(max_length=20, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    # Who confirmed the delivery: a cadre (user) or the household on its page (null user).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by_household = models.BooleanField("住户确认", default=False)
    settled_at = models.DateTimeField("结算时间", null=True, blank=True)
    settlement = models.CharField("结算方式", max_length=10, choices=Settlement.choices, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)
    cancel_reason = models.CharField(
        "取消原因", max_length=200, blank=True, validators=[no_id_or_phone]
    )

    class Meta:
        verbose_name = "跑腿"
        ordering = ["deliver_by", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False, created_by__isnull=False),
                name="errand_idempotency_per_user",
            ),
            models.UniqueConstraint(
                fields=["household", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False, created_by__isnull=True),
                name="errand_idempotency_per_household",
            ),
            models.UniqueConstraint(
                fields=["series", "day"],
                condition=Q(series__isnull=False),
                name="errand_one_meal_a_day",
            ),
            # A claimed errand has its volunteer; a waiting one has none.
            models.CheckConstraint(
                condition=Q(status=Status.SUBMITTED, claimed_by__isnull=True)
                | Q(status=Status.CANCELLED)
                | (
                    ~Q(status__in=[Status.SUBMITTED, Status.CANCELLED])
                    & Q(claimed_by__isnull=False)
                ),
                name="errand_claimed_has_volunteer",
            ),
            # A vehicle claims through one of its members: never a vehicle without one.
            models.CheckConstraint(
                condition=Q(claimed_team__isnull=True) | Q(claimed_by__isnull=False),
                name="errand_vehicle_has_volunteer",
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0, budget__lte=BUDGET_MAX), name="errand_budget_range"
            ),
            models.CheckConstraint(
                condition=Q(actual_cost__isnull=True)
                | Q(actual_cost__gte=0, actual_cost__lte=COST_MAX),
                name="errand_cost_range",
            ),
        ]
        indexes = [
            models.Index(fields=["node", "status", "deliver_by"], name="errand_node_status"),
            models.Index(fields=["claimed_by", "status"], name="errand_claimer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def address(self) -> str:
        """The household's address: shown only where errands.selectors.address_visible."""
        return decrypt(self.address_cipher) if self.address_cipher else ""

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED


class ErrandLine(models.Model):
    """One line of what to buy: a category and free text (白菜两斤、土豆三个)."""

    errand = models.ForeignKey(Errand, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField("类别", max_length=12, choices=LineCategory.choices)
    text = models.CharField("内容", max_length=100, validators=[no_id_or_phone])

    class Meta:
        verbose_name = "采购明细"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.text}"
