"""Party organisations (党组织) beside the jurisdiction tree, their members, calls to action
(倡议) and the pledges answering them (请战书), and the pioneer posts and responsibility
zones (党员先锋岗 · 党员责任区) members hold.

What users type here is shown across the zone: `no_id_or_phone` keeps whole ID numbers
and phones (which belong in the people registry, encrypted) out of it (SECURITY 9)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from frontline.core.models import Node
from frontline.core.validators import no_id_or_phone


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    TEMPORARY = "temporary", "临时党支部"


# The grassroots organisations the seed counts (75); temporary branches are counted apart.
STANDING_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


class PartyOrg(models.Model):
    """A party committee, general branch or branch attached to a node; a temporary branch
    (临时党支部) at a checkpoint, isolation site or screening team has start and end dates.
    An ended organisation stays, read-only: its history is part of the record."""

    name = models.CharField("名称", max_length=100, validators=[no_id_or_phone])
    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices)
    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    site = models.CharField("设立地点", max_length=100, blank=True, validators=[no_id_or_phone])
    start_date = models.DateField("成立日期")
    end_date = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "党组织"
        ordering = ["node__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "name"],
                name="party_org_unique_name",
                violation_error_message="本辖区已有同名党组织",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="party_org_end_after_start",
                violation_error_message="撤销日期不能早于成立日期",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ended(self) -> bool:
        return self.end_date is not None and self.end_date <= timezone.localdate()

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "上级党组织不能是自己"})


class MemberStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"
    ACTIVIST = "activist", "入党积极分子"


# Party members proper (党员); activists are counted apart.
MEMBER_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


class Membership(models.Model):
    """A resident's belonging to one organisation, from a date; a transfer ends it (the
    row stays as history) and opens the next one. One current membership per resident."""

    resident = models.ForeignKey(
        "people.Resident", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        PartyOrg, verbose_name="党组织", on_delete=models.PROTECT, related_name="memberships"
    )
    status = models.CharField("身份", max_length=20, choices=MemberStatus.choices)
    start_date = models.DateField("转入日期")
    end_date = models.DateField("转出日期", null=True, blank=True)
    end_reason = models.CharField(
        "转出原因", max_length=100, blank=True, validators=[no_id_or_phone]
    )
    # The member's own login, linked by the secretary: what lets a member write their own
    # 请战书 (and only their own). Residents and users are otherwise unrelated.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="本人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "党员组织关系"
        ordering = ["org", "resident__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(end_date__isnull=True),
                name="membership_one_current",
                violation_error_message="此人已在另一个党组织，请办理组织关系转接",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(end_date__isnull=True, account__isnull=False),
                name="membership_one_current_per_account",
                violation_error_message="这个账号已绑定另一名党员",
            ),
        ]
        indexes = [models.Index(fields=["org", "end_date"], name="membership_org_current")]

    def __str__(self) -> str:
        return f"{self.resident_id}@{self.org_id}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Call(models.Model):
    """A call to action (倡议) an organisation issues: what it needs, for how many days."""

    org = models.ForeignKey(
        PartyOrg, verbose_name="发出倡议的党组织", on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField("标题", max_length=100, validators=[no_id_or_phone])
    text = models.TextField("倡议内容", max_length=4000, validators=[no_id_or_phone])
    needs = models.CharField(
        "需要（岗位、技能）", max_length=200, blank=True, validators=[no_id_or_phone]
    )
    days = models.PositiveSmallIntegerField("天数", null=True, blank=True)
    issued_on = models.DateField("发出日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "倡议"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(days__gte=1, days__lte=366),
                name="party_call_days_range",
                violation_error_message="天数须在 1 到 366 之间",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", "待安排"
    ASSIGNED = "assigned", "已安排"
    RESERVE = "reserve", "感谢并备用"


class AssignmentKind(models.TextChoices):
    PIONEER_POST = "pioneer_post", "党员先锋岗"
    ZONE = "zone", "党员责任区"
    TEAM = "team", "队伍"
    SHIFT = "shift", "卡口班次"
    OTHER = "other", "其他任务"


class Pledge(models.Model):
    """A member's written answer to a call (请战书): availability and skills; entered by the
    member on a phone or by the branch secretary for them. Then assigned or kept in reserve."""

    call = models.ForeignKey(
        Call, verbose_name="倡议", on_delete=models.PROTECT, related_name="pledges"
    )
    membership = models.ForeignKey(
        Membership, verbose_name="党员", on_delete=models.PROTECT, related_name="pledges"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    availability = models.CharField(
        "可参加时间", max_length=200, blank=True, validators=[no_id_or_phone]
    )
    skills = models.CharField("特长", max_length=200, blank=True, validators=[no_id_or_phone])
    text = models.TextField("请战书", max_length=2000, blank=True, validators=[no_id_or_phone])
    by_secretary = models.BooleanField("书记代填", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.PLEDGED
    )
    assignment_kind = models.CharField(
        "安排到", max_length=20, choices=AssignmentKind.choices, blank=True
    )
    post = models.ForeignKey(
        "Post",
        verbose_name="先锋岗/责任区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignment_note = models.CharField(
        "安排说明", max_length=200, blank=True, validators=[no_id_or_phone]
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "请战书"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "resident"],
                name="pledge_one_per_member_per_call",
                violation_error_message="这名党员已经响应过这份倡议，一份倡议只能交一份请战书",
            ),
            models.UniqueConstraint(
                fields=["entered_by", "idempotency_key"], name="pledge_idempotency_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.resident_id}"


class PostKind(models.TextChoices):
    PIONEER_POST = "pioneer_post", "党员先锋岗"
    ZONE = "zone", "党员责任区"


class Post(models.Model):
    """A named pioneer post or responsibility zone at a node, held by members; a zone with
    nobody holding it is a gap the village must fill."""

    kind = models.CharField("类型", max_length=20, choices=PostKind.choices)
    name = models.CharField("名称", max_length=100, validators=[no_id_or_phone])
    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        PartyOrg,
        verbose_name="党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    description = models.CharField("职责", max_length=200, blank=True, validators=[no_id_or_phone])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "先锋岗/责任区"
        ordering = ["node__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "kind", "name"],
                name="party_post_unique_name",
                violation_error_message="本辖区已有同名的先锋岗或责任区",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PostHolder(models.Model):
    """A member holding a post or zone."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holders")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="党员", on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateField("上岗日期", default=timezone.localdate)

    class Meta:
        verbose_name = "在岗党员"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "resident"],
                name="party_post_holder_unique",
                violation_error_message="这名党员已在此岗",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}:{self.resident_id}"


