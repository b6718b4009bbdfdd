"""The resumption application: rounds, self-assessment, review, approval or return."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core.audit import audit_record
from frontline.core.models import User
from frontline.core.roles import Role
from frontline.core.scoping import require_permission_at, roles_held
from frontline.enterprises.models import (
    Answer,
    Application,
    AppState,
    ChecklistItem,
    Enterprise,
    FilingMode,
    Verdict,
)
from frontline.enterprises.selectors import checklist_for


def _is_own_enterprise(actor: User, enterprise: Enterprise) -> bool:
    """Whether the actor is this enterprise's own contact (a role held at the enterprise)."""
    return any(
        role == Role.ENTERPRISE_CONTACT and path == enterprise.node.path
        for role, path in roles_held(actor)
    )


@transaction.atomic
def application_start(*, actor: User, enterprise: Enterprise) -> Application:
    """Open the enterprise's application: 网上办 when its contact files, 帮代办 when a cadre
    files for it (recorded, and shown to the enterprise)."""
    require_permission_at(actor, "enterprises.file", enterprise.node)
    existing = Application.objects.filter(enterprise=enterprise).first()
    if existing is not None:
        return existing
    own = _is_own_enterprise(actor, enterprise)
    application = Application(
        enterprise=enterprise,
        mode=FilingMode.ONLINE if own else FilingMode.PROXY,
        filed_by=actor,
    )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="enterprises.application.start",
        obj=application,
        node=enterprise.node,
        fields=["mode"],
    )
    return application


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("enterprise__node")
        .get(pk=application.pk)
    )


@transaction.atomic
def answer_save(
    *,
    actor: User,
    application: Application,
    item: ChecklistItem,
    meets: bool,
    evidence: str = "",
    evidence_file=None,
) -> Answer:
    """The enterprise's self-assessment of one item in the current round; evidence is a
    text, a photo or a PDF (checked by the form: type by signature, size). A new file
    replaces the round's; none keeps it."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.file", node)
    if application.state not in (AppState.DRAFT, AppState.RETURNED):
        raise ValidationError(f"申请{application.get_state_display()}，不能修改")
    if item.pk not in {i.pk for i in checklist_for(application.enterprise)}:
        raise ValidationError({"item": "这一项不在本企业的检查清单中"})
    evidence = evidence.strip()
    answer, _ = Answer.objects.get_or_create(
        application=application, item=item, round=application.round
    )
    has_file = evidence_file is not None or bool(answer.evidence_file)
    if meets and item.evidence_required and not (evidence or has_file):
        raise ValidationError({"evidence": f"“{item.text}”须填写佐证说明或上传照片、PDF"})
    answer.meets = meets
    answer.evidence = evidence
    if evidence_file is not None:
        answer.evidence_file.save(evidence_file.name, evidence_file, save=False)
    answer.full_clean()
    answer.save()
    audit_record(
        actor=actor,
        action="enterprises.answer.save",
        obj=answer,
        node=node,
        fields=["meets", "evidence", *(["evidence_file"] if evidence_file is not None else [])],
    )
    return answer


def answers_of_round(application: Application, round_: int | None = None) -> dict[int, Answer]:
    rnd = application.round if round_ is None else round_
    return {a.item_id: a for a in application.answers.filter(round=rnd)}


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Send the current round for the grid's review: every item answered and met, with
    evidence where it is required."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.file", node)
    if application.state not in (AppState.DRAFT, AppState.RETURNED):
        raise ValidationError(f"申请{application.get_state_display()}，不能再提交")
    answers = answers_of_round(application)
    missing = [
        item.text
        for item in checklist_for(application.enterprise)
        if item.pk not in answers
        or not answers[item.pk].meets
        or (item.evidence_required and not answers[item.pk].has_evidence)
    ]
    if missing:
        raise ValidationError(
            {"items": f"还有 {len(missing)} 项未落实或缺佐证：{'、'.join(missing[:5])}"}
        )
    application.state = AppState.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["state", "submitted_at"])
    audit_record(
        actor=actor,
        action="enterprises.application.submit",
        obj=application,
        node=node,
        fields=["state"],
    )
    return application


def _verdicts(application: Application, verdicts: dict[int, tuple[str, str]]) -> dict:
    answers = answers_of_round(application)
    unknown = set(verdicts) - set(answers)
    if unknown:
        raise ValidationError({"items": "审核了不在本轮申请中的检查项"})
    return answers


@transaction.atomic
def application_review(
    *, actor: User, application: Application, verdicts: dict[int, tuple[str, str]]
) -> Application:
    """The grid leader's word on every item: all 符合 sends it to the town; any 不符合 returns
    it to the enterprise with the notes as reasons."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.review", node)
    if application.state != AppState.SUBMITTED:
        raise ValidationError(f"申请{application.get_state_display()}，不在网格审核环节")
    answers = _verdicts(application, verdicts)
    unreviewed = [a.item.text for item_id, a in answers.items() if item_id not in verdicts]
    if unreviewed:
        raise ValidationError({"items": f"请逐项审核：{'、'.join(unreviewed[:5])}"})
    failed = {}
    for item_id, (verdict, note) in verdicts.items():
        if verdict not in Verdict.values:
            raise ValidationError({"verdict": "审核结论只能是“符合”或“不符合”"})
        if verdict == Verdict.NOT_OK and not note.strip():
            raise ValidationError({"note": f"“{answers[item_id].item.text}”不符合，请写明理由"})
        answer = answers[item_id]
        answer.grid_verdict = verdict
        answer.grid_note = note.strip()
        answer.full_clean()
        answer.save(update_fields=["grid_verdict", "grid_note", "updated_at"])
        if verdict == Verdict.NOT_OK:
            failed[item_id] = note.strip()
    if failed:
        return _return(actor, application, failed, by="review")
    application.state = AppState.REVIEWED
    application.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="enterprises.application.review",
        obj=application,
        node=node,
        fields=["state", "grid_verdict", "grid_note"],
    )
    return application


