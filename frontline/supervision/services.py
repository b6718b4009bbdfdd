"""Writes for supervision: groups, rubrics, inspections and findings, the published 红黑榜,
honours, cadre records and typed holiday duty; each in one transaction, each audited."""

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from frontline.checkpoints import public as checkpoints
from frontline.control import public as control
from frontline.core.audit import audit_record
from frontline.core.idempotency import idempotent_answer, request_digest
from frontline.core.models import Node, NodeKind, User
from frontline.core.scoping import require_permission_at, user_can
from frontline.core.uploads import image_media_type
from frontline.supervision import ranking as ranking_rules
from frontline.supervision.models import (
    PHOTO_MAX_BYTES,
    THREE_MECHANISMS,
    CadreRecord,
    Finding,
    FindingStatus,
    HolidayDuty,
    Honour,
    HonourKind,
    Inspection,
    InspectionGroup,
    Ranking,
    RankingWeights,
    Rubric,
    RubricItem,
    TargetKind,
)
from frontline.supervision.selectors import group_covers


def photo_check(data: bytes | None, field: str = "photo") -> tuple[bytes | None, str]:
    """A photo's bytes and type; anything but a JPEG, PNG or WebP under 2 MB is refused."""
    if not data:
        return None, ""
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError({field: "照片不能超过 2 MB"})
    kind = image_media_type(data)
    if not kind:
        raise ValidationError({field: "照片须为 JPG、PNG 或 WebP 图片"})
    return bytes(data), kind


# ---------------------------------------------------------------- groups and rubrics


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


# ---------------------------------------------------------------- inspections


def target_resolve(target_kind: str, target_id: int) -> tuple[Node, str]:
    """The node and label of an inspection target; an unknown id is 404."""
    found = None
    try:
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise Http404("未找到") from None
    if target_kind == TargetKind.CHECKPOINT:
        found = checkpoints.checkpoint_place(target_id)
    elif target_kind == TargetKind.ISOLATION:
        found = control.isolation_place(target_id)
    elif target_kind in (TargetKind.VILLAGE, TargetKind.ENTERPRISE):
        kind = NodeKind.VILLAGE if target_kind == TargetKind.VILLAGE else NodeKind.ENTERPRISE
        node = Node.objects.filter(pk=target_id, kind=kind, is_active=True).first()
        found = (node, node.name) if node else None
    else:
        raise ValidationError({"target_kind": "检查对象类型不正确"})
    if found is None:
        raise Http404("未找到")
    return found


