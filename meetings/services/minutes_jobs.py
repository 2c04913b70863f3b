"""Long work for the minutes area, done by a worker while the page polls a
``MinutesJob`` row: the agenda pack of a meeting, an auditor's archive of all
minutes circulated in a date range (SPEC s.7: "nobody waits on a spinning request"),
the PDFs rendered from a live record (the record of decisions, draft minutes), each
rendered once per content and served from the row after, and the PDFs frozen on a
version (circulated, then signed once confirmed) rendered after the request.

A job is requested in a transaction; after commit the task is published, and if the
broker is down the beat sweep (``jobs_sweep``) publishes it later. A worker claims a
job with ``filter(state=queued).update(state=running)`` and acts only if it changed
one row, so duplicate deliveries of the task do nothing. While it builds, a side
thread renews the job's ``heartbeat_at`` every ``HEARTBEAT_EVERY`` seconds; a running
job whose heartbeat is older than ``RUNNING_STALE_AFTER`` lost its worker (killed,
machine gone), and the sweep publishes it again for another worker to claim.
"""

import csv
import hashlib
import io
import json
import logging
import threading
import zipfile
from datetime import date, datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from governance.exports import spreadsheet_safe
from governance.models import OutboxMessage
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
    """Publish again jobs still queued a while after they were requested (sooner
    for a circulation, whose officers' mails wait on it), and jobs whose worker
    died while building them; then make a job for any circulated (or confirmed)
    version whose PDFs (or signed PDFs) are still missing and that has none on its
    way (``circulation_sweep``)."""
    now = now or timezone.now()
    stale = list(
        MinutesJob.objects.filter(
            Q(state=MinutesJob.State.QUEUED, created_at__lte=now - STALE_AFTER)
            | Q(
                state=MinutesJob.State.QUEUED,
                kind=MinutesJob.Kind.CIRCULATED_PDFS,
                created_at__lte=now - CIRCULATION_STALE_AFTER,
            )
            | _worker_gone(now)
        ).values_list("pk", flat=True)[:20]
    )
    for pk in stale:
        _publish(pk)
    return len(stale) + circulation_sweep(now=now)


# --- the circulated PDFs, and the signed ones ------------------------------------------
#
# One job kind (``circulated_pdfs``), one finish (``minutes.circulated_pdfs_finish``,
# which renders whichever of a version's frozen PDFs are missing) and one sweep serve
# both: circulating queues the job for the circulated copies, confirming at the next
# meeting queues it again for the signed copies.

# A circulation's (or confirmation's) job still queued this long after it was made lost its publish
# (the broker was down): published again by the sweep.
CIRCULATION_STALE_AFTER = timedelta(seconds=20)
# A circulation's job that failed is tried again, as a new job, this long after,
# then twice as long after each further failure, at most an hour apart: a cause that
# lasts (a font missing, storage down) is tried again hourly without end and mends
# itself once fixed, without a render every two minutes in the meantime.
CIRCULATION_RETRY_AFTER = timedelta(minutes=2)
CIRCULATION_RETRY_AT_MOST = timedelta(hours=1)
# From this many failures the minutes page says so and asks for the worker's log.
CIRCULATION_FAILURES_SHOWN = 3


def circulation_retry_at(failures: int, last_failed_at: datetime) -> datetime:
    """When a version whose job has failed ``failures`` times, the last at
    ``last_failed_at``, is tried again (2, 4, 8... minutes after, at most an hour)."""
    wait = CIRCULATION_RETRY_AFTER * 2 ** min(max(failures, 1) - 1, 10)
    return last_failed_at + min(wait, CIRCULATION_RETRY_AT_MOST)


def circulation_failures(version: MinutesVersion) -> tuple[int, datetime | None]:
    """How many of the version's jobs failed, and when the last one did."""
    failed = circulation_jobs(version).filter(state=MinutesJob.State.FAILED)
    found = failed.aggregate(n=Count("pk"), last=Max("finished_at"))
    return found["n"], found["last"]


