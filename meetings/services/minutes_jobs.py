"""Long work for the minutes area, done by a worker while the page polls a
``MinutesJob`` row: the agenda pack of a meeting, and an auditor's archive of all
minutes circulated in a date range (SPEC s.7: "nobody waits on a spinning request").

A job is requested in a transaction; after commit the task is published, and if the
broker is down the beat sweep (``jobs_sweep``) publishes it later. A worker claims a
job with ``filter(state=queued).update(state=running)`` and acts only if it changed
one row, so duplicate deliveries of the task do nothing. While it builds, a side
thread renews the job's ``heartbeat_at`` every ``HEARTBEAT_EVERY`` seconds; a running
job whose heartbeat is older than ``RUNNING_STALE_AFTER`` lost its worker (killed,
machine gone), and the sweep publishes it again for another worker to claim.
"""

import csv
import io
import json
import logging
import threading
import zipfile
from datetime import date, timedelta

from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from governance.exports import spreadsheet_safe
from governance.outbox import kick

from .. import pdf
from ..models import Meeting, MinutesJob, MinutesVersion, Paper
from .papers import paper_issued

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=2)
# A running job's worker renews its heartbeat this often (seconds); a heartbeat
# older than RUNNING_STALE_AFTER means the worker is gone.
HEARTBEAT_EVERY = 5.0
RUNNING_STALE_AFTER = timedelta(seconds=30)


def _publish(job_id: int) -> None:
    """Publish the job's task without waiting on the broker; if the broker is down
    the beat sweep does it."""
    from ..tasks import minutes_job_run

    kick(minutes_job_run, (job_id,))


@transaction.atomic
def job_request(
    *, kind: str, by, meeting: Meeting | None = None, params: dict | None = None
) -> MinutesJob:
    job = MinutesJob.objects.create(
        kind=kind, meeting=meeting, params=params or {}, requested_by=by
    )
    transaction.on_commit(lambda: _publish(job.pk))
    return job


def _worker_gone(now) -> Q:
    """Running jobs whose heartbeat lapsed: their worker died mid-build."""
    return Q(
        state=MinutesJob.State.RUNNING, heartbeat_at__lte=now - RUNNING_STALE_AFTER
    )


def jobs_sweep(*, now=None) -> int:
    """Publish again jobs still queued a while after they were requested, and
    jobs whose worker died while building them."""
    now = now or timezone.now()
    stale = list(
        MinutesJob.objects.filter(
            Q(state=MinutesJob.State.QUEUED, created_at__lte=now - STALE_AFTER)
            | _worker_gone(now)
        ).values_list("pk", flat=True)[:20]
    )
    for pk in stale:
        _publish(pk)
    return len(stale)


def _progress(job: MinutesJob):
    def report(done: int, total: int) -> None:
        MinutesJob.objects.filter(pk=job.pk).update(progress=done, total=total)

    return report


