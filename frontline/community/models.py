"""Community work (党群 · 宣传 · 关爱): publicity, the 两个一律 register of family events,
care visits, help for front-line workers' families, and exemplary people and teams."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone


class Publicity(models.Model):
    """Leaflets, posters and loudspeaker routes of one village on one day."""

    node = models.ForeignKey(
        Node, verbose_name="村/社区", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("日期")
    leaflets = models.PositiveIntegerField(
        "发放宣传单（份）", validators=[MaxValueValidator(100000)]
    )
    posters = models.PositiveIntegerField(
        "张贴标语海报（张）", default=0, validators=[MaxValueValidator(10000)]
    )
    loudspeaker_routes = models.PositiveSmallIntegerField(
        "大喇叭/流动喇叭线路（条）", default=0, validators=[MaxValueValidator(100)]
    )
    note = models.CharField("说明", max_length=200, blank=True, validators=[no_id_or_phone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "宣传"
        ordering = ["-day", "node__path"]
        indexes = [models.Index(fields=["node", "day"], name="publicity_node_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(leaflets__lte=100000), name="publicity_leaflets_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node} {self.day}"


class FamilyEventKind(models.TextChoices):
    WEDDING_POSTPONED = "wedding_postponed", "红事延办"
    FUNERAL_SIMPLIFIED = "funeral_simplified", "白事简办"
    FUNERAL_POSTPONED = "funeral_postponed", "白事延办"


FUNERAL_KINDS = (FamilyEventKind.FUNERAL_SIMPLIFIED, FamilyEventKind.FUNERAL_POSTPONED)


class FamilyEvent(models.Model):
    """One household's wedding postponed or funeral simplified/postponed (两个一律)."""

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="户主/当事人", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类别", max_length=20, choices=FamilyEventKind.choices)
    planned_on = models.DateField("原定日期")
    new_date = models.DateField("延至", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, validators=[no_id_or_phone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "两个一律登记"
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["node", "kind"], name="family_event_node_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class HandedTo(models.TextChoices):
    ERRAND = "errand", "帮您跑腿"
    FIVE_SERVICES = "five_services", "五送服务"


class CareVisit(models.Model):
    """A visit to an elderly person living alone or a left-behind child."""

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="走访对象", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField("日期")
    visitor_name = models.CharField("志愿者", max_length=50, validators=[no_id_or_phone])
    temperature = models.DecimalField("体温", max_digits=4, decimal_places=1, null=True, blank=True)
    disinfected = models.BooleanField("已消毒", default=False)
    needs = models.CharField("发现的需求", max_length=300, blank=True, validators=[no_id_or_phone])
    # Where the need went, once: an errand (errands) or a 五送 record (control), by its id.
    handed_to = models.CharField(
        "需求转办", max_length=14, choices=HandedTo.choices, blank=True, default=""
    )
    handed_id = models.PositiveIntegerField("转办记录编号", null=True, blank=True)
    handed_at = models.DateTimeField("转办时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "关爱走访"
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["node", "day"], name="care_visit_node_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__isnull=True) | Q(temperature__gte=34, temperature__lte=43),
                name="care_visit_temperature_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visitor_name} {self.day}"


class FamilyHelp(models.Model):
    """Help for the family of a front-line worker: the worker, the difficulty, who helps."""

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    worker_name = models.CharField("一线人员", max_length=50, validators=[no_id_or_phone])
    difficulty = models.CharField("家庭困难", max_length=300, validators=[no_id_or_phone])
    helper_name = models.CharField("帮扶人", max_length=50, validators=[no_id_or_phone])
    day = models.DateField("日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "一线人员家庭帮扶"
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.worker_name


class Exemplar(models.Model):
    """An exemplary resident or team (先进典型) with title and story, shown per village."""

    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("人物或团队", max_length=50, validators=[no_id_or_phone])
    is_team = models.BooleanField("团队", default=False)
    title = models.CharField("称号/事迹标题", max_length=100, validators=[no_id_or_phone])
    story = models.TextField("事迹", max_length=3000, validators=[no_id_or_phone])
    day = models.DateField("日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "先进典型"
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return self.name
