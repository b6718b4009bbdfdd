"""Residents, households (户) and tags (the roster imports are core's StagedImport rows)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from frontline.core.models import Node
from frontline.core.personal_data import (
    decrypt,
    id_number_mask,
    phone_display,
    phone_mask,
)


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙辈"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class Tag(models.Model):
    """A label on residents (党员, 孤寡老人 …); administrators extend the list."""

    name = models.CharField("名称", max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "人员标签"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household (户) of a village, known by its number within the village."""

    # No index of its own: household_number_per_node leads with the node.
    node = models.ForeignKey(
        Node,
        verbose_name="所在村/社区",
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,
    )
    number = models.CharField("户号", max_length=30)
    address = models.CharField("住址", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "户"
        ordering = ["node", "number"]
        constraints = [
            models.UniqueConstraint(fields=["node", "number"], name="household_number_per_node"),
        ]

    def __str__(self) -> str:
        return f"{self.number} 户"


# A resident's notes (the form's limit) and the tags one resident carries, in the API too.
NOTES_MAX = 2000
TAGS_MAX = 50


class Resident(models.Model):
    """A resident of a village or grid; ID number and phone are stored encrypted.

    `id_hash` and `phone_hash` are keyed hashes (HMAC) of the normalised values:
    exact search and one-resident-per-ID without the value in the database.
    """

    name = models.CharField("姓名", max_length=50)
    # Blank only for a person met at a barrier without papers (control's hand-over): the
    # ID is added later, and the record then completes (or merges onto the one with it).
    id_cipher = models.CharField(max_length=128, blank=True, editable=False)
    # Unique through Meta.constraints, not unique=True: on PostgreSQL the field option adds a
    # second (LIKE) index that an exact hash never uses and every insert would maintain.
    id_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_cipher = models.CharField(max_length=128, blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_last4 = models.CharField(max_length=4, blank=True, editable=False)
    # Both read from the ID number: unknown until it is added.
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    node = models.ForeignKey(
        Node,
        verbose_name="所在村/网格",
        on_delete=models.PROTECT,
        related_name="residents",
        db_index=False,  # resident_node_id (node, id) serves every lookup by node
    )
    household = models.ForeignKey(
        Household,
        verbose_name="户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices, blank=True)
    tags = models.ManyToManyField(
        Tag, verbose_name="标签", blank=True, related_name="residents", through="ResidentTag"
    )
    notes = models.TextField(
        "备注",
        blank=True,
        validators=[MaxLengthValidator(NOTES_MAX, f"备注最多 {NOTES_MAX} 个字")],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "居民"
        ordering = ["pk"]
        constraints = [
            # One resident per ID number in the whole installation (those still without
            # one are many).
            models.UniqueConstraint(
                fields=["id_hash"], condition=~Q(id_hash=""), name="resident_id_hash_unique"
            ),
        ]
        indexes = [
            # The list reads "residents of these nodes, in order": one index range per node.
            models.Index(fields=["node", "id"], name="resident_node_id"),
            # Name search is a prefix within the user's nodes: per node, one index range
            # that also answers the capped count without reading rows (a name shared by
            # 11,000 of a million residents: page and count 24 → 3 ms on SQLite, the
            # count 18 → 2 ms on PostgreSQL). Pattern ops: LIKE 'x%' from the index.
            models.Index(
                fields=["node", "name"],
                name="resident_node_name",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
            # Phone tail search, and exact phone search (tail first, then the keyed hash).
            models.Index(fields=["phone_last4"], name="resident_phone_last4"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        """The whole ID number (blank when not yet known): only for a permitted, audited
        unmask."""
        return decrypt(self.id_cipher) if self.id_cipher else ""

    @property
    def has_id_number(self) -> bool:
        return bool(self.id_hash)

    @property
    def phone(self) -> str:
        """The whole phone in E.164 (blank when none): only for a permitted, audited unmask."""
        return decrypt(self.phone_cipher) if self.phone_cipher else ""

    @property
    def id_number_masked(self) -> str:
        return id_number_mask(self.id_number) if self.id_cipher else "待补"

    @property
    def phone_masked(self) -> str:
        return phone_mask(self.phone) if self.phone_cipher else ""

    @property
    def phone_shown(self) -> str:
        return phone_display(self.phone) if self.phone_cipher else ""


class ResidentTag(models.Model):
    """One tag on one resident: the link table of `Resident.tags`, declared so that it keeps
    only the indexes its queries use."""

    # No index of its own: the unique (resident, tag) index leads with the resident. Django's
    # implicit link table kept both, and a roster's tag links maintained the second for nothing.
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "people_resident_tags"  # the implicit table's name: no data moves
        unique_together = [("resident", "tag")]

    def __str__(self) -> str:
        return f"{self.resident_id}:{self.tag_id}"
