"""The pages of every staged import: template, upload (with its progress), preview with
the row errors, error workbook, commit. An app mounts them with `staged_import_urls`."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_record
from frontline.core.scoping import get_visible_or_404, require_permission_or_404
from frontline.core.spreadsheets import UploadRejected
from frontline.core.staged_import.importer import Importer
from frontline.core.staged_import.models import StagedImport
from frontline.core.staged_import.pipeline import (
    error_rows,
    staged_commit,
    staged_imports_for,
    staged_preview,
)
from frontline.core.xlsx_export import xlsx_response


class UploadForm(forms.Form):
    file = forms.FileField()

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label


def _staged(request: HttpRequest, importer: type[Importer], pk: int) -> StagedImport:
    # An import is its uploader's: nobody else previews, downloads or confirms it.
    return get_visible_or_404(
        staged_imports_for(request.user, importer).select_related("node"), pk=pk
    )


@login_required
@require_GET
def import_template(request: HttpRequest, importer: type[Importer]) -> HttpResponse:
    require_permission_or_404(request.user, importer.permission)
    return xlsx_response(
        f"{importer.title}导入模板.xlsx",
        list(importer.labels().values()),
        importer.example_rows,
        sheet=importer.title,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, importer: type[Importer]) -> HttpResponse:
    require_permission_or_404(request.user, importer.permission)
    label = importer.file_label or f"{importer.title}文件（.xlsx 或 .csv）"
    form = UploadForm(request.POST or None, request.FILES or None, label=label)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = staged_preview(
                importer=importer, actor=request.user, upload=upload, filename=upload.name or ""
            )
        except UploadRejected as rejected:
            form.add_error("file", str(rejected))
            status = rejected.status
        else:
            return redirect(importer.urls.of("preview"), pk=staged.pk)
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "title": importer.title,
        "heading": importer.heading or f"从 Excel 导入{importer.title}",
        "help_template": importer.help_template,
        "labels": list(importer.labels().values()),
        "template_url": reverse(importer.urls.of("template")),
        "back_url": reverse(importer.done_url),
        "back_label": importer.done_label,
    }
    return render(request, "core/staged_import/upload.html", context, status=status)


_COUNT_FIELDS = {
    "total": "total_rows",
    "new": "new_count",
    "updated": "updated_count",
    "unchanged": "unchanged_count",
    "bad": "bad_count",
    "warnings": "warning_count",
}


@login_required
@require_GET
def import_preview(request: HttpRequest, importer: type[Importer], pk: int) -> HttpResponse:
    staged = _staged(request, importer, pk)
    words = importer(request.user)
    context = {
        "staged": staged,
        "title": importer.title,
        "stats": [
            (key, label, getattr(staged, _COUNT_FIELDS[key])) for key, label in importer.stats
        ],
        "upload_url": reverse(importer.urls.of("upload")),
        "errors_url": reverse(importer.urls.of("errors"), args=[staged.pk]),
        "commit_url": reverse(importer.urls.of("commit"), args=[staged.pk]),
        "has_work": words.has_work(staged),
        "confirm_text": words.confirm_text(staged),
        "confirm_button": words.confirm_button(staged),
        "nothing_text": words.nothing_text(staged),
        "skipped_title": importer.skipped_title,
    }
    return render(request, "core/staged_import/preview.html", context)


@login_required
@require_GET
def import_errors(request: HttpRequest, importer: type[Importer], pk: int) -> HttpResponse:
    staged = _staged(request, importer, pk)
    headers, rows = error_rows(staged)
    # The rows are the uploader's own, but they hold personal data: the download is recorded.
    audit_record(
        actor=request.user,
        action=f"{importer.key}.errors_export",
        obj=staged,
        fields=list(importer.export_fields),
    )
    return xlsx_response(f"{importer.title}错误-{staged.pk}.xlsx", headers, rows, sheet="错误行")


@login_required
@require_POST
def import_commit(request: HttpRequest, importer: type[Importer], pk: int) -> HttpResponse:
    staged = _staged(request, importer, pk)
    try:
        staged = staged_commit(importer=importer, actor=request.user, staged=staged)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect(importer.urls.of("preview"), pk=staged.pk)
    messages.success(request, importer(request.user).success_message(staged))
    return redirect(importer.done_url)


def staged_import_urls(importer: type[Importer], route: str = "import/") -> list[URLPattern]:
    """The five pages of an importer under `route`, named as its `urls` say:
    `urlpatterns += staged_import_urls(RosterImporter)`."""
    names, given = importer.urls, {"importer": importer}
    return [
        path(route, import_upload, given, name=names.upload),
        path(f"{route}template.xlsx", import_template, given, name=names.template),
        path(f"{route}<int:pk>/", import_preview, given, name=names.preview),
        path(f"{route}<int:pk>/errors.xlsx", import_errors, given, name=names.errors),
        path(f"{route}<int:pk>/commit/", import_commit, given, name=names.commit),
    ]