def circulation_job(*, version: MinutesVersion, by_id: int) -> MinutesJob:
    """The job rendering a version's missing PDFs (circulated, releasing its mails;
    signed, once confirmed), published after commit (call it in the circulation's
    or the confirmation's transaction)."""
    job = MinutesJob.objects.create(
        kind=MinutesJob.Kind.CIRCULATED_PDFS,
        meeting_id=version.meeting_id,
        params={"version": version.pk},
        requested_by_id=by_id,
    )
    transaction.on_commit(lambda: _publish(job.pk))
    return job


def circulation_jobs(version: MinutesVersion):
    return MinutesJob.objects.defer("result").filter(
        kind=MinutesJob.Kind.CIRCULATED_PDFS, params__version=version.pk
    )


def circulation_progress(version: MinutesVersion) -> MinutesJob:
    """The latest job for a version still being prepared (what the page shows),
    or a queued one not saved if there is none yet (the sweep makes it)."""
    job = circulation_jobs(version).order_by("-created_at").first()
    if job is None:
        job = MinutesJob(
            kind=MinutesJob.Kind.CIRCULATED_PDFS,
            meeting_id=version.meeting_id,
            params={"version": version.pk},
        )
    return job


def unfinished_circulations():
    """Circulated versions whose PDFs are not stored, or with a mail still held,
    and confirmed ones whose signed PDFs are not stored (a worker killed while
    rendering them)."""
    return MinutesVersion.objects.filter(circulated_at__isnull=False).filter(
        Q(pdf_sha256="")
        | Q(
            deliveries__kind="minutes",
            deliveries__outbox__state=OutboxMessage.State.HELD,
        )
        | Q(confirmed_at_meeting__isnull=False, signed_pdf_sha256="")
    )


def circulation_sweep(*, now=None) -> int:
    """A new job for every unfinished circulation or confirmation with no job
    queued or running: its job failed a while ago, or was lost with a database
    restored without it.
    (A job queued or running is the first part of ``jobs_sweep``'s.)"""
    now = now or timezone.now()
    made = 0
    for version in (
        unfinished_circulations()
        .distinct()
        .only(
            "pk",
            "meeting_id",
            "circulated_by_id",
            "created_by_id",
            "confirmed_by_id",
        )
        .order_by("pk")[:20]
    ):
        with transaction.atomic():
            MinutesVersion.objects.select_for_update().filter(pk=version.pk).first()
            jobs = circulation_jobs(version)
            if jobs.filter(
                state__in=(MinutesJob.State.QUEUED, MinutesJob.State.RUNNING)
            ).exists():
                continue
            failures, last_failed_at = circulation_failures(version)
            if failures and now < circulation_retry_at(failures, last_failed_at):
                continue
            circulation_job(
                version=version,
                by_id=(
                    version.confirmed_by_id
                    or version.circulated_by_id
                    or version.created_by_id
                ),
            )
            made += 1
    return made


def _circulated_pdfs(job: MinutesJob) -> tuple[None, str, str]:
    from .minutes import circulated_pdfs_finish

    circulated_pdfs_finish(version_id=job.params["version"], progress=_progress(job))
    return None, "", ""


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
            elif job.kind in RENDERED:
                content, name, mimetype = _rendered_pdf(job)
            elif job.kind == MinutesJob.Kind.CIRCULATED_PDFS:
                content, name, mimetype = _circulated_pdfs(job)
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
        sha256=pdf.sha256(content) if content is not None else "",
        finished_at=timezone.now(),
    )
    return True


# --- PDFs rendered from a record, once per content -------------------------------------

RENDERED = (MinutesJob.Kind.RECORD_PDF, MinutesJob.Kind.DRAFT_PDF)


