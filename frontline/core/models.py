"""Jurisdiction tree, users and their roles, API tokens and the append-only audit log."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from frontline.core.roles import role_choices, role_label

# Each path segment is a node id, zero-padded, so paths of one depth sort and
# compare as numbers in every collation: "this node and below" is one range scan.
PATH_SEGMENT = 10


class NodeKind(models.TextChoices):
    DISTRICT = "district", "区"
    TOWN = "town", "镇/街道/开发区"
    VILLAGE = "village", "村/社区"
    GRID = "grid", "网格"
    ENTERPRISE = "enterprise", "企业"


# Which kinds a node of each kind may sit under (None: a root).
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    NodeKind.DISTRICT: {None},
    NodeKind.TOWN: {NodeKind.DISTRICT},
    NodeKind.VILLAGE: {NodeKind.TOWN},
    NodeKind.GRID: {NodeKind.TOWN, NodeKind.VILLAGE},
    NodeKind.ENTERPRISE: {NodeKind.GRID},
}


def subtree_bounds(path: str) -> tuple[str, str]:
    """The [low, high) range of paths at and below the node with this path."""
    head, last = path[:-PATH_SEGMENT], int(path[-PATH_SEGMENT:])
    return path, f"{head}{last + 1:0{PATH_SEGMENT}d}"


class Node(models.Model):
    """A place in the jurisdiction tree: district, town, village, grid or enterprise."""

    kind = models.CharField("类型", max_length=16, choices=NodeKind.choices)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "辖区节点"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="node_unique_name_under_parent"
            ),
        ]
        indexes = [models.Index(fields=["kind", "path"], name="node_kind_path")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind not in ALLOWED_PARENT_KINDS.get(self.kind, set()):
            under = self.parent.get_kind_display() if self.parent_id else "顶层"
            raise ValidationError({"parent": f"{self.get_kind_display()}不能建在{under}之下"})

    @property
    def bounds(self) -> tuple[str, str]:
        return subtree_bounds(self.path)

    def is_within(self, other: "Node") -> bool:
        """True when this node is `other` or below it."""
        low, high = other.bounds
        return low <= self.path < high

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this node, read from the path without a query."""
        return [
            int(self.path[i : i + PATH_SEGMENT]) for i in range(0, len(self.path), PATH_SEGMENT)
        ]


class User(AbstractUser):
    """A person who signs in: cadre, grid worker, health worker, leader, volunteer…"""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    # Bumped whenever what the user's roles grant changes (a role given or taken, a node
    # of theirs moved or deactivated): the key of the per-process cache of role paths.
    roles_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "账号"

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role a user holds at one node; it reaches that node's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=32, choices=role_choices)
    node = models.ForeignKey(
        Node, verbose_name="所在辖区", on_delete=models.PROTECT, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="role_unique_per_node"),
        ]

    def __str__(self) -> str:
        return f"{self.node.name} · {self.get_role_display()}"


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now: datetime) -> "ApiTokenQuerySet":
        """Tokens neither past their absolute expiry nor idle longer than the timeout."""
        idle = timedelta(seconds=settings.API_TOKEN_IDLE_SECONDS)
        return self.filter(expires_at__gt=now, last_used_at__gt=now - idle)


class ApiToken(models.Model):
    """A bearer token for the mobile API; only its SHA-256 digest is stored.

    It dies when idle for too long, at its absolute expiry, or when revoked (deleted): by
    its owner, at the API's logout, at a password change and at deactivation.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    # What the owner sees in the list of their devices: a name the client gave, or its
    # User-Agent; never the token.
    label = models.CharField("设备", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Written at most once a minute (core/api.py): the idle timeout's clock.
    last_used_at = models.DateTimeField("最近使用")
    expires_at = models.DateTimeField()

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} 的令牌"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEvent(models.Model):
    """One append-only audit row: who, under which role and node, did what to which object.

    Personal values are never written here, only the names of the fields touched.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("操作人", max_length=150)
    role = models.CharField("角色", max_length=32, blank=True)
    node = models.ForeignKey(Node, null=True, on_delete=models.PROTECT, related_name="+")
    # Indexed once, for prefixes (the log's filter) and equality alike (Meta): a CharField
    # with db_index gets two indexes on PostgreSQL, and every write adds an audit row.
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    fields = models.JSONField("涉及字段", default=list, blank=True)
    reason = models.CharField("理由", max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # PostgreSQL's pattern operators serve `LIKE 'prefix%'` and `=`; elsewhere the
            # operator class is ignored and this is a plain index.
            models.Index(fields=["action"], name="audit_action", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除")

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def action_label(self) -> str:
        """What the action means in Chinese (rows written before actions were registered
        keep their old names, shown as written)."""
        from frontline.core.registry import registry

        return registry().audit_actions.get(self.action, self.action)


# Every app's spreadsheet imports, in a module of their own (core/staged_import/); imported
# here, last, so that Django finds the model among core's.
from frontline.core.staged_import.models import ImportStatus, StagedImport  # noqa: E402, F401
