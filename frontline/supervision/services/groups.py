"""Inspection groups and rubrics."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction

from frontline.core.audit import audit_record
from frontline.core.models import Node, User
from frontline.core.scoping import require_permission_at
from frontline.supervision.models import (
    Inspection,
    InspectionGroup,
    Rubric,
    RubricItem,
)


@transaction.atomic
def group_create(
    *, actor: User | None, node: Node, name: str, members: list[User], scope: list[Node]
) -> InspectionGroup:
    """Set up a 督察组 with its members and the nodes it may inspect (within its node)."""
    if actor is not None:
        require_permission_at(actor, "supervision.manage", node)
    outside = [place.name for place in scope if not place.path.startswith(node.path)]
    if outside:
        raise ValidationError({"scope": f"督查范围须在{node.name}之内：{'、'.join(outside)}"})
    if not scope:
        raise ValidationError({"scope": "请选择督查范围"})
    group = InspectionGroup(node=node, name=name.strip())
    group.full_clean()
    group.save()
    group.members.set(members)
    group.scope.set(scope)
    audit_record(
        actor=actor,
        action="supervision.group.create",
        obj=group,
        fields=["name", "members", "scope"],
    )
    return group


@transaction.atomic
def group_update(
    *, actor: User, group: InspectionGroup, name: str, members: list[User], scope: list[Node]
) -> InspectionGroup:
    """Rename a 督察组, change its members and the nodes it may inspect (within its node).
    Inspections it already made stay as they were."""
    require_permission_at(actor, "supervision.manage", group.node)
    node = group.node
    outside = [place.name for place in scope if not place.path.startswith(node.path)]
    if outside:
        raise ValidationError({"scope": f"督查范围须在{node.name}之内：{'、'.join(outside)}"})
    if not scope:
        raise ValidationError({"scope": "请选择督查范围"})
    if not members:
        raise ValidationError({"members": "请至少选择一名成员"})
    group = InspectionGroup.objects.select_for_update().get(pk=group.pk)
    changed = []
    if group.name != name.strip():
        group.name = name.strip()
        group.full_clean()
        group.save(update_fields=["name"])
        changed.append("name")
    if set(group.members.values_list("pk", flat=True)) != {m.pk for m in members}:
        group.members.set(members)
        changed.append("members")
    if set(group.scope.values_list("pk", flat=True)) != {n.pk for n in scope}:
        group.scope.set(scope)
        changed.append("scope")
    if changed:
        audit_record(actor=actor, action="supervision.group.update", obj=group, fields=changed)
    return group


def rubric_items_parse(text: str) -> list[tuple[str, int]]:
    """Items typed one a line as "检查内容 分值" (the points last, after a space, comma or
    colon); a line that is not is refused by its number."""
    items, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip()
        if not line:
            continue
        found = re.fullmatch(r"(.+?)[\s,:：|；;]*(\d{1,3})\s*分?", line)
        if found is None:
            errors.append(f"第 {number} 行：请写成“检查内容 分值”，如“人员在岗 20”")
            continue
        points = int(found.group(2))
        if not 1 <= points <= 100:
            errors.append(f"第 {number} 行：分值须在 1–100 之间")
            continue
        items.append((found.group(1).strip(" ，,:：|；;"), points))
    if errors:
        raise ValidationError({"items": errors})
    return items


@transaction.atomic
def rubric_update(
    *,
    actor: User,
    rubric: Rubric,
    name: str,
    items: list[tuple[str, int]],
    is_active: bool = True,
) -> Rubric:
    """Change a town's rubric. Once an inspection used it, its name and items are fixed (the
    scores given refer to them): it can only be stopped, and a new one set up."""
    if rubric.node is None:
        raise ValidationError("通用评分表由系统管理员维护；可以新建本辖区的评分表")
    require_permission_at(actor, "supervision.manage", rubric.node)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    current = [(item.text, item.points) for item in rubric.items.all()]
    wanted = [(text.strip(), points) for text, points in items]
    changed = []
    if name.strip() != rubric.name or wanted != current:
        if Inspection.objects.filter(rubric=rubric).exists():
            raise ValidationError(
                {"items": "已有检查使用这张评分表，不能再改名称和评分项；可以停用它，再新建一张"}
            )
        if not wanted:
            raise ValidationError({"items": "评分表至少要有一项"})
        rubric.name = name.strip()
        rubric.full_clean()
        rubric.items.all().delete()
        for order, (text, points) in enumerate(wanted):
            item = RubricItem(rubric=rubric, text=text, points=points, order=order)
            try:
                item.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    {"items": [f"第 {order + 1} 项：{m}" for m in error.messages]}
                ) from None
            item.save()
        changed += ["name", "items"]
    if rubric.is_active != is_active:
        rubric.is_active = is_active
        changed.append("is_active")
    if changed:
        rubric.save(update_fields=["name", "is_active"])
        audit_record(actor=actor, action="supervision.rubric.update", obj=rubric, fields=changed)
    return rubric


@transaction.atomic
def rubric_create(
    *, actor: User | None, node: Node, target_kind: str, name: str, items: list[tuple[str, int]]
) -> Rubric:
    """A rubric with its items and points; items are fixed once inspections use them."""
    if actor is not None:
        require_permission_at(actor, "supervision.manage", node)
    if not items:
        raise ValidationError({"items": "评分表至少要有一项"})
    rubric = Rubric(node=node, target_kind=target_kind, name=name.strip())
    rubric.full_clean()
    rubric.save()
    for order, (text, points) in enumerate(items):
        item = RubricItem(rubric=rubric, text=text.strip(), points=points, order=order)
        try:
            item.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {"items": [f"第 {order + 1} 项：{m}" for m in error.messages]}
            ) from None
        item.save()
    audit_record(actor=actor, action="supervision.rubric.create", obj=rubric, fields=["items"])
    return rubric
