"""Writes for a meeting's agenda: publishing it, items and their motions, papers
(uploads, type sniffing, late authorisation) and guests. Split out of
``meetings.services.meetings``, which re-exports every name here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boards.models import Partner
from governance import calendar
from governance.exceptions import RuleViolation
from governance.outbox import outbox_enqueue

from .. import scheduling
from ..models import (
    AgendaItem,
    Guest,
    Meeting,
    Motion,
    Paper,
)
from ._common import local_date

Status = Meeting.Status


# --- agenda -------------------------------------------------------------------


def papers_deadline(meeting: Meeting) -> date:
    """The last date the agenda and papers may be issued (Leicestershire IE: "no
    later than 4 working days before the meeting")."""
    return calendar.papers_deadline(
        local_date(meeting.starts_at), meeting.board.papers_working_days
    )


def is_late(meeting: Meeting, moment: datetime) -> bool:
    return local_date(moment) > papers_deadline(meeting)


@transaction.atomic
def meeting_authorise_late_circulation(
    *, meeting: Meeting, by, now: datetime | None = None
) -> Meeting:
    """The chair authorises circulating the agenda and papers late (the permission
    check that ``by`` is the chair is the caller's)."""
    meeting.late_circulation_authorised_by = by
    meeting.late_circulation_authorised_at = now or timezone.now()
    meeting.save(
        update_fields=[
            "late_circulation_authorised_by",
            "late_circulation_authorised_at",
        ]
    )
    return meeting


@transaction.atomic
def meeting_publish_agenda(
    *, meeting: Meeting, by, now: datetime | None = None
) -> Meeting:
    """Publish (issue) the agenda and the papers uploaded so far, recording the
    time. After the papers deadline this needs the chair's recorded authorisation;
    papers issued late are marked late and authorised by it."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    )
    if meeting.status in (Status.CLOSED, Status.CANCELLED, Status.INQUORATE):
        raise RuleViolation("This meeting is over.", rule="meeting_status")
    if not meeting.items.exists():
        raise RuleViolation("The agenda has no items yet.", rule="agenda_empty")
    late = is_late(meeting, now)
    if late and meeting.late_circulation_authorised_at is None:
        deadline = papers_deadline(meeting)
        raise RuleViolation(
            f"The agenda and papers were due by {scheduling.fmt(deadline)} "
            f"({meeting.board.papers_working_days} working days before the meeting); "
            "issuing them later needs the chair's authorisation, recorded first.",
            rule="papers_deadline",
        )
    meeting.agenda_published_at = now
    meeting.save(update_fields=["agenda_published_at"])
    if late:
        # Row by row, so each paper's audit history records the authorisation.
        for paper in Paper.objects.filter(
            item__meeting=meeting, late_authorised_at__isnull=True
        ):
            paper.late = True
            paper.late_authorised_by = meeting.late_circulation_authorised_by
            paper.late_authorised_at = meeting.late_circulation_authorised_at
            paper.save(
                update_fields=["late", "late_authorised_by", "late_authorised_at"]
            )
    _notify_agenda_issued(meeting)
    return meeting


def _notify_agenda_issued(meeting: Meeting) -> None:
    """E-mail each holder and deputy of the board's active seats that the agenda
    is issued (through the outbox, in this transaction; one message per person and
    issue)."""
    people = {}
    for seat in meeting.board.seats.filter(active=True).select_related(
        "holder", "deputy"
    ):
        for person in (seat.holder, seat.deputy):
            if person is not None and person.email and person.is_active:
                people[person.pk] = person
    when = timezone.localtime(meeting.starts_at)
    stamp = meeting.agenda_published_at.strftime("%Y%m%d%H%M%S")
    for person in people.values():
        outbox_enqueue(
            key=f"agenda:{meeting.pk}:{stamp}:{person.pk}",
            to=person.email,
            subject=f"Agenda issued: {meeting.board.label}, {when:%d %B %Y}",
            body=(
                f"The agenda and papers for the {meeting.get_kind_display().lower()} "
                f"meeting of {meeting.board} on {when:%A %d %B %Y at %H:%M} are "
                f"issued.\n\nRead them, send apologies or say that your deputy will "
                f"attend at {meeting.get_absolute_url()} (sign in first)."
            ),
        )


def _next_order(meeting: Meeting) -> int:
    top = meeting.items.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


@dataclass(frozen=True)
class MotionInput:
    text: str
    financial_value: Decimal | None = None
    commits: list[Partner] | None = None


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    title: str,
    by,
    business_type: str = "routine",
    kind: str | None = None,
    presenter: str = "",
    confidential: bool = False,
    motion: MotionInput | None = None,
    referred_from: AgendaItem | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda. An item with a motion is a decision
    item; its motion commits all the board's partners unless it names some (SPEC
    s.4). Advisory boards take no decisions: their motions are recommendations,
    recorded the same way."""
    if meeting.status in (Status.CLOSED, Status.CANCELLED, Status.INQUORATE):
        raise RuleViolation(
            "The agenda of a finished meeting is closed.", rule="meeting_status"
        )
    if motion is not None:
        kind = AgendaItem.Kind.DECISION
    item = AgendaItem(
        meeting=meeting,
        order=_next_order(meeting),
        title=title,
        business_type=business_type,
        kind=kind or AgendaItem.Kind.INFORMATION,
        presenter=presenter,
        confidential=confidential,
        referred_from=referred_from,
    )
    item.full_clean(exclude=["meeting", "referred_from"])
    item.save()
    if motion is not None:
        motion_create(item=item, motion=motion)
    return item


def motion_create(*, item: AgendaItem, motion: MotionInput) -> Motion:
    board_partners = set(item.meeting.board.partners.values_list("pk", flat=True))
    commits = motion.commits
    if commits:
        foreign = [p for p in commits if p.pk not in board_partners]
        if foreign:
            raise ValidationError(
                {"commits": f"{foreign[0]} is not a partner of this board."}
            )
        commit_ids = [p.pk for p in commits]
    else:
        commit_ids = list(board_partners)
    row = Motion.objects.create(
        item=item, text=motion.text, financial_value=motion.financial_value
    )
    row.commits.set(commit_ids)
    return row


@transaction.atomic
def item_update(
    *,
    item: AgendaItem,
    by,
    title: str,
    business_type: str,
    kind: str,
    presenter: str,
    confidential: bool,
) -> AgendaItem:
    if hasattr(item, "motion") and kind != AgendaItem.Kind.DECISION:
        raise RuleViolation(
            "This item carries a motion; it stays an item for decision.",
            rule="decision_item",
        )
    item.title = title
    item.business_type = business_type
    item.kind = kind
    item.presenter = presenter
    item.confidential = confidential
    item.full_clean(exclude=["meeting", "referred_from"])
    item.save()
    return item


@transaction.atomic
def item_move(*, item: AgendaItem, by, up: bool) -> AgendaItem:
    """Swap an item with its neighbour; orders are renumbered 0..n-1 first."""
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id)
        .order_by("order", "id")
    )
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for order, it in enumerate(items):
        if it.order != order:
            it.order = order
            it.save(update_fields=["order"])
    return next(it for it in items if it.pk == item.pk)


