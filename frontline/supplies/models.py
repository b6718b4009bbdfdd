"""Supplies (物资), donations (捐赠), requests and allocation, and funds (景清基金).

Quantities are Decimal in the item's base unit (只, 套, kg …), never floats; money is
Decimal yuan with two places. Stock moves only through the append-only `Move` ledger;
`Stock` keeps the balance per (warehouse, item) for speed and is written in the same
transaction as the move that changes it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone

# Base-unit quantities: up to a thousand million with three decimals (22.5 吨 = 22500 kg).
QTY = {"max_digits": 15, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 2}
QTY_MAX = Decimal("999999999")
MONEY_MAX = Decimal("999999999.99")


class AppendOnlyQuerySet(models.QuerySet):
    """The ledger's rows are facts: neither updated nor deleted in bulk."""

    def update(self, **kwargs):
        raise ValidationError("台账记录只能追加，不能修改")

    def delete(self):
        raise ValidationError("台账记录只能追加，不能删除")


class ItemCode(models.TextChoices):
    """What the dashboard counts by (coordinated masks, suits …); other items have none."""

    MASK = "mask", "口罩"
    SUIT = "suit", "防护服"
    GOGGLES = "goggles", "护目镜"
    GLOVES = "gloves", "手套"
    ALCOHOL = "alcohol", "酒精"
    THERMOMETER = "thermometer", "体温计"
    DISINFECTANT = "disinfectant", "消毒液"
    OTHER = "other", "其他"