def _return(actor: User, application: Application, reasons: dict[int, str], by: str):
    """Close the round with a reason on each item sent back and open the next round with
    the same answers, so the enterprise fixes only what was returned."""
    answers = answers_of_round(application)
    for item_id, reason in reasons.items():
        answer = answers[item_id]
        answer.return_reason = reason
        answer.full_clean()
        answer.save(update_fields=["return_reason", "updated_at"])
    application.round += 1
    application.state = AppState.RETURNED
    application.save(update_fields=["round", "state"])
    Answer.objects.bulk_create(
        Answer(
            application=application,
            item_id=a.item_id,
            round=application.round,
            # A returned item starts again unmet: the enterprise must look at it.
            meets=a.meets and a.item_id not in reasons,
            evidence=a.evidence,
            evidence_file=a.evidence_file.name,
        )
        for a in answers.values()
    )
    audit_record(
        actor=actor,
        action="enterprises.application.return",
        obj=application,
        node=application.enterprise.node,
        fields=["state", "round", "return_reason"],
        reason=f"{by}: {len(reasons)} 项",
    )
    return application


@transaction.atomic
def application_return(
    *, actor: User, application: Application, reasons: dict[int, str]
) -> Application:
    """Send the application back with a reason per item: the grid while reviewing, the town
    while approving."""
    application = _lock(application)
    node = application.enterprise.node
    if application.state == AppState.SUBMITTED:
        require_permission_at(actor, "enterprises.review", node)
    elif application.state == AppState.REVIEWED:
        require_permission_at(actor, "enterprises.approve", node)
    else:
        raise ValidationError(f"申请{application.get_state_display()}，不能退回")
    reasons = {item_id: reason.strip() for item_id, reason in reasons.items()}
    if not reasons:
        raise ValidationError({"items": "请至少选择一项并写明退回理由"})
    answers = _verdicts(application, reasons)
    empty = [answers[i].item.text for i, reason in reasons.items() if not reason]
    if empty:
        raise ValidationError({"reason": f"请写明退回理由：{'、'.join(empty)}"})
    return _return(actor, application, reasons, by="return")


@transaction.atomic
def application_approve(*, actor: User, application: Application) -> Application:
    """The town's approval: the enterprise counts as resumed from today."""
    application = _lock(application)
    node = application.enterprise.node
    require_permission_at(actor, "enterprises.approve", node)
    if _is_own_enterprise(actor, application.enterprise):
        raise ValidationError("不能批准本人所在企业的复工申请")
    if application.state != AppState.REVIEWED:
        raise ValidationError(f"申请{application.get_state_display()}，须先经网格审核")
    application.state = AppState.APPROVED
    application.approved_on = timezone.localdate()
    application.save(update_fields=["state", "approved_on"])
    audit_record(
        actor=actor,
        action="enterprises.application.approve",
        obj=application,
        node=node,
        fields=["state", "approved_on"],
    )
    return application
