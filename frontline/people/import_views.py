"""Pages of the roster import: template, upload, preview with row errors, error workbook, commit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.audit import audit_record
from frontline.core.scoping import get_visible_or_404, require_permission_or_404
from frontline.core.spreadsheets import UploadRejected, xlsx_response
from frontline.people import imports, selectors
from frontline.people.forms import RosterUploadForm
from frontline.people.models import ImportStatus, RosterImport
from frontline.people.roster import COLUMN_LABELS, TEMPLATE_EXAMPLE


def _roster(request: HttpRequest, pk: int) -> RosterImport:
    return get_visible_or_404(selectors.imports_for(request.user), pk=pk)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "people.import")
    return xlsx_response(
        "花名册导入模板.xlsx", list(COLUMN_LABELS.values()), [TEMPLATE_EXAMPLE], sheet="花名册"
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "people.import")
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster = imports.roster_preview(
                actor=request.user, upload=upload, filename=upload.name or ""
            )
        except UploadRejected as rejected:
            form.add_error("file", str(rejected))
            status = rejected.status
        else:
            return redirect("people:import_preview", pk=roster.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "people/import_upload.html", {"form": form}, status=status)


@login_required
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    roster = _roster(request, pk)
    return render(
        request,
        "people/import_preview.html",
        {"roster": roster, "committed": roster.status == ImportStatus.COMMITTED},
    )


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    roster = _roster(request, pk)
    headers, rows = imports.error_rows(roster)
    # The rows are the uploader's own, but they hold ID numbers: the download is recorded.
    audit_record(
        actor=request.user,
        action="people.roster.errors_export",
        obj=roster,
        fields=["name", "id_number", "phone"],
    )
    return xlsx_response(f"花名册错误-{roster.pk}.xlsx", headers, rows, sheet="错误行")


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    roster = _roster(request, pk)
    try:
        roster = imports.roster_commit(actor=request.user, roster=roster)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("people:import_preview", pk=roster.pk)
    messages.success(
        request,
        f"已导入：新增 {roster.new_count} 人，更新 {roster.updated_count} 人，"
        f"未变 {roster.unchanged_count} 人",
    )
    return redirect("people:list")