class Item(models.Model):
    """A catalogue entry: its base unit, and whether a unit of it counts as one donated piece.

    The catalogue is one for the whole installation (every store uses every entry); the
    node is who keeps the entry — its keepers (and those above) may edit it.
    """

    name = models.CharField("物资名称", max_length=50, unique=True)
    node = models.ForeignKey(
        Node,
        verbose_name="维护单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField("统计类别", max_length=16, choices=ItemCode.choices, default="other")
    base_unit = models.CharField("基本单位", max_length=8)
    # Masks and thermometers are pieces (件); alcohol in kg is not counted as pieces.
    countable = models.BooleanField("按件计数", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "物资"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ItemUnit(models.Model):
    """Another unit of an item and how many base units it holds (1 箱 = 2000 只)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("单位", max_length=8)
    factor = models.DecimalField(
        "折合基本单位",
        **QTY,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1000000"))],
    )

    class Meta:
        verbose_name = "换算单位"
        ordering = ["factor"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="supplies_unit_unique"),
            models.CheckConstraint(condition=Q(factor__gt=0), name="supplies_unit_factor_pos"),
        ]

    def __str__(self) -> str:
        return f"1{self.name} = {self.factor.normalize():f}{self.item.base_unit}"


class Warehouse(models.Model):
    """A store at a node: the town's, a village's, an enterprise's own."""

    node = models.ForeignKey(
        Node, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("仓库名称", max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "仓库"
        ordering = ["node__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="supplies_warehouse_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Stock(models.Model):
    """The maintained balance of one item in one warehouse, and its low-stock threshold.

    Written only by the services, in the transaction of the move that changes it; it
    always equals the sum of the ledger (selectors.ledger_replay proves it in tests).
    """

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField("库存", **QTY, default=Decimal(0))
    low_threshold = models.DecimalField("低库存线", **QTY, default=Decimal(0))

    class Meta:
        verbose_name = "库存"
        ordering = ["warehouse", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item"], name="supplies_stock_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="supplies_stock_never_negative"
            ),
            models.CheckConstraint(
                condition=Q(low_threshold__gte=0), name="supplies_threshold_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.item}"

    @property
    def low(self) -> bool:
        return self.low_threshold > 0 and self.quantity < self.low_threshold


class MoveKind(models.TextChoices):
    RECEIPT = "receipt", "入库"
    ISSUE = "issue", "出库"
    TRANSFER = "transfer", "调拨"
    ADJUSTMENT = "adjustment", "盘点调整"


class Source(models.TextChoices):
    DONATION = "donation", "捐赠"
    PURCHASE = "purchase", "采购"
    COORDINATION = "coordination", "上级协调"


class Move(models.Model):
    """One line of the ledger (台账). Never updated nor deleted.

    `quantity` is in the item's base unit: positive for a receipt, issue and transfer
    (out of `warehouse`, into `to_warehouse`); signed for an adjustment. What the keeper
    typed is kept beside it (`entered_quantity`, `unit`).
    """

    kind = models.CharField("类型", max_length=12, choices=MoveKind.choices)
    # Indexed by supplies_move_wh_item, which leads with it.
    warehouse = models.ForeignKey(
        Warehouse,
        verbose_name="仓库",
        on_delete=models.PROTECT,
        related_name="moves",
        db_index=False,
    )
    item = models.ForeignKey(Item, verbose_name="物资", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField("数量（基本单位）", **QTY)
    entered_quantity = models.DecimalField("数量", **QTY)
    unit = models.CharField("单位", max_length=8)
    source = models.CharField("来源", max_length=16, choices=Source.choices, blank=True)
    to_warehouse = models.ForeignKey(
        Warehouse,
        verbose_name="调入仓库",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves_in",
    )
    recipient_node = models.ForeignKey(
        Node,
        verbose_name="领用单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField("说明", max_length=200, blank=True, validators=[no_id_or_phone])
    donation = models.ForeignKey(
        "Donation", null=True, blank=True, on_delete=models.PROTECT, related_name="moves"
    )
    allocation_line = models.ForeignKey(
        "AllocationLine", null=True, blank=True, on_delete=models.PROTECT, related_name="moves"
    )
    day = models.DateField("日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    # A digest of what was asked, so the same key with another body is refused (409).
    request_digest = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "台账"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="supplies_move_idempotency",
            ),
            models.CheckConstraint(condition=~Q(quantity=0), name="supplies_move_nonzero"),
        ]
        indexes = [
            models.Index(fields=["warehouse", "item"], name="supplies_move_wh_item"),
            models.Index(fields=["source", "kind", "day"], name="supplies_move_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("台账记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("台账记录只能追加，不能删除")


class DonorKind(models.TextChoices):
    RESIDENT = "resident", "群众"
    PARTY_MEMBER = "party_member", "党员"
    ENTERPRISE = "enterprise", "企业"
    ORGANISATION = "organisation", "组织"
    ANONYMOUS = "anonymous", "匿名"


class Drive(models.Model):
    """A named collection (党员义捐) whose totals are a query over its donations."""

    node = models.ForeignKey(
        Node, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=50)

    class Meta:
        verbose_name = "募捐活动"
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="supplies_drive_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Donation(models.Model):
    """A gift of cash, goods or both; goods enter the ledger as receipts at a stated value."""

    node = models.ForeignKey(
        Node, verbose_name="接收辖区", on_delete=models.PROTECT, related_name="+"
    )
    receipt_no = models.CharField("收据编号", max_length=20, unique=True)
    donor_kind = models.CharField("捐赠人类型", max_length=16, choices=DonorKind.choices)
    donor_name = models.CharField("捐赠人", max_length=100, blank=True, validators=[no_id_or_phone])
    # Shown as 爱心人士 / 张** in the public disclosure (公示) when the donor asks.
    masked = models.BooleanField("公示时隐去姓名", default=False)
    drive = models.ForeignKey(
        Drive,
        verbose_name="募捐活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    cash = models.DecimalField(
        "捐款（元）",
        **MONEY,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MONEY_MAX)],
    )
    goods_value = models.DecimalField("物资折价（元）", **MONEY, default=Decimal(0))
    received_on = models.DateField("捐赠日期")
    purpose = models.CharField("用途", max_length=200, blank=True, validators=[no_id_or_phone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "捐赠"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="supplies_donation_idempotency",
            ),
            models.CheckConstraint(
                condition=Q(cash__gt=0) | Q(goods_value__gt=0), name="supplies_donation_something"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def total(self) -> Decimal:
        return self.cash + self.goods_value


class DonationLine(models.Model):
    """Goods of a donation: what, how much (base unit) and the value the donor stated."""

    donation = models.ForeignKey(Donation, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField("数量（基本单位）", **QTY)
    value = models.DecimalField("折价（元）", **MONEY, default=Decimal(0))

    class Meta:
        verbose_name = "捐赠物资"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_dline_pos")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}"


class RequesterKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    CHECKPOINT = "checkpoint", "卡口"
    VILLAGE = "village", "村/社区"
    ISOLATION = "isolation", "隔离服务队"


class SupplyRequest(models.Model):
    """An ask for supplies by an enterprise, checkpoint, village or isolation team."""

    node = models.ForeignKey(
        Node, verbose_name="申请单位", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("申请方", max_length=16, choices=RequesterKind.choices)
    needed_by = models.DateField("需要日期")
    reason = models.CharField("用途", max_length=200, validators=[no_id_or_phone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "物资申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="supplies_request_idempotency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node.name} {self.needed_by}"


class RequestLine(models.Model):
    """One item of a request; open while less than asked has been approved."""

    request = models.ForeignKey(SupplyRequest, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, verbose_name="物资", on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField("申请数量（基本单位）", **QTY)
    approved = models.DecimalField("已批准", **QTY, default=Decimal(0))

    class Meta:
        verbose_name = "申请明细"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplies_rline_pos"),
            models.CheckConstraint(
                condition=Q(approved__gte=0) & Q(approved__lte=models.F("quantity")),
                name="supplies_rline_approved_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}"

    @property
    def outstanding(self) -> Decimal:
        return self.quantity - self.approved


class Allocation(models.Model):
    """An allocation run at a warehouse: proposed quantities, then the keeper's approval."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name="仓库", on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField("分配规则", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "分配"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"分配 #{self.pk}"


class AllocationLine(models.Model):
    """What the run proposes for one request line, what was approved and issued, and
    when the recipient confirmed receipt."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    request_line = models.ForeignKey(
        RequestLine, on_delete=models.PROTECT, related_name="allocations"
    )
    rank = models.PositiveIntegerField("顺序")
    proposed = models.DecimalField("建议数量", **QTY)
    approved = models.DecimalField("批准数量", **QTY, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField("签收时间", null=True, blank=True)

    class Meta:
        verbose_name = "分配明细"
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"分配明细 #{self.pk}"


class Fund(models.Model):
    """A relief fund (景清基金): receipts in, disbursements out, never below zero."""

    node = models.ForeignKey(
        Node, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("基金名称", max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "基金"
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="supplies_fund_unique")
        ]

    def __str__(self) -> str:
        return self.name


class FundReceipt(models.Model):
    """Money into a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField(
        "金额（元）",
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MONEY_MAX)],
    )
    donor_name = models.CharField("捐款人", max_length=100, blank=True, validators=[no_id_or_phone])
    received_on = models.DateField("日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "基金收入"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="supplies_freceipt_pos")
        ]

    def __str__(self) -> str:
        return f"{self.fund} +{self.amount}"


class Disbursement(models.Model):
    """Money out of a fund to a resident; paid only once a second person approves."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="disbursements")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="受助人", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        "金额（元）",
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MONEY_MAX)],
    )
    reason = models.CharField("事由", max_length=200, validators=[no_id_or_phone])
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)

    class Meta:
        verbose_name = "基金支出"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="supplies_disb_pos"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="supplies_disb_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund} -{self.amount}"
