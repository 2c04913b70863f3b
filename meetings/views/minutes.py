"""Pages for minutes (thin: permission helpers, services, selectors).

A RuleViolation from a service becomes a message on the minutes page. PDFs are
streamed from the database (circulated versions are stored; drafts are rendered
with a DRAFT watermark), and every download is recorded. Long work (agenda pack,
audit archive) is a job the page polls with htmx.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from governance.exceptions import RuleViolation

from .. import pdf
from ..models import MinutesDownload, MinutesJob
from ..permissions import (
    can_approve_minutes,
    can_audit_minutes,
    can_read_full_minutes,
    can_view_whole_agenda,
    get_confirmation_item_for_user,
    get_item_for_user,
    get_meeting_for_user,
    get_minutes_version_for_user,
    is_meeting_chair,
)
from ..selectors import minutes as selectors
from ..services import minutes as services
from ..services import minutes_jobs
from ..services.minutes_jobs import circulated_in

PAGE_SIZE = 50


def _pdf_response(content: bytes, name: str, *, sha256: str = "") -> HttpResponse:
    response = HttpResponse(bytes(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if sha256:
        response["X-Content-SHA256"] = sha256
    return response


def _run(request, version_id: int, action, success: str, **kwargs):
    version = get_minutes_version_for_user(request.user, version_id, manage=True)
    try:
        result = action(version=version, by=request.user, **kwargs)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
        version = result
    return redirect("meetings:minutes", version.meeting_id)


@require_GET
def minutes_page(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    context = selectors.minutes_page(meeting, request.user)
    context["can_manage"] = can_approve_minutes(request.user, meeting)
    context["can_read_full"] = can_read_full_minutes(request.user, meeting)
    # Approval is the chair's: a secretary records it on the chair's authority.
    context["chairs"] = is_meeting_chair(request.user, meeting)
    current = context["current"]
    if current is not None and services.minutes_pdfs_pending(current):
        context["circulation"] = _circulation_context(current)
    return render(request, "meetings/minutes/minutes_page.html", context)


@require_POST
def minutes_start(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    if not can_approve_minutes(request.user, meeting):
        raise PermissionDenied("Only the board's chair or secretary drafts minutes.")
    try:
        services.minutes_start(meeting=meeting, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    return redirect("meetings:minutes", meeting.pk)


@require_POST
def minutes_entry(request, version_id, item_id):
    """Save one item's narrative; an htmx request gets the item's form back."""
    version = get_minutes_version_for_user(request.user, version_id, manage=True)
    item = get_item_for_user(request.user, item_id)
    text = request.POST.get("text", "")
    error = ""
    try:
        services.minutes_entry_save(
            version=version, item=item, text=text, by=request.user
        )
    except RuleViolation as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        return render(
            request,
            "meetings/minutes/partials/entry_form.html",
            {
                "version": version,
                "item": item,
                "text": text,
                "saved": not error,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Minutes of “{item.title}” saved.")
    return redirect(
        reverse("meetings:minutes", args=[version.meeting_id]) + f"#item-{item.pk}"
    )


@require_POST
def minutes_summary(request, version_id):
    return _run(
        request,
        version_id,
        services.minutes_summary_save,
        "Opening remarks saved.",
        summary=request.POST.get("summary", ""),
    )


@require_POST
def minutes_approve(request, version_id):
    return _run(
        request, version_id, services.minutes_approve, "Approved for circulation."
    )


@require_POST
def minutes_reopen(request, version_id):
    return _run(request, version_id, services.minutes_reopen, "Back to draft.")


@require_POST
def minutes_circulate(request, version_id):
    return _run(
        request,
        version_id,
        services.minutes_circulate,
        "Circulated: the PDFs are being prepared, then sent to every authorised "
        "officer.",
    )


def _circulation_context(version) -> dict:
    preparing = services.minutes_pdfs_pending(version)
    failures = minutes_jobs.circulation_failures(version)[0] if preparing else 0
    return {
        "version": version,
        "job": minutes_jobs.circulation_progress(version),
        "preparing": preparing,
        # Failed often enough that someone should read the worker's log.
        "failing": failures >= minutes_jobs.CIRCULATION_FAILURES_SHOWN,
        "failures": failures,
        # Only the signed copies to come (the circulated ones stored and sent).
        "signing": preparing and not services.circulated_pdfs_pending(version),
        "officers": (
            len(version.delivery_list)
            if hasattr(version, "delivery_list")
            else version.deliveries.count()
        ),
    }


@require_GET
def minutes_circulation(request, version_id):
    """Where a circulation (or a confirmation) stands: the circulated PDFs, or the
    signed ones, being prepared by the worker (the minutes page polls this with
    htmx), then sent (or stored)."""
    version = get_minutes_version_for_user(request.user, version_id)
    if not version.frozen:
        return redirect("meetings:minutes", version.meeting_id)
    return render(
        request,
        "meetings/minutes/partials/circulating.html",
        _circulation_context(version),
    )


@require_POST
def minutes_correct(request, version_id):
    return _run(
        request,
        version_id,
        services.minutes_correct,
        "A correction is drafted as a new version.",
        change_note=request.POST.get("change_note", ""),
    )


@require_POST
def minutes_confirm(request, version_id):
    """Refused with the reason: minutes are confirmed at the next meeting, under its
    item "Minutes of the previous meeting" (``confirm_at_meeting``)."""
    return _run(
        request, version_id, services.minutes_confirm, "Confirmed as a true record."
    )


@require_POST
def confirm_at_meeting(request, item_id):
    """The decision of the item "Minutes of the previous meeting": whoever chairs
    the meeting confirms and signs the previous minutes, during the meeting."""
    item = get_confirmation_item_for_user(request.user, item_id)
    try:
        version = services.minutes_confirm_at_meeting(item=item, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"The minutes of {version.meeting} are confirmed as a true record, "
            f"signed by {version.signed_by_name}. The signed PDF is prepared in the "
            "background.",
        )
    return redirect(
        reverse("meetings:run", args=[item.meeting_id]) + f"#item-{item.pk}"
    )


def _rendered(request, *, kind, meeting, source, variant, title):
    """The stored render of ``source`` (a worker renders it once per content), or
    a page saying it is being prepared, which polls with htmx and offers a link when
    it is ready (a PDF is never sent to an htmx request)."""
    job = minutes_jobs.rendered_pdf_job(
        kind=kind, meeting=meeting, source=source, variant=variant, by=request.user
    )
    polled = bool(request.headers.get("HX-Request"))
    content = None
    if job.state == MinutesJob.State.DONE and not polled:
        content = minutes_jobs.rendered_pdf_content(job)
    if content is not None:
        return content
    context = {"job": job, "title": title, "meeting": meeting}
    if polled:
        return render(request, "meetings/minutes/partials/preparing.html", context)
    return render(request, "meetings/minutes/preparing.html", context)


@require_GET
def minutes_pdf(request, version_id):
    """The stored PDF of a circulated version, the signed one once confirmed
    (``?full=1``: with confidential items, for members and auditors;
    ``?copy=circulated``: as circulated), or a draft with a DRAFT watermark, rendered
    by the worker once per content of the draft."""
    version = get_minutes_version_for_user(request.user, version_id)
    full = request.GET.get("full") == "1" or not version.frozen
    # ``?copy=circulated``: as circulated, though since confirmed (the audit page).
    as_circulated = request.GET.get("copy") == "circulated"
    if full and not can_read_full_minutes(request.user, version.meeting):
        raise PermissionDenied("The full minutes reach the board's members only.")
    pending = (
        services.circulated_pdfs_pending(version)
        if as_circulated
        else services.minutes_pdfs_pending(version)
    )
    if version.frozen and pending:
        # Circulated (or confirmed) a moment ago: the worker is rendering its PDFs
        # (or the signed ones). A page that says so and polls (never a 500, never a
        # PDF of the live meeting, never the unsigned copy as the record).
        context = {
            "job": minutes_jobs.circulation_progress(version),
            "title": (
                "Signed minutes"
                if services.signed_pdfs_pending(version)
                and not services.circulated_pdfs_pending(version)
                else "Minutes"
            )
            + f", version {version.number}",
            "meeting": version.meeting,
        }
        if request.headers.get("HX-Request"):
            return render(request, "meetings/minutes/partials/preparing.html", context)
        return render(request, "meetings/minutes/preparing.html", context)
    if version.frozen:
        content, checksum = services.stored_pdf(
            version, include_confidential=full, as_circulated=as_circulated
        )
        kind = MinutesDownload.Kind.FULL if full else MinutesDownload.Kind.SHARED
    else:
        source = {
            "record": services.version_record(version, include_confidential=full),
            "version": services.version_meta(version),
        }
        content = _rendered(
            request,
            kind=MinutesJob.Kind.DRAFT_PDF,
            meeting=version.meeting,
            source=source,
            variant=f"version:{version.pk}",
            title=f"Draft minutes, version {version.number}",
        )
        if isinstance(content, HttpResponse):
            return content
        kind, checksum = MinutesDownload.Kind.DRAFT, pdf.sha256(content)
    services.minutes_download_record(
        user=request.user, kind=kind, version=version, sha256=checksum
    )
    name = (
        version.pdf_name if not full else version.pdf_name.replace(".pdf", "-full.pdf")
    )
    return _pdf_response(content, name, sha256=checksum)


@require_GET
def record_pdf(request, pk):
    """The record of decisions as it stands (the full one for members), rendered by
    the worker once per content of the record."""
    meeting = get_meeting_for_user(request.user, pk)
    full = can_read_full_minutes(request.user, meeting)
    from ..record import meeting_record

    content = _rendered(
        request,
        kind=MinutesJob.Kind.RECORD_PDF,
        meeting=meeting,
        source={"record": meeting_record(meeting, include_confidential=full)},
        variant="full" if full else "shared",
        title="Record of decisions",
    )
    if isinstance(content, HttpResponse):
        return content
    checksum = pdf.sha256(content)
    services.minutes_download_record(
        user=request.user, kind=MinutesDownload.Kind.RECORD, sha256=checksum
    )
    return _pdf_response(
        content,
        f"record-of-decisions-{meeting.starts_at:%Y-%m-%d}.pdf",
        sha256=checksum,
    )


@require_GET
def deadlines(request):
    page = Paginator(selectors.deadlines(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.deadline_rows(request.user, deadlines_=page.object_list)
    return render(
        request, "meetings/minutes/deadlines.html", {"rows": rows, "page": page}
    )


@require_GET
def audit(request):
    if not can_audit_minutes(request.user):
        raise PermissionDenied("The minutes audit is for auditors.")
    page = Paginator(selectors.audit_versions(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/minutes/audit.html",
        {
            "versions": page.object_list,
            "page": page,
            "today": timezone.localdate().isoformat(),
        },
    )


@require_GET
def audit_export(request):
    """Ask for an archive of the minutes of meetings held in a date range. A GET,
    so auditors (read-only) can ask: it queues a job and changes nothing in the
    record."""
    if not can_audit_minutes(request.user):
        raise PermissionDenied("The minutes archive is for auditors.")
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
        end = date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        messages.error(request, "Give a start and an end date (YYYY-MM-DD).")
        return redirect("meetings:minutes_audit")
    if end < start:
        messages.error(request, "The end date is before the start date.")
        return redirect("meetings:minutes_audit")
    job = minutes_jobs.job_request(
        kind=MinutesJob.Kind.AUDIT_EXPORT,
        by=request.user,
        params={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "versions": circulated_in(start, end).exclude(pdf_sha256="").count(),
        },
    )
    return redirect("meetings:minutes_job", job.pk)


@require_POST
def agenda_pack(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    if not can_view_whole_agenda(request.user, meeting):
        raise PermissionDenied("The agenda pack is for the board's members.")
    job = minutes_jobs.job_request(
        kind=MinutesJob.Kind.AGENDA_PACK, by=request.user, meeting=meeting
    )
    return redirect("meetings:minutes_job", job.pk)


def _job_for_user(request, job_id) -> MinutesJob:
    job = get_object_or_404(MinutesJob.objects.defer("result"), pk=job_id)
    if job.requested_by_id != request.user.pk and not can_audit_minutes(request.user):
        raise PermissionDenied("This is someone else's job.")
    return job


@require_GET
def job_page(request, job_id):
    job = _job_for_user(request, job_id)
    if job.kind == MinutesJob.Kind.CIRCULATED_PDFS:
        # Its result is the version's PDFs, shown on the minutes page.
        return redirect("meetings:minutes", job.meeting_id)
    template = "meetings/minutes/job.html"
    if request.headers.get("HX-Request"):
        template = "meetings/minutes/partials/job_status.html"
    return render(request, template, {"job": job})


@require_GET
def job_download(request, job_id):
    job = _job_for_user(request, job_id)
    if job.kind == MinutesJob.Kind.CIRCULATED_PDFS:
        return redirect("meetings:minutes", job.meeting_id)
    if job.state != MinutesJob.State.DONE:
        raise PermissionDenied("The file is not ready.")
    job = MinutesJob.objects.get(pk=job.pk)
    services.minutes_download_record(
        user=request.user, kind=MinutesDownload.Kind.EXPORT, job=job, sha256=job.sha256
    )
    response = HttpResponse(bytes(job.result), content_type=job.result_mimetype)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["X-Content-SHA256"] = job.sha256
    return response


urlpatterns = [
    path("<int:pk>/minutes/", minutes_page, name="minutes"),
    path("<int:pk>/minutes/start/", minutes_start, name="minutes_start"),
    path("<int:pk>/minutes/record.pdf", record_pdf, name="minutes_record_pdf"),
    path("<int:pk>/pack/", agenda_pack, name="agenda_pack"),
    path(
        "minutes/<int:version_id>/items/<int:item_id>/",
        minutes_entry,
        name="minutes_entry",
    ),
    path("minutes/<int:version_id>/summary/", minutes_summary, name="minutes_summary"),
    path("minutes/<int:version_id>/approve/", minutes_approve, name="minutes_approve"),
    path("minutes/<int:version_id>/reopen/", minutes_reopen, name="minutes_reopen"),
    path(
        "minutes/<int:version_id>/circulate/",
        minutes_circulate,
        name="minutes_circulate",
    ),
    path("minutes/<int:version_id>/correct/", minutes_correct, name="minutes_correct"),
    path("minutes/<int:version_id>/confirm/", minutes_confirm, name="minutes_confirm"),
    path(
        "items/<int:item_id>/confirm-minutes/",
        confirm_at_meeting,
        name="minutes_confirm_at_meeting",
    ),
    path("minutes/<int:version_id>/pdf/", minutes_pdf, name="minutes_pdf"),
    path(
        "minutes/<int:version_id>/circulation/",
        minutes_circulation,
        name="minutes_circulation",
    ),
    path("minutes/deadlines/", deadlines, name="minutes_deadlines"),
    path("minutes/audit/", audit, name="minutes_audit"),
    path("minutes/audit/export/", audit_export, name="minutes_export"),
    path("minutes/jobs/<int:job_id>/", job_page, name="minutes_job"),
    path(
        "minutes/jobs/<int:job_id>/download/", job_download, name="minutes_job_download"
    ),
]