def inspection_create(
    *,
    actor: User,
    group: InspectionGroup,
    rubric: Rubric,
    target_kind: str,
    target_id: int,
    scores: dict,
    findings: list[dict] = (),
    idempotency_key: str,
    note: str = "",
    at: datetime | None = None,
) -> tuple[Inspection, bool]:
    """Record an inspection with a score per rubric item and its findings.

    Returns (inspection, created). The same key from the same inspector returns the
    stored inspection; the same key with a different body is refused (IdempotencyConflict, 409).
    A target outside the inspector's scope does not exist (404); one inside it but outside
    the group's scope is refused by name.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 64:
        raise ValidationError({"idempotency_key": "缺少请求编号（idempotency_key），最长 64 字符"})
    findings = [dict(f) for f in findings]
    digest = request_digest(
        group=group.pk,
        rubric=rubric.pk,
        kind=target_kind,
        target=int(target_id),
        scores={str(k): v for k, v in scores.items()},
        findings=[{k: v for k, v in f.items() if k != "photo"} for f in findings],
        note=note,
    )
    stored = Inspection.objects.filter(inspector=actor, idempotency_key=key).first()
    if stored is not None:
        return idempotent_answer(stored, digest), False
    node, label = target_resolve(target_kind, target_id)
    if not user_can(actor, "supervision.inspect", node):
        raise Http404("未找到")
    if not group.members.filter(pk=actor.pk).exists():
        raise ValidationError({"group": f"您不是“{group.name}”的成员"})
    if not group_covers(group, node):
        raise ValidationError({"target_id": f"“{label}”不在“{group.name}”的督查范围内"})
    if rubric.target_kind != target_kind or not rubric.is_active:
        raise ValidationError({"rubric_id": "评分表与检查对象类型不符"})
    items = list(rubric.items.all())
    given = {str(k): v for k, v in scores.items()}
    errors, total, scores_clean = [], 0, {}
    for item in items:
        raw = given.pop(str(item.pk), None)
        if raw is None or raw == "":
            errors.append(f"“{item.text}”未打分")
            continue
        try:
            points = int(raw)
        except (TypeError, ValueError):
            errors.append(f"“{item.text}”的得分须为整数")
            continue
        if points < 0 or points > item.points:
            errors.append(f"“{item.text}”最多 {item.points} 分，不能打 {points} 分")
            continue
        total += points
        scores_clean[str(item.pk)] = points
    if given:
        errors.append("有不属于该评分表的评分项")
    if errors:
        raise ValidationError({"scores": errors})
    now = at or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        inspection = Inspection(
            group=group,
            rubric=rubric,
            target_kind=target_kind,
            target_id=int(target_id),
            target_label=label[:100],
            node=node,
            inspected_at=now,
            day=today,
            inspector=actor,
            scores=scores_clean,
            total=total,
            max_total=sum(item.points for item in items),
            note=note.strip(),
            idempotency_key=key,
            request_digest=digest,
        )
        inspection.full_clean(exclude=["group", "rubric", "node", "inspector"])
        try:
            with transaction.atomic():
                inspection.save()
        except IntegrityError:
            stored = Inspection.objects.filter(inspector=actor, idempotency_key=key).first()
            if stored is None:
                raise
            return idempotent_answer(stored, digest), False
        audit_record(
            actor=actor,
            action="supervision.inspection.create",
            obj=inspection,
            fields=["target", "scores", "findings"],
        )
        for index, spec in enumerate(findings):
            _finding_add(actor=actor, inspection=inspection, index=index, today=today, **spec)
    return inspection, True


def _finding_add(
    *,
    actor: User,
    inspection: Inspection,
    index: int,
    today: date,
    text: str,
    owner_id: int | None = None,
    deadline: date | None = None,
    photo: bytes | None = None,
) -> Finding:
    prefix = f"第 {index + 1} 个问题："
    owner = None
    if owner_id:
        owner = User.objects.filter(pk=owner_id, is_active=True).first()
        if owner is None or not user_can(owner, "supervision.rectify", inspection.node):
            raise ValidationError(
                {"findings": f"{prefix}整改责任人须是{inspection.node.name}能整改的人员"}
            )
    if deadline is not None and deadline < today:
        raise ValidationError({"findings": f"{prefix}整改期限不能早于今天"})
    data, kind = photo_check(photo, "findings")
    finding = Finding(
        inspection=inspection,
        node=inspection.node,
        text=(text or "").strip(),
        owner=owner,
        deadline=deadline,
        photo=data,
        photo_type=kind,
    )
    try:
        finding.full_clean(exclude=["inspection", "node", "owner"])
    except ValidationError as error:
        raise ValidationError({"findings": [prefix + m for m in error.messages]}) from None
    finding.save()
    audit_record(
        actor=actor,
        action="supervision.finding.create",
        obj=finding,
        fields=["text", "owner", "deadline", *(["photo"] if data else [])],
    )
    return finding


@transaction.atomic
def finding_rectify(
    *, actor: User, finding: Finding, evidence: str, photo: bytes | None = None
) -> Finding:
    """Close a finding with what was done (and a photo where there is one): never without."""
    require_permission_at(actor, "supervision.rectify", finding.node)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.OPEN:
        raise ValidationError("该问题已整改，不能重复整改")
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": "请填写整改情况（整改证据），没有证据不能销号"})
    data, kind = photo_check(photo, "evidence_photo")
    finding.evidence = evidence
    finding.evidence_photo, finding.evidence_photo_type = data, kind
    finding.status = FindingStatus.RECTIFIED
    finding.rectified_at = timezone.now()
    finding.rectified_by = actor
    finding.full_clean(exclude=["inspection", "node", "owner", "rectified_by"])
    finding.save()
    audit_record(
        actor=actor,
        action="supervision.finding.rectify",
        obj=finding,
        fields=["evidence", "status", *(["evidence_photo"] if data else [])],
    )
    return finding


@transaction.atomic
def finding_reinspect(*, actor: User, finding: Finding, deadline: date) -> Finding:
    """A re-inspection found the problem still there: counted, with a new deadline."""
    require_permission_at(actor, "supervision.inspect", finding.node)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status != FindingStatus.OPEN:
        raise ValidationError("该问题已整改")
    if deadline is None or deadline < timezone.localdate():
        raise ValidationError({"deadline": "新的整改期限不能早于今天"})
    finding.reinspections += 1
    finding.deadline = deadline
    finding.save(update_fields=["reinspections", "deadline"])
    audit_record(
        actor=actor, action="supervision.finding.reinspect", obj=finding, fields=["deadline"]
    )
    return finding


# ---------------------------------------------------------------- 红黑榜 and honours


def ranking_handle(*, node: Node, period_kind: str, day: date) -> Ranking:
    """The list of a node's period as a row the API can name by id: the published one, or
    an empty handle (not published, nothing frozen) made the first time it is asked for."""
    period = ranking_rules.period_of(period_kind, day)
    found = Ranking.objects.filter(node=node, period_kind=period.kind, start=period.start).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            handle = Ranking(node=node, period_kind=period.kind, start=period.start, end=period.end)
            handle.save()
            return handle
    except IntegrityError:
        # Two readers asked at once: the other one made it.
        return Ranking.objects.get(node=node, period_kind=period.kind, start=period.start)


@transaction.atomic
def ranking_publish(
    *, actor: User, node: Node, period_kind: str, start: date, at: datetime | None = None
) -> Ranking:
    """Freeze the list of a period as computed now, with the weights in force, who published
    it and when. One list per node and period; a published list never changes."""
    require_permission_at(actor, "supervision.manage", node)
    period = ranking_rules.period_of(period_kind, start)
    if period.end >= timezone.localdate(at or timezone.now()):
        raise ValidationError({"start": "本期尚未结束，期满后才能发布"})
    handle = ranking_handle(node=node, period_kind=period.kind, day=period.start)
    if handle.is_published:
        raise ValidationError({"start": "该期红黑榜已发布，发布后不能修改"})
    table = ranking_rules.compute(node, period)
    frozen = {
        "rows": table.rows_json(),
        "weights": table.weights,
        "formula": table.formula,
        "published_by": actor,
        "published_at": at or timezone.now(),
    }
    probe = Ranking(node=node, period_kind=period.kind, start=period.start, end=period.end)
    for name, value in frozen.items():
        setattr(probe, name, value)
    probe.full_clean(exclude=["node", "published_by"], validate_unique=False)
    # The one write a list ever gets: only while it is still unpublished (a second publisher
    # racing this one updates nothing and is refused).
    updated = Ranking.objects.filter(pk=handle.pk, published_at__isnull=True).update(**frozen)
    if not updated:
        raise ValidationError({"start": "该期红黑榜已发布，发布后不能修改"})
    ranking = Ranking.objects.select_related("published_by").get(pk=handle.pk)
    audit_record(
        actor=actor, action="supervision.ranking.publish", obj=ranking, fields=["rows", "weights"]
    )
    return ranking


@transaction.atomic
def ranking_weights_set(*, actor: User, node: Node, weights: dict) -> RankingWeights:
    """Store the weights a node's lists are computed with from now on; each kind's parts
    are whole numbers 0–100 summing to 100. Lists already published keep theirs."""
    require_permission_at(actor, "supervision.manage", node)
    clean: dict[str, dict[str, int]] = {}
    errors = []
    for kind, defaults in ranking_rules.WEIGHTS.items():
        label = TargetKind(kind).label
        given = (weights or {}).get(str(kind)) or {}
        parts = {}
        for part in defaults:
            raw = given.get(part)
            try:
                value = int(raw)
            except (TypeError, ValueError):
                errors.append(f"{label}·{ranking_rules.PARTS[part]}：请填写 0–100 的整数")
                continue
            if not 0 <= value <= 100:
                errors.append(f"{label}·{ranking_rules.PARTS[part]}：须在 0–100 之间")
                continue
            parts[part] = value
        if len(parts) == len(defaults) and sum(parts.values()) != 100:
            errors.append(f"{label}的权重合计须为 100，现为 {sum(parts.values())}")
        clean[str(kind)] = parts
    if errors:
        raise ValidationError({"weights": errors})
    stored, _ = RankingWeights.objects.update_or_create(
        node=node, defaults={"weights": clean, "updated_by": actor}
    )
    audit_record(actor=actor, action="supervision.weights.update", obj=stored, fields=["weights"])
    return stored


@transaction.atomic
def honour_grant(
    *, actor: User, kind: HonourKind, ranking: Ranking, target_kind: str, target_id: int
) -> Honour:
    """Grant a title to a village or checkpoint on the red list of a published ranking."""
    require_permission_at(actor, "supervision.manage", ranking.node)
    if kind.target_kind != target_kind:
        raise ValidationError(
            {"target_kind": f"“{kind.name}”只授予{kind.get_target_kind_display()}"}
        )
    row = next(
        (
            r
            for r in ranking.rows
            if r["target_kind"] == target_kind and r["target_id"] == int(target_id)
        ),
        None,
    )
    if row is None:
        raise ValidationError({"target_id": "该对象不在这期红黑榜上"})
    if row["list"] != "red":
        raise ValidationError({"target_id": f"“{row['label']}”不在红榜上，不能授予{kind.name}"})
    if Honour.objects.filter(
        kind=kind, ranking=ranking, target_kind=target_kind, target_id=row["target_id"]
    ).exists():
        raise ValidationError({"target_id": f"“{row['label']}”已获{kind.name}"})
    honour = Honour(
        kind=kind,
        ranking=ranking,
        target_kind=target_kind,
        target_id=row["target_id"],
        target_label=row["label"],
        node_id=row["node_id"],
        granted_by=actor,
    )
    honour.save()
    audit_record(actor=actor, action="supervision.honour.grant", obj=honour, fields=["kind"])
    return honour


@transaction.atomic
def honour_kind_create(*, actor: User | None, name: str, target_kind: str) -> HonourKind:
    """A new title (besides 示范村 and 标杆卡口) that lists may grant."""
    kind = HonourKind(name=name.strip(), target_kind=target_kind)
    kind.full_clean()
    kind.save()
    audit_record(actor=actor, action="supervision.honour_kind.create", obj=kind, fields=["name"])
    return kind


# ---------------------------------------------------------------- cadres


@transaction.atomic
def cadre_record_create(
    *,
    actor: User,
    node: Node,
    kind: str,
    cadre_name: str,
    day: date,
    reason: str,
    evidence: str = "",
    position: str = "",
    cadre: User | None = None,
    inspection: Inspection | None = None,
) -> CadreRecord:
    """Praise, accountability (约谈, 通报批评, 诫勉…) or a 三项机制 action for a cadre."""
    require_permission_at(actor, "supervision.cadre_records", node)
    if inspection is not None and not inspection.node.path.startswith(node.path):
        raise ValidationError({"inspection": "相关督查须在该辖区内"})
    if kind not in THREE_MECHANISMS and not (reason or "").strip():
        raise ValidationError({"reason": "请填写事由"})
    record = CadreRecord(
        node=node,
        kind=kind,
        cadre_name=cadre_name.strip(),
        cadre=cadre,
        position=position.strip(),
        day=day,
        reason=reason.strip(),
        evidence=evidence.strip(),
        inspection=inspection,
        created_by=actor,
    )
    record.full_clean(exclude=["node", "created_by", "cadre", "inspection"])
    record.save()
    audit_record(
        actor=actor,
        action="supervision.cadre_record.create",
        obj=record,
        fields=["kind", "cadre_name", "reason", "evidence"],
    )
    return record


@transaction.atomic
def holiday_duty_create(
    *, actor: User, node: Node, cadre_name: str, day: date, place: str
) -> HolidayDuty:
    """Type a cadre's day of holiday duty where no checkpoint check-in records it."""
    require_permission_at(actor, "supervision.duty", node)
    duty = HolidayDuty(
        node=node, cadre_name=cadre_name.strip(), day=day, place=place.strip(), created_by=actor
    )
    duty.full_clean(exclude=["node", "created_by"])
    try:
        with transaction.atomic():
            duty.save()
    except IntegrityError:
        raise ValidationError({"day": f"{duty.cadre_name} {day} 已登记"}) from None
    audit_record(
        actor=actor,
        action="supervision.duty.create",
        obj=duty,
        fields=["cadre_name", "day", "place"],
    )
    return duty