@transaction.atomic
def item_notes_save(*, item: AgendaItem, notes: str, by) -> AgendaItem:
    item.notes = notes
    item.save(update_fields=["notes"])
    return item


# --- papers -------------------------------------------------------------------

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
    if content_type != PDF:
        return None
    try:
        from pypdf import PdfReader

        upload.seek(0)
        return len(PdfReader(upload).pages)
    except Exception:  # noqa: BLE001 - a PDF we cannot count is still a paper
        return None
    finally:
        upload.seek(0)


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
    if meeting.status in (Status.CLOSED, Status.CANCELLED, Status.INQUORATE):
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
def paper_authorise_late(*, paper: Paper, by, now: datetime | None = None) -> Paper:
    """The chair authorises a late paper's circulation (IE: "unless the chair
    authorised late circulation")."""
    if not paper.late:
        raise RuleViolation("This paper is not late.", rule="papers_deadline")
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


# --- guests -------------------------------------------------------------------


@transaction.atomic
def guest_invite(
    *,
    meeting: Meeting,
    name: str,
    items: Iterable[AgendaItem],
    by,
    email: str = "",
    user=None,
    approved: bool = False,
    now: datetime | None = None,
) -> Guest:
    """Invite a guest for named items. The chair's prior agreement is needed
    (Portsmouth PMG ToR 1.1): ``approved=True`` only when the caller is the chair."""
    items = list(items)
    if not items:
        raise ValidationError({"items": "Name the items the guest is invited for."})
    if any(i.meeting_id != meeting.pk for i in items):
        raise ValidationError({"items": "Guests are invited for this meeting's items."})
    guest = Guest.objects.create(meeting=meeting, name=name, email=email, user=user)
    guest.items.set(items)
    if approved:
        guest_approve(guest=guest, by=by, now=now)
    return guest


@transaction.atomic
def guest_approve(*, guest: Guest, by, now: datetime | None = None) -> Guest:
    guest.approved_by = by
    guest.approved_at = now or timezone.now()
    guest.save(update_fields=["approved_by", "approved_at"])
    return guest


# --- attendance ---------------------------------------------------------------
