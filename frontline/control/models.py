"""Key persons under 四个一 control and the hand-overs that bring them, home isolation
with 六包一, temperature rounds, fever alerts and 五送 services."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.roles import Role
from frontline.core.temperature import is_fever
from frontline.core.validators import no_id_or_phone


class KeyPersonCategory(models.Model):
    """A kind of key person (from a severe area, close contact, fever…); admins extend it."""

    name = models.CharField("类别", max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "重点人员类别"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class FoundVia(models.TextChoices):
    SCREENING = "screening", "排查发现"
    CHECKPOINT = "checkpoint", "卡口移交"
    REPORT = "report", "群众报告"
    IMPORT = "import", "流调名单导入"


class KeyPersonStatus(models.TextChoices):
    ACTIVE = "active", "管控中"
    CLOSED = "closed", "已解除"


class KeyPerson(models.Model):
    """A resident under 四个一 control: one leader, one team, one plan, followed to closure."""

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="key_person_records"
    )
    node = models.ForeignKey(
        Node, verbose_name="所属辖区", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(KeyPersonCategory, verbose_name="类别", on_delete=models.PROTECT)
    origin = models.CharField("来源地", max_length=100, blank=True)
    arrival_date = models.DateField("抵达日期", null=True, blank=True)
    found_via = models.CharField(
        "发现途径", max_length=16, choices=FoundVia.choices, default=FoundVia.SCREENING
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任领导",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField("工作专班", max_length=100, blank=True)
    plan = models.TextField("管控方案", blank=True)
    status = models.CharField(
        "状态", max_length=8, choices=KeyPersonStatus.choices, default=KeyPersonStatus.ACTIVE
    )
    closed_at = models.DateTimeField("解除时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "重点人员"
        indexes = [models.Index(fields=["node", "status"], name="keyperson_node_status")]

    def __str__(self) -> str:
        return f"重点人员 #{self.pk}"

    @property
    def gaps(self) -> list[str]:
        """Which of 四个一 is missing (the timeline always exists)."""
        missing = []
        if not self.leader_id:
            missing.append("责任领导")
        if not self.team.strip():
            missing.append("工作专班")
        if not self.plan.strip():
            missing.append("管控方案")
        return missing


class TimelineKind(models.TextChoices):
    REGISTERED = "registered", "登记"
    CONTROL = "control", "四个一调整"
    ISOLATION = "isolation", "居家隔离"
    SIX = "six", "六包一调整"
    READING = "reading", "体温"
    ALERT = "alert", "发热预警"
    SERVICE = "service", "五送服务"
    NOTE = "note", "工作记录"
    CLOSED = "closed", "解除"


class TimelineEntry(models.Model):
    """One step in following a key person to closure (一抓到底); never edited."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=TimelineKind.choices)
    text = models.CharField("内容", max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "管控记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.text


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"


class ReferralSource(models.TextChoices):
    """Where a person was handed over; the record there is named by its id alone."""

    SCREENING = "screening", "排查"
    CHECKPOINT = "checkpoint", "卡口"
    GATE = "gate", "企业门岗"
    OTHER = "other", "其他"


class Referral(models.Model):
    """A person handed over to key-person control (转重点人员), waiting to be accepted.

    Any app hands a person over through `control.public.referral_open`, naming its own
    record by kind and id: control holds no foreign key into the app that found the
    person. Accepting links the key person. No ID or phone number is kept here.
    """

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    source_kind = models.CharField("来源", max_length=16, choices=ReferralSource.choices)
    source_id = models.PositiveBigIntegerField("来源记录编号", null=True, blank=True)
    # Where it happened as it was named that day (the checkpoint's name): shown on the
    # list without reaching into the app that handed the person over.
    source_place = models.CharField(
        "来源地点", max_length=100, blank=True, validators=[no_id_or_phone]
    )
    name = models.CharField("姓名", max_length=50, validators=[no_id_or_phone])
    origin = models.CharField("来自", max_length=100, blank=True, validators=[no_id_or_phone])
    temperature = models.DecimalField("体温", max_digits=4, decimal_places=1, null=True, blank=True)
    reason = models.CharField("原因", max_length=200, validators=[no_id_or_phone])
    status = models.CharField(
        "状态", max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="移交人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("移交时间", default=timezone.now, editable=False)
    key_person = models.ForeignKey(
        KeyPerson,
        verbose_name="重点人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )

    class Meta:
        verbose_name = "转重点人员"
        ordering = ["-created_at", "-id"]
        constraints = [
            # A checkpoint or gate entry is one person: handed over once, however often
            # the button is pressed. A screening visit may hand over several.
            models.UniqueConstraint(
                fields=["source_kind", "source_id"],
                condition=~Q(source_kind="screening"),
                name="referral_once_per_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "node"], name="control_referral_status_node"),
            models.Index(fields=["source_kind", "source_id"], name="control_referral_source"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_status_display()}）"

    @property
    def is_fever(self) -> bool:
        return is_fever(self.temperature)

    @property
    def source_label(self) -> str:
        return self.get_source_kind_display()


class IsolationStatus(models.TextChoices):
    ACTIVE = "active", "隔离中"
    RELEASED = "released", "已解除"
    ENDED_EARLY = "ended_early", "提前结束"
    TRANSFERRED = "transferred", "已转运"


# What a client may send (form, API schema and model alike): an isolation is planned in
# days (14 by default, 60 the longest), a 五送 delivery counts items for one household.
PLANNED_DAYS_MAX = 60
QUANTITY_MAX = 9999


class Isolation(models.Model):
    """A period of home isolation (居家隔离) of one key person."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="isolations")
    # The key person's node, copied so that rounds and overdue lists filter one table.
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    address = models.CharField("隔离地址", max_length=200)
    start_date = models.DateField("开始日期")
    planned_days = models.PositiveSmallIntegerField(
        "计划天数",
        validators=[
            MinValueValidator(1, "计划天数至少 1 天"),
            MaxValueValidator(PLANNED_DAYS_MAX, f"计划天数最多 {PLANNED_DAYS_MAX} 天"),
        ],
    )
    end_date = models.DateField("预计解除日期")
    status = models.CharField(
        "状态", max_length=12, choices=IsolationStatus.choices, default=IsolationStatus.ACTIVE
    )
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField("结束原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "居家隔离"
        indexes = [models.Index(fields=["node", "status"], name="isolation_node_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["key_person"],
                condition=Q(status="active"),
                name="isolation_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"隔离 #{self.pk}"

    def save(self, *args, **kwargs):
        self.end_date = self.start_date + timedelta(days=self.planned_days)
        super().save(*args, **kwargs)


class SixRole(models.TextChoices):
    """六包一: the six people responsible for one isolated person."""

    VILLAGE_LEADER = "village_leader", "包村领导"
    CADRE = "cadre", "村干部"
    VOLUNTEER = "volunteer", "党员志愿者"
    HEALTH_WORKER = "health_worker", "卫生员"
    POLICE = "police", "片警"
    GRID_WORKER = "grid_worker", "网格员"


# Who can hold each of the six, by the role they hold in (or above) the village: the
# warehouse keeper or the inspector is none of them.
SIX_ROLE_HOLDERS: dict[str, tuple[str, ...]] = {
    SixRole.VILLAGE_LEADER: (Role.VILLAGE_LEADER, Role.LEADER),
    SixRole.CADRE: (Role.CADRE,),
    SixRole.VOLUNTEER: (Role.VOLUNTEER,),
    SixRole.HEALTH_WORKER: (Role.HEALTH_WORKER,),
    SixRole.POLICE: (Role.POLICE,),
    SixRole.GRID_WORKER: (Role.GRID_WORKER,),
}
# The party-member volunteer may be a resident without an account; the others are staff.
SIX_RESIDENT_ROLES = (SixRole.VOLUNTEER,)


class Responsible(models.Model):
    """One of the six named people (a user, or a resident with a name) for one isolation."""

    isolation = models.ForeignKey(Isolation, on_delete=models.CASCADE, related_name="six")
    role = models.CharField(max_length=16, choices=SixRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "六包一责任人"
        constraints = [
            models.UniqueConstraint(fields=["isolation", "role"], name="six_one_per_role"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(resident__isnull=False),
                name="six_names_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.get_role_display()

    @property
    def person_name(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.resident.name


class Slot(models.TextChoices):
    AM = "am", "上午"
    PM = "pm", "下午"


class Reading(models.Model):
    """One door-step temperature in the morning or afternoon round."""

    # No single-column indexes on isolation and node: reading_one_per_slot and
    # reading_node_date lead with them, and every index is paid for by every reading.
    isolation = models.ForeignKey(
        Isolation, on_delete=models.PROTECT, related_name="readings", db_index=False
    )
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+", db_index=False)
    # The Asia/Shanghai date of the round: rounds and overdue lists filter by it.
    local_date = models.DateField()
    slot = models.CharField("时段", max_length=2, choices=Slot.choices)
    value = models.DecimalField("体温", max_digits=3, decimal_places=1)
    symptoms = models.CharField("症状", max_length=200, blank=True)
    is_fever = models.BooleanField(default=False)
    taken_at = models.DateTimeField("测量时间")
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # What the request asked for (core.idempotency): the same key with another body is 409.
    request_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "体温读数"
        constraints = [
            # A constraint rather than unique=True: on PostgreSQL the field option also
            # builds a LIKE index that no query uses.
            # The key is the user's own: another user's same key is another reading.
            models.UniqueConstraint(
                fields=["taken_by", "idempotency_key"], name="reading_idempotency_per_user"
            ),
            # One round reading per slot: a retest is recorded when handling the alert.
            models.UniqueConstraint(
                fields=["isolation", "local_date", "slot"], name="reading_one_per_slot"
            ),
        ]
        indexes = [models.Index(fields=["node", "local_date"], name="reading_node_date")]

    def __str__(self) -> str:
        return f"{self.value}℃"


class AlertAction(models.TextChoices):
    RETEST = "retest", "复测"
    FEVER_CLINIC = "fever_clinic", "转发热门诊"
    CENTRAL = "central", "转集中隔离"
    OTHER = "other", "其他处置"


class Alert(models.Model):
    """A fever alert opened by a reading; closed only by recording what was done."""

    reading = models.OneToOneField(Reading, on_delete=models.PROTECT, related_name="alert")
    isolation = models.ForeignKey(Isolation, on_delete=models.PROTECT, related_name="alerts")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    is_open = models.BooleanField(default=True)
    action = models.CharField("处置", max_length=16, choices=AlertAction.choices, blank=True)
    retest_value = models.DecimalField(
        "复测体温", max_digits=3, decimal_places=1, null=True, blank=True
    )
    note = models.CharField("处置说明", max_length=300, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "发热预警"
        indexes = [models.Index(fields=["node", "is_open"], name="alert_node_open")]

    def __str__(self) -> str:
        return f"预警 #{self.pk}"


class ServiceKind(models.Model):
    """A kind of 五送 service (送服务, 送咨询, 送物资, 代购, 送餐…); admins extend it."""

    name = models.CharField("服务类别", max_length=50, unique=True)
    quantity_label = models.CharField(
        "数量单位", max_length=20, blank=True, help_text="如“份”“张”；留空表示不计数量"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "五送服务类别"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceDelivery(models.Model):
    """One 五送 service delivered to an isolated or vulnerable household."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(ServiceKind, verbose_name="服务类别", on_delete=models.PROTECT)
    description = models.CharField("内容", max_length=200, blank=True)
    quantity = models.PositiveIntegerField(
        "数量",
        default=0,
        validators=[MaxValueValidator(QUANTITY_MAX, f"数量最多 {QUANTITY_MAX}")],
    )
    delivered_on = models.DateField("日期")
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "五送服务记录"
        indexes = [models.Index(fields=["node", "delivered_on"], name="service_node_date")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
