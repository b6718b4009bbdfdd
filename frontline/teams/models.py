"""Teams (队伍) of volunteers: configurable kinds, teams at a node with members (residents
or users) and vehicles, and the activity each team logs — patrols, loudspeaker routes,
service — from which every volunteer's hours add up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone


class TeamKind(models.Model):
    """A kind of team (党员代购车, 小喇叭宣传队 …): the seed's six are migrated in and an
    administrator may add more; `code` is what figures and the API name it by."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "队伍类型"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team at a node: a purchase vehicle, a patrol, a loudspeaker team … counted once,
    wherever it is listed."""

    name = models.CharField("队名", max_length=100, validators=[no_id_or_phone])
    kind = models.ForeignKey(
        TeamKind, verbose_name="类型", on_delete=models.PROTECT, related_name="+"
    )
    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "队伍"
        ordering = ["node__path", "kind__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "name"],
                name="team_unique_name",
                violation_error_message="本辖区已有同名队伍",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person in a team: a registered resident or a user of the platform (a volunteer
    may be in several teams; each membership is its own row, the person is one)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(
        "people.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_leader = models.BooleanField("队长", default=False)
    joined_on = models.DateField("加入日期", default=timezone.localdate)

    class Meta:
        verbose_name = "队员"
        ordering = ["-is_leader", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=True, user__isnull=False)
                | Q(resident__isnull=False, user__isnull=True),
                name="team_member_resident_or_user",
                violation_error_message="队员须是一名居民或一个账号",
            ),
            models.UniqueConstraint(
                fields=["team", "resident"],
                condition=Q(resident__isnull=False),
                name="team_member_resident_once",
                violation_error_message="此人已在这支队伍",
            ),
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(user__isnull=False),
                name="team_member_user_once",
                violation_error_message="此人已在这支队伍",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.resident_id or self.user_id}"

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.full_name or self.user.username
        return self.resident.name


class Vehicle(models.Model):
    """A vehicle of a team (a 党员代购车, a loudspeaker motorbike), by its plate."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="vehicles")
    plate = models.CharField("车牌", max_length=10)
    note = models.CharField("说明", max_length=100, blank=True, validators=[no_id_or_phone])

    class Meta:
        verbose_name = "车辆"
        constraints = [
            models.UniqueConstraint(
                fields=["team", "plate"],
                name="team_vehicle_unique_plate",
                violation_error_message="这支队伍已登记这辆车",
            ),
        ]

    def __str__(self) -> str:
        return self.plate


class ActivityKind(models.TextChoices):
    PATROL = "patrol", "巡逻"
    LOUDSPEAKER = "loudspeaker", "小喇叭宣传"
    SERVICE = "service", "志愿服务"
    CHECKPOINT_DUTY = "checkpoint_duty", "卡口值守"


class Activity(models.Model):
    """One outing of a team, logged in a few taps: a patrol (area, gatherings dispersed,
    people persuaded home), a loudspeaker route (villages covered, minutes) or a service
    (households served). Every participant is credited its hours."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("类型", max_length=20, choices=ActivityKind.choices)
    day = models.DateField("日期")
    hours = models.DecimalField("时长（小时）", max_digits=4, decimal_places=1)
    area = models.CharField("区域/路线", max_length=200, blank=True, validators=[no_id_or_phone])
    gatherings_dispersed = models.PositiveIntegerField("劝散聚集", default=0)
    persuaded_home = models.PositiveIntegerField("劝导回家", default=0)
    villages_covered = models.CharField(
        "覆盖村庄", max_length=200, blank=True, validators=[no_id_or_phone]
    )
    minutes = models.PositiveIntegerField("宣传分钟", default=0)
    households = models.PositiveIntegerField("服务户数", default=0)
    # Checkpoint duty is the checkpoint's own shift, linked (its day, hours and place come
    # from it), never typed a second time; read through checkpoints' public module.
    shift = models.ForeignKey(
        "checkpoints.Shift",
        verbose_name="卡口班次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("备注", max_length=200, blank=True, validators=[no_id_or_phone])
    participants = models.ManyToManyField(TeamMember, related_name="activities", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "队伍活动"
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="team_activity_idempotency_per_user"
            ),
            models.UniqueConstraint(
                fields=["team", "shift"],
                condition=Q(shift__isnull=False),
                name="team_activity_one_per_shift",
                violation_error_message="这支队伍已登记过这个班次的值守",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24),
                name="team_activity_hours_range",
                violation_error_message="时长须在 0.1 到 24 小时之间",
            ),
            models.CheckConstraint(
                condition=Q(gatherings_dispersed__lte=1000, persuaded_home__lte=10000)
                & Q(minutes__lte=1440, households__lte=10000),
                name="team_activity_counts_range",
                violation_error_message="数字超出合理范围",
            ),
        ]
        indexes = [models.Index(fields=["team", "day"], name="team_activity_team_day")]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.day}"
