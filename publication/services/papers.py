"""Writes for papers' text: extracted from the PDF after upload by a worker, read
only through the storage API (``paper.file.open()``), then indexed for search.

Bounded: at most ``MAX_PAGES`` pages and ``index.MAX_BODY`` characters are read, and
a PDF pypdf cannot read is recorded as failed rather than retried for ever. A paper
that is not a PDF (Word, Excel) is recorded as having no text.
"""

import logging

from django.db import transaction
from django.utils import timezone

from meetings.models import Paper

from ..models import PaperText
from . import index

log = logging.getLogger(__name__)

PDF = "application/pdf"
MAX_PAGES = 500


def paper_text_pending(*, paper: Paper) -> PaperText:
    """Mark a paper's text as waiting for a worker (on upload)."""
    text, _ = PaperText.objects.get_or_create(paper=paper)
    return text


def _extract(paper: Paper) -> tuple[str, int]:
    from pypdf import PdfReader

    with paper.file.open("rb") as handle:
        reader = PdfReader(handle)
        pages = len(reader.pages)
        parts, size = [], 0
        for page in reader.pages[:MAX_PAGES]:
            part = page.extract_text() or ""
            parts.append(part)
            size += len(part)
            if size >= index.MAX_BODY:
                break
    return "\n".join(parts), pages


def paper_text_extract(*, paper_id: int) -> PaperText | None:
    """Extract a pending paper's text and index it. Idempotent: a paper whose text
    is no longer pending is left alone, so a task delivered twice does nothing the
    second time."""
    text = (
        PaperText.objects.select_related("paper__item__meeting")
        .filter(paper_id=paper_id)
        .first()
    )
    if text is None or text.state != PaperText.State.PENDING:
        return text
    paper = text.paper
    if paper.content_type != PDF:
        state, body, pages, error = PaperText.State.NO_TEXT, "", None, ""
    else:
        try:
            body, pages = _extract(paper)
            state = PaperText.State.DONE if body.strip() else PaperText.State.NO_TEXT
            error = ""
        except Exception as exc:  # noqa: BLE001 - any unreadable PDF
            log.warning("paper %s: text not extracted: %s", paper.pk, exc)
            state, body, pages = PaperText.State.FAILED, "", None
            error = f"{type(exc).__name__}: {exc}"[:300]
    with transaction.atomic():
        claimed = PaperText.objects.filter(
            pk=text.pk, state=PaperText.State.PENDING
        ).update(
            state=state,
            text=index.clean(body),
            pages=pages,
            error=error,
            extracted_at=timezone.now(),
        )
        if claimed:
            index.index_paper(paper)
    text.refresh_from_db()
    return text


def papers_extract_pending(*, limit: int = 50) -> int:
    """Beat's sweep: papers whose extraction was never run (the broker was down at
    upload, or a worker died), and papers uploaded before this app existed."""
    missing = Paper.objects.filter(text__isnull=True).values_list("pk", flat=True)
    for pk in list(missing[:limit]):
        PaperText.objects.get_or_create(paper_id=pk)
    done = 0
    pending = PaperText.objects.filter(state=PaperText.State.PENDING)
    for paper_id in list(pending.values_list("paper_id", flat=True)[:limit]):
        paper_text_extract(paper_id=paper_id)
        done += 1
    return done