def content_key(kind: str, source: dict) -> str:
    """The SHA-256 of what a PDF is rendered from: the same record gives the same
    key, and any change to it (a vote, an edited narrative) another."""
    payload = json.dumps(
        {"kind": kind, "source": source}, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def rendered_pdf_job(
    *, kind: str, meeting: Meeting, source: dict, variant: str, by
) -> MinutesJob:
    """The job rendering ``source`` (a plain-data record; ``variant`` tells the
    copies of one meeting apart, e.g. "full" and "shared"): the one already made for
    the same content, done or on its way, else a new one published after commit.
    So a request never renders: every request for the same content after the first
    is served the stored bytes. Older renders of the same variant are dropped when
    the content changes. The returned job's ``result`` is deferred."""
    source = json.loads(json.dumps(source, cls=DjangoJSONEncoder))
    key = content_key(kind, source)
    same = MinutesJob.objects.defer("result").filter(
        kind=kind, meeting=meeting, params__variant=variant
    )
    with transaction.atomic():
        # One request makes the job; another asking at the same moment waits for
        # this row lock and then finds it.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        existing = (
            same.filter(params__key=key)
            .exclude(state=MinutesJob.State.FAILED)
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing
        same.exclude(
            state__in=(MinutesJob.State.QUEUED, MinutesJob.State.RUNNING)
        ).delete()
        job = job_request(
            kind=kind,
            by=by,
            meeting=meeting,
            params={"key": key, "variant": variant, "source": source},
        )
    # Eager (no worker: tests, a one-process set-up) it ran on commit just now.
    job.refresh_from_db(fields=["state", "sha256", "error"])
    return job


def rendered_pdf_content(job: MinutesJob) -> bytes | None:
    """The stored bytes; None if the row went meanwhile (the content changed)."""
    content = (
        MinutesJob.objects.filter(pk=job.pk, state=MinutesJob.State.DONE)
        .values_list("result", flat=True)
        .first()
    )
    return None if content is None else bytes(content)


def _rendered_pdf(job: MinutesJob) -> tuple[bytes, str, str]:
    source = job.params["source"]
    if job.kind == MinutesJob.Kind.RECORD_PDF:
        content = pdf.record_of_decisions_pdf(source["record"])
    else:
        content = pdf.minutes_pdf(
            source["record"], draft=True, version=source["version"]
        )
    return content, f"{job.kind}-{job.meeting_id}.pdf", "application/pdf"


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
    everything = list(circulated_in(start, end).defer("record"))
    # A version circulated a moment ago whose PDFs the worker is still rendering
    # has no checksums yet: left out, and named in PREPARING.txt.
    versions = [v for v in everything if v.pdf_sha256]
    preparing = [v for v in everything if not v.pdf_sha256]
    # One confirmed a moment ago whose signed copy is still being rendered: its
    # circulated copies are in, its signed copy named in PREPARING.txt.
    signing = [
        v for v in versions if v.confirmed_at_meeting_id and not v.signed_pdf_sha256
    ]
    report = _progress(job)
    buffer = io.BytesIO()
    manifest = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, version in enumerate(versions, start=1):
            for label, content, checksum in (
                ("shared", version.pdf, version.pdf_sha256),
                ("full", version.full_pdf, version.full_pdf_sha256),
                # The confirmed version, with the chair's signature block.
                ("signed", version.signed_pdf, version.signed_pdf_sha256),
                (
                    "signed-full",
                    version.signed_full_pdf,
                    version.signed_full_pdf_sha256,
                ),
            ):
                if not checksum or (
                    label.endswith("full")
                    and checksum
                    == (
                        version.signed_pdf_sha256
                        if label == "signed-full"
                        else version.pdf_sha256
                    )
                ):
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
        notes = []
        if preparing:
            notes.append(
                "Circulated but left out of this archive: their PDFs were still "
                "being rendered when it was built. Build the archive again shortly.\n"
                + "".join(
                    f"{v.meeting.board.name}, {v.meeting.starts_at:%Y-%m-%d}, "
                    f"version {v.number}, circulated {v.circulated_at.isoformat()}\n"
                    for v in preparing
                )
            )
        if signing:
            notes.append(
                "Confirmed as a true record, their signed copy being prepared: only "
                "their circulated copies are in this archive (the signed copy was "
                "still being rendered when it was built). Build the archive again "
                "shortly.\n"
                + "".join(
                    f"{v.meeting.board.name}, {v.meeting.starts_at:%Y-%m-%d}, "
                    f"version {v.number}, confirmed {v.confirmed_at.isoformat()}\n"
                    for v in signing
                )
            )
        if notes:
            archive.writestr("PREPARING.txt", "\n".join(notes))
    return buffer.getvalue(), f"minutes-{start}-to-{end}.zip", "application/zip"
