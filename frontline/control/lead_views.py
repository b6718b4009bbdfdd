"""Pages for importing a 流调 lead list: template, upload, preview, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.control import lead_import
from frontline.control.forms import LeadUploadForm
from frontline.control.models import LeadImport
from frontline.core.scoping import get_visible_or_404, require_permission_or_404
from frontline.core.spreadsheets import UploadRejected, xlsx_response


@login_required
@require_GET
def lead_template(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.import")
    return xlsx_response(
        "流调名单导入模板.xlsx",
        list(lead_import.COLUMN_LABELS.values()),
        [lead_import.TEMPLATE_EXAMPLE],
        sheet="流调名单",
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_upload(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "control.import")
    form = LeadUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            lead = lead_import.lead_preview(
                actor=request.user, upload=upload, filename=upload.name or ""
            )
        except UploadRejected as rejected:
            form.add_error("file", str(rejected))
            status = rejected.status
        else:
            return redirect("control:lead_preview", pk=lead.pk)
    elif request.method == "POST":
        status = 422
    return render(request, "control/lead_upload.html", {"form": form}, status=status)


def _lead(request: HttpRequest, pk: int) -> LeadImport:
    # An import is its uploader's: nobody else previews or confirms it.
    return get_visible_or_404(
        LeadImport.objects.filter(created_by=request.user).select_related("node"), pk=pk
    )


@login_required
@require_GET
def lead_preview(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    return render(
        request, "control/lead_preview.html", {"lead": lead}, status=422 if lead.bad_count else 200
    )


@login_required
@require_POST
def lead_commit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    try:
        lead_import.lead_commit(actor=request.user, lead=lead)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("control:lead_preview", pk=lead.pk)
    messages.success(request, f"已登记 {lead.new_count} 名重点人员")
    return redirect("control:key_person_list")
