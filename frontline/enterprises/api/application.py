"""The 123456 application: start, answer an item (with its evidence file), submit, review,
approve, return."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from frontline.core.limits import Id
from frontline.core.scoping import get_visible_or_404
from frontline.enterprises import selectors, services
from frontline.enterprises.api.common import _enterprise, router
from frontline.enterprises.forms import AnswerForm
from frontline.enterprises.models import Application


class AnswerOut(Schema):
    item_id: int
    heading: str
    text: str
    evidence_required: bool
    round: int
    meets: bool
    evidence: str
    # Where the photo or PDF is served (scoped), when the item has one.
    evidence_file_url: str | None
    grid_verdict: str
    grid_note: str
    return_reason: str

    @staticmethod
    def resolve_heading(obj) -> str:
        return obj.item.get_heading_display()

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.item.text

    @staticmethod
    def resolve_evidence_required(obj) -> bool:
        return obj.item.evidence_required

    @staticmethod
    def resolve_evidence_file_url(obj) -> str | None:
        if not obj.evidence_file:
            return None
        return reverse("enterprises:evidence", args=[obj.pk])


class ApplicationOut(Schema):
    id: int
    enterprise_id: int
    state: str
    state_label: str
    mode: str
    mode_label: str
    round: int
    approved_on: dt.date | None
    answers: list[AnswerOut]

    @staticmethod
    def resolve_state_label(obj: Application) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_mode_label(obj: Application) -> str:
        return obj.get_mode_display()

    @staticmethod
    def resolve_answers(obj: Application) -> list:
        return [a for answers in selectors.answers_by_round(obj).values() for a in answers]


def _application(request: HttpRequest, application_id: int, permission: str) -> Application:
    return get_visible_or_404(
        selectors.applications_for(request.user, permission), pk=application_id
    )


@router.post(
    "enterprises/{int:enterprise_id}/applications",
    response={200: ApplicationOut, 201: ApplicationOut},
    summary="开始复工申请（企业本人为网上办，干部代填为帮代办）",
)
def enterprises_application_start(request: HttpRequest, enterprise_id: int):
    enterprise = _enterprise(request, enterprise_id, "enterprises.file")
    existed = selectors.application_of(enterprise) is not None
    application = services.application_start(actor=request.user, enterprise=enterprise)
    return Status(200 if existed else 201, application)


class AnswerIn(Schema):
    meets: bool
    evidence: str = Field("", max_length=500)


def _item(application: Application, item_id: int):
    """An item of the enterprise's own checklist, else 404."""
    items = {i.pk: i for i in selectors.checklist_for(application.enterprise)}
    if item_id not in items:
        raise HttpError(404, "未找到")
    return items[item_id]


@router.put(
    "applications/{int:application_id}/items/{int:item_id}",
    response=AnswerOut,
    summary="自评一个检查项（附佐证说明；附件见 …/evidence）",
)
def applications_answer(request: HttpRequest, application_id: int, item_id: int, payload: AnswerIn):
    application = _application(request, application_id, "enterprises.file")
    return services.answer_save(
        actor=request.user,
        application=application,
        item=_item(application, item_id),
        **payload.dict(),
    )


# A file travels as multipart/form-data, which Django reads for POST only: the PUT above
# stays JSON for its clients, and this POST takes the item's answer with its file.
@router.post(
    "applications/{int:application_id}/items/{int:item_id}/evidence",
    response=AnswerOut,
    summary="自评一个检查项并上传佐证附件（照片或 PDF，multipart/form-data，≤10 MB）",
)
def applications_answer_evidence(
    request: HttpRequest,
    application_id: int,
    item_id: int,
    payload: Form[AnswerIn],
    evidence_file: File[UploadedFile],
):
    application = _application(request, application_id, "enterprises.file")
    item = _item(application, item_id)
    # The web form's own checks: the file's kind by its first bytes, its size, and the
    # Chinese message naming the field.
    form = AnswerForm(payload.dict(), {"evidence_file": evidence_file})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return services.answer_save(
        actor=request.user, application=application, item=item, **form.cleaned_data
    )


@router.post("applications/{int:application_id}/submit", response=ApplicationOut, summary="提交")
def applications_submit(request: HttpRequest, application_id: int):
    application = _application(request, application_id, "enterprises.file")
    return services.application_submit(actor=request.user, application=application)


class VerdictIn(Schema):
    item_id: Id
    verdict: str = Field(max_length=6, pattern="^(ok|not_ok)$")
    note: str = Field("", max_length=200)


class ReviewIn(Schema):
    items: list[VerdictIn] = Field(max_length=200)


@router.post(
    "applications/{int:application_id}/review",
    response=ApplicationOut,
    summary="网格逐项审核（有不符合即退回）",
)
def applications_review(request: HttpRequest, application_id: int, payload: ReviewIn):
    application = _application(request, application_id, "enterprises.review")
    verdicts = {v.item_id: (v.verdict, v.note) for v in payload.items}
    return services.application_review(
        actor=request.user, application=application, verdicts=verdicts
    )


@router.post("applications/{int:application_id}/approve", response=ApplicationOut, summary="批准")
def applications_approve(request: HttpRequest, application_id: int):
    application = _application(request, application_id, "enterprises.approve")
    return services.application_approve(actor=request.user, application=application)


class ReasonIn(Schema):
    item_id: Id
    reason: str = Field(max_length=200)


class ReturnIn(Schema):
    items: list[ReasonIn] = Field(max_length=200)


@router.post(
    "applications/{int:application_id}/return",
    response=ApplicationOut,
    summary="退回（逐项写明理由）",
)
def applications_return(request: HttpRequest, application_id: int, payload: ReturnIn):
    application = selectors.application_to_return(request.user, application_id)
    reasons = {r.item_id: r.reason for r in payload.items}
    return services.application_return(actor=request.user, application=application, reasons=reasons)