class _Heartbeat:
    """Renews a running job's ``heartbeat_at`` from a side thread while it builds,
    so a long but live build is never taken for a dead one."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        # Bounded: a renewal waiting on a row lock of the caller's transaction
        # (eager, in a test) must not hold the build; a late one finds it done.
        self.thread.join(timeout=HEARTBEAT_EVERY)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_EVERY):
                MinutesJob.objects.filter(
                    pk=self.job_id, state=MinutesJob.State.RUNNING
                ).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()  # this thread's own connection


def job_run(*, job_id: int) -> bool:
    """Claim and run one job; False if another worker has it (a running job whose
    heartbeat lapsed, its worker dead, is claimed again)."""
    now = timezone.now()
    claimed = (
        MinutesJob.objects.filter(pk=job_id)
        .filter(Q(state=MinutesJob.State.QUEUED) | _worker_gone(now))
        .update(state=MinutesJob.State.RUNNING, started_at=now, heartbeat_at=now)
    )
    if not claimed:
        return False
    job = MinutesJob.objects.select_related("meeting__board").get(pk=job_id)
    try:
        with _Heartbeat(job_id):
            if job.kind == MinutesJob.Kind.AGENDA_PACK:
                content, name, mimetype = _agenda_pack(job)
            else:
                content, name, mimetype = _audit_export(job)
    except Exception as exc:  # noqa: BLE001 - the page shows the failure
        log.exception("job %s failed", job_id)
        MinutesJob.objects.filter(pk=job_id).update(
            state=MinutesJob.State.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        return True
    MinutesJob.objects.filter(pk=job_id).update(
        state=MinutesJob.State.DONE,
        result=content,
        result_name=name,
        result_mimetype=mimetype,
        sha256=pdf.sha256(content),
        finished_at=timezone.now(),
    )
    return True


# --- the agenda pack ----------------------------------------------------------------


def _is_pdf(paper: Paper) -> bool:
    return paper.content_type == "application/pdf" or paper.file.name.lower().endswith(
        ".pdf"
    )


def pack_items(meeting: Meeting) -> list[pdf.PackItem]:
    """Items in agenda order with their issued papers' bytes (PDFs only), by the
    same rule as the paper download for people who do not run the meeting
    (``paper_issued``): nothing before the agenda is issued; late papers the chair
    has authorised go to the supplement, others are left out."""
    items = []
    queryset = meeting.items.prefetch_related("papers").order_by("order", "id")
    for number, item in enumerate(queryset, start=1):
        entry = pdf.PackItem(
            number=number,
            title=item.title,
            kind=item.get_kind_display(),
            presenter=item.presenter,
            confidential=item.confidential,
            exemption=item.exemption,
        )
        for paper in item.papers.all():
            if not paper_issued(paper, meeting):
                continue
            content = None
            if _is_pdf(paper):
                with paper.file.open("rb") as handle:
                    content = handle.read()
            entry.papers.append(
                pdf.PackPaper(title=paper.title, content=content, late=paper.late)
            )
        items.append(entry)
    return items


def pack_meeting(meeting: Meeting) -> dict:
    local = timezone.localtime(meeting.starts_at)
    return {
        "title": str(meeting),
        "board": meeting.board.name,
        "kind": meeting.get_kind_display(),
        "starts_at": local.strftime("%A %-d %B %Y, %H:%M"),
        "location": meeting.location,
    }


def _agenda_pack(job: MinutesJob) -> tuple[bytes, str, str]:
    meeting = job.meeting
    content = pdf.agenda_pack(
        pack_meeting(meeting), pack_items(meeting), progress=_progress(job)
    )
    name = f"agenda-pack-{meeting.board.label}-{meeting.starts_at:%Y-%m-%d}.pdf"
    return content, name.replace(" ", "-"), "application/pdf"


# --- the auditors' archive ----------------------------------------------------------


def circulated_in(start: date, end: date):
    """Every version ever circulated for meetings held in the range (inclusive),
    superseded and confirmed versions included."""
    return (
        MinutesVersion.objects.filter(
            circulated_at__isnull=False,
            meeting__starts_at__date__gte=start,
            meeting__starts_at__date__lte=end,
        )
        .select_related("meeting__board")
        .order_by("meeting__starts_at", "number")
    )


def _audit_export(job: MinutesJob) -> tuple[bytes, str, str]:
    """A zip of the stored PDFs (full versions) with a manifest of SHA-256."""
    start = date.fromisoformat(job.params["start"])
    end = date.fromisoformat(job.params["end"])
    versions = list(circulated_in(start, end).defer("record"))
    report = _progress(job)
    buffer = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, version in enumerate(versions, start=1):
            for label, content, checksum in (
                ("shared", version.pdf, version.pdf_sha256),
                ("full", version.full_pdf, version.full_pdf_sha256),
            ):
                if label == "full" and checksum == version.pdf_sha256:
                    continue
                name = version.pdf_name.replace(".pdf", f"-{label}.pdf")
                archive.writestr(name, bytes(content))
                manifest.append(
                    {
                        "file": name,
                        "sha256": checksum,
                        "board": version.meeting.board.name,
                        "meeting": version.meeting.starts_at.isoformat(),
                        "version": version.number,
                        "status": version.status,
                        "circulated_at": version.circulated_at.isoformat(),
                    }
                )
            report(done, len(versions))
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=list(manifest[0]) if manifest else ["file"]
        )
        writer.writeheader()
        writer.writerows(
            {k: spreadsheet_safe(v) for k, v in row.items()} for row in manifest
        )
        archive.writestr("manifest.csv", out.getvalue())
        archive.writestr(
            "SHA256SUMS", "".join(f"{m['sha256']}  {m['file']}\n" for m in manifest)
        )
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return buffer.getvalue(), f"minutes-{start}-to-{end}.zip", "application/zip"
