"""Writes for papers: uploads checked by type and size and stored privately, the
chair's authority for a late paper, and whether a paper is issued to members."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.exceptions import RuleViolation

from ..models import (
    AgendaItem,
    Meeting,
    Paper,
)
from .agenda import is_late

PDF = "application/pdf"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


DOC = "application/msword"


XLS = "application/vnd.ms-excel"


ALLOWED_EXTENSIONS = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".doc": DOC,
    ".xls": XLS,
}


def sniff_paper_type(name: str, head: bytes, read_zip=None) -> str:
    """The content type of an uploaded paper from its extension checked against
    its magic bytes: PDF (``%PDF-``), Word and Excel (OOXML zip with ``word/`` or
    ``xl/`` parts; legacy OLE compound files). Anything else is refused."""
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = ALLOWED_EXTENSIONS.get(ext)
    if expected is None:
        raise ValidationError(
            {"file": "Papers must be PDF, Word (.docx, .doc) or Excel (.xlsx, .xls)."}
        )
    ok = False
    if expected == PDF:
        ok = head.startswith(b"%PDF-")
    elif expected in (DOC, XLS):
        ok = head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    elif head.startswith(b"PK\x03\x04") and read_zip is not None:
        names = read_zip()
        part = "word/" if expected == DOCX else "xl/"
        ok = "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
    if not ok:
        raise ValidationError(
            {"file": f"The file's content is not a {ext[1:].upper()} document."}
        )
    return expected


def _zip_names(upload):
    import zipfile

    def read():
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return archive.namelist()
        except zipfile.BadZipFile:
            return []
        finally:
            upload.seek(0)

    return read


def _page_count(upload, content_type: str) -> int | None:
    """A PDF's page count, after opening it with pypdf as the agenda pack will:
    a file that starts with ``%PDF-`` but does not parse, is encrypted or has no
    page is refused (issue 14: one such paper made every pack of its meeting
    fail). Other types: None."""
    if content_type != PDF:
        return None
    from pypdf import PdfReader

    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                {"file": "The PDF is protected by a password: upload it without one."}
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - the pack stamps each page within its box
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on bad input
        raise ValidationError(
            {"file": "The file is not a readable PDF: save or export it again."}
        ) from exc
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError({"file": "The PDF has no pages."})
    return pages


@transaction.atomic
def paper_upload(
    *, item: AgendaItem, title: str, upload, by, now: datetime | None = None
) -> Paper:
    """Store a paper privately, checked by size (``settings.PAPER_MAX_BYTES``) and
    by type (extension and magic bytes). A paper added after the agenda is issued
    and after the papers deadline is late: members see it only once the chair has
    authorised it."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_related("board").get(pk=item.meeting_id)
    if meeting.status in (
        Meeting.Status.CLOSED,
        Meeting.Status.CANCELLED,
        Meeting.Status.INQUORATE,
    ):
        raise RuleViolation(
            "Papers cannot be added to a finished meeting.", rule="meeting_status"
        )
    if upload.size > settings.PAPER_MAX_BYTES:
        limit = settings.PAPER_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"Papers may be at most {limit} MB."})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    content_type = sniff_paper_type(upload.name, head, _zip_names(upload))
    late = meeting.agenda_published_at is not None and is_late(meeting, now)
    paper = Paper(
        item=item,
        title=title or upload.name,
        content_type=content_type,
        size=upload.size,
        page_count=_page_count(upload, content_type),
        uploaded_by=by,
        late=late,
    )
    paper.file.save(upload.name, upload, save=False)
    paper.save()
    return paper


@transaction.atomic
def paper_authorise_late(
    *, paper: Paper, by, now: datetime | None = None, authority=None
) -> Paper:
    """Whoever chairs the meeting authorises a late paper's circulation (IE:
    "unless the chair authorised late circulation"), or the secretary records it on
    the chair's written authority (``authority``)."""
    from .chairing import chair_act_check

    if not paper.late:
        raise RuleViolation("This paper is not late.", rule="papers_deadline")
    chair_act_check(
        meeting=paper.item.meeting, by=by, act="late_paper", authority=authority
    )
    paper.late_authorised_by = by
    paper.late_authorised_at = now or timezone.now()
    paper.save(update_fields=["late_authorised_by", "late_authorised_at"])
    return paper


def paper_issued(paper: Paper, meeting: Meeting) -> bool:
    """Members read a paper once the agenda is issued, and a late paper once the
    chair authorised it."""
    if meeting.agenda_published_at is None:
        return False
    return not paper.late or paper.late_authorised_at is not None