class Oath(models.Model):
    """An oath event (宣誓): an organisation's members and activists renewing or taking the
    oath on a day, at a place; who stood there is kept with the status they held then."""

    org = models.ForeignKey(
        PartyOrg, verbose_name="党组织", on_delete=models.PROTECT, related_name="oaths"
    )
    held_on = models.DateField("宣誓日期")
    place = models.CharField("地点", max_length=100, validators=[no_id_or_phone])
    note = models.CharField("说明", max_length=200, blank=True, validators=[no_id_or_phone])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "宣誓活动"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.held_on}"


class OathAttendee(models.Model):
    """A member or activist present at an oath event, with the status held that day."""

    oath = models.ForeignKey(Oath, on_delete=models.CASCADE, related_name="attendees")
    resident = models.ForeignKey(
        "people.Resident", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("身份", max_length=20, choices=MemberStatus.choices)

    class Meta:
        verbose_name = "宣誓人员"
        ordering = ["status", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["oath", "resident"],
                name="party_oath_attendee_once",
                violation_error_message="此人已在这次宣誓的名单中",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.oath_id}:{self.resident_id}"


class FlagSite(models.Model):
    """旗帜飘扬在一线: a front-line site where an organisation's flag flies — a checkpoint
    (its `party_branch` text then links here) or another named site at a node (an
    isolation site, a screening team). One organisation's flag per checkpoint."""

    org = models.ForeignKey(
        PartyOrg, verbose_name="党组织", on_delete=models.PROTECT, related_name="flag_sites"
    )
    # Another app's record, linked as people.Resident is: by a string, read through its
    # public module, never saved from here.
    checkpoint = models.ForeignKey(
        "checkpoints.Checkpoint",
        verbose_name="卡口",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("点位", max_length=100, validators=[no_id_or_phone])
    since = models.DateField("插旗日期", default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "党旗插在一线的点位"
        ordering = ["node__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint"],
                condition=Q(checkpoint__isnull=False),
                name="party_flag_one_per_checkpoint",
                violation_error_message="这个卡口已经有党组织的旗帜",
            ),
            models.UniqueConstraint(
                fields=["org", "node", "name"],
                name="party_flag_unique_site",
                violation_error_message="这个党组织已在这个点位插旗",
            ),
        ]

    def __str__(self) -> str:
        return self.name
