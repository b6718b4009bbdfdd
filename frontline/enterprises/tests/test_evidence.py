"""Evidence as a photo or a PDF on a checklist item, from the page or through the API: type
by signature, size bounded, stored under a random name, served only to those who may see
the application."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frontline.core.models import AuditEvent
from frontline.enterprises import services
from frontline.enterprises.forms import EVIDENCE_MAX_BYTES
from frontline.enterprises.models import Answer, AppState
from frontline.enterprises.tests.factories import (
    checklist_make,
    enterprise_make,
    reviewer_make,
    sector_make,
    uscc_next,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def filing(world):
    """The contact's own enterprise, its application started and an item needing evidence."""
    own = services.enterprise_register(
        actor=world.town_leader, node=world.enterprise, uscc=uscc_next(), sector=sector_make()
    )
    items = checklist_make(world)
    app = services.application_start(actor=world.enterprise_contact, enterprise=own)
    return app, items, next(i for i in items if i.evidence_required)


def _post(client, app, item, content, name="张三的健康承诺书.png", evidence=""):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(
        reverse("enterprises:answer_save", args=[app.pk, item.pk]),
        {"meets": "1", "evidence": evidence, "evidence_file": upload},
        follow=True,
    )


def test_a_photo_alone_is_evidence_enough_and_is_stored_under_a_random_name(world, login, filing):
    app, _items, item = filing
    client = login(world.enterprise_contact)
    _post(client, app, item, PNG)
    answer = Answer.objects.get(application=app, item=item)
    assert answer.meets and answer.evidence == ""
    stored = answer.evidence_file.name
    assert stored.endswith(".png") and "张三" not in stored and len(Path(stored).stem) >= 40
    assert (Path(settings.MEDIA_ROOT) / stored).read_bytes() == PNG
    page = client.get(reverse("enterprises:application", args=[app.enterprise_id]))
    assert "查看照片" in page.content.decode()
    served = client.get(reverse("enterprises:evidence", args=[answer.pk]))
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG


def test_a_pdf_is_downloaded_not_opened_in_the_page(world, login, filing):
    app, _items, item = filing
    client = login(world.enterprise_contact)
    _post(client, app, item, PDF, name="方案.pdf")
    answer = Answer.objects.get(application=app, item=item)
    served = client.get(reverse("enterprises:evidence", args=[answer.pk]))
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment")
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_program_named_png_is_refused_by_name_and_nothing_is_saved(world, login, filing):
    app, _items, item = filing
    response = _post(login(world.enterprise_contact), app, item, b"MZ\x90\x00" + b"\x00" * 60)
    assert "只能是 JPG、PNG、WebP 图片或 PDF 文件" in response.content.decode()
    assert not Answer.objects.filter(application=app, item=item).exists()


def test_a_file_over_ten_megabytes_is_refused(world, login, filing):
    app, _items, item = filing
    big = PNG + b"\x00" * (EVIDENCE_MAX_BYTES + 1 - len(PNG))
    response = _post(login(world.enterprise_contact), app, item, big)
    assert "不能超过 10 MB" in response.content.decode()
    assert not Answer.objects.filter(application=app, item=item).exists()


def test_a_returned_round_keeps_the_file_and_the_application_submits(world, login, filing):
    app, items, item = filing
    client = login(world.enterprise_contact)
    for other in items:
        if other != item:
            services.answer_save(
                actor=world.enterprise_contact,
                application=app,
                item=other,
                meets=True,
                evidence="有",
            )
    _post(client, app, item, PNG)
    app = services.application_submit(actor=world.enterprise_contact, application=app)
    assert app.state == AppState.SUBMITTED
    reasons = {items[0].pk: "请补充"}
    app = services.application_return(actor=reviewer_make(world), application=app, reasons=reasons)
    first, second = (Answer.objects.get(application=app, item=item, round=r) for r in (1, 2))
    assert second.evidence_file.name == first.evidence_file.name != ""


def test_another_villages_cadre_gets_404_for_the_file(world, login, filing):
    app, _items, item = filing
    _post(login(world.enterprise_contact), app, item, PNG)
    answer = Answer.objects.get(application=app, item=item)
    response = login(world.sandian_all).get(reverse("enterprises:evidence", args=[answer.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- through the API


def _api(client, app, item, content, name="现场照片.png"):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(
        reverse("api:applications_answer_evidence", args=[app.pk, item.pk]),
        {"meets": "true", "evidence": "门口测温点", "evidence_file": upload},
    )


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_the_api_takes_a_photo_as_the_form_does_and_audits_it(world, login, filing):
    app, _items, item = filing
    client = login(world.enterprise_contact)
    response = _api(client, app, item, PNG)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["meets"] and body["evidence"] == "门口测温点"
    answer = Answer.objects.get(application=app, item=item)
    assert body["evidence_file_url"] == reverse("enterprises:evidence", args=[answer.pk])
    assert (Path(settings.MEDIA_ROOT) / answer.evidence_file.name).read_bytes() == PNG
    assert "现场照片" not in answer.evidence_file.name
    event = AuditEvent.objects.get(action="enterprises.answer.save", object_id=str(answer.pk))
    assert event.actor == world.enterprise_contact and "evidence_file" in event.fields
    served = client.get(body["evidence_file_url"])
    assert b"".join(served.streaming_content) == PNG


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "佐证附件只能是 JPG、PNG、WebP 图片或 PDF 文件"),
        (PNG + b"\x00" * (EVIDENCE_MAX_BYTES + 1 - len(PNG)), "佐证附件不能超过 10 MB"),
    ],
    ids=["a program named png", "over ten megabytes"],
)
def test_the_api_refuses_a_forged_or_oversized_file_and_writes_nothing(
    world, login, filing, content, message
):
    app, _items, item = filing
    before = _stored_files()
    response = _api(login(world.enterprise_contact), app, item, content)
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "evidence_file"
    assert not Answer.objects.filter(application=app, item=item).exists()
    assert not AuditEvent.objects.filter(action="enterprises.answer.save").exists()
    assert _stored_files() == before


def test_the_api_answers_404_for_another_enterprises_application(world, login, filing):
    _app, _items, item = filing
    other = enterprise_make(world)
    theirs = services.application_start(actor=world.town_leader, enterprise=other)
    before = _stored_files()
    response = _api(login(world.enterprise_contact), theirs, item, PNG)
    assert response.status_code == 404
    assert not Answer.objects.filter(application=theirs).exists()
    assert _stored_files() == before
