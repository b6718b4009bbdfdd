"""Inspections, their scores and findings, rectification and re-inspection."""

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
from frontline.supervision.models import (
    Finding,
    FindingStatus,
    Inspection,
    InspectionGroup,
    Rubric,
    TargetKind,
)
from frontline.supervision.selectors import group_covers
from frontline.supervision.services.common import photo_check


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
