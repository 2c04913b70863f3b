"""Large return imports run as background jobs. Re-exported by ``pooled_funds.services``."""

from django.db import transaction
from django.utils import timezone

from governance.exceptions import RuleViolation
from governance.outbox import kick

from .. import imports
from ..models import (
    PooledFund,
)
from .returns import ReturnRejected, return_import

ASYNC_CSV_LINES = 1000
ASYNC_XLSX_BYTES = 1_000_000  # decompressed, about 2,000 full rows


def import_is_large(*, filename: str, content: bytes) -> bool:
    """Files beyond about 1,000 lines are imported in the background. An Excel
    file is judged by its decompressed size: 141 KB can hold millions of blank
    rows."""
    if filename.lower().endswith(".xlsx"):
        return imports.xlsx_decompressed_bytes(content) > ASYNC_XLSX_BYTES
    return content.count(b"\n") > ASYNC_CSV_LINES


@transaction.atomic
def return_import_queue(
    *, fund: PooledFund, period: str, filename: str, content: bytes, user
):
    """Queue a large upload: the job row commits first, then a worker is asked to
    run it; if the broker is down, the beat sweep (``import_jobs_sweep``) runs it."""
    from ..models import ImportJob

    job = ImportJob.objects.create(
        fund=fund, period=period, filename=filename, content=content, uploaded_by=user
    )
    transaction.on_commit(lambda: _start_job(job.pk))
    return job


def _start_job(job_id: int) -> None:
    """Publish without waiting on the broker; if it is down the beat sweep runs it."""
    from ..tasks import import_job_run

    kick(import_job_run, (job_id,))


def import_job_run(*, job_id: int) -> str:
    """Run a queued import once: claimed with a conditional update, so a second
    delivery of the task does nothing. Returns the job's final status."""
    from ..models import ImportJob

    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return ""
    job = ImportJob.objects.select_related("fund", "uploaded_by").get(pk=job_id)
    try:
        job.ret = return_import(
            fund=job.fund,
            period=job.period,
            filename=job.filename,
            content=bytes(job.content),
            user=job.uploaded_by,
        )
        job.status = ImportJob.Status.DONE
    except ReturnRejected as exc:
        job.status = ImportJob.Status.REJECTED
        job.errors = [
            {"row": e.row, "column": e.column, "message": e.message} for e in exc.errors
        ]
    except RuleViolation as exc:
        job.status = ImportJob.Status.REJECTED
        job.errors = [{"row": None, "column": "", "message": exc.message}]
    except Exception as exc:  # noqa: BLE001 - recorded on the job for the user
        job.status = ImportJob.Status.FAILED
        job.errors = [{"row": None, "column": "", "message": f"{type(exc).__name__}"}]
    job.finished_at = timezone.now()
    job.save(update_fields=["ret", "status", "errors", "finished_at"])
    return job.status


def import_jobs_sweep(*, older_than_seconds: int = 120) -> int:
    """Run queued imports whose start was lost (broker down)."""
    from datetime import timedelta

    from ..models import ImportJob

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        ImportJob.objects.filter(
            status=ImportJob.Status.QUEUED, created_at__lte=cutoff
        ).values_list("pk", flat=True)
    )
    return sum(1 for job_id in ids if import_job_run(job_id=job_id))
