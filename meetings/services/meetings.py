"""Writes for meetings, agenda, papers, guests, attendance, interests and actions:
the only place their state changes. Each refuses with ``RuleViolation`` (HTTP 409,
a message in the view) saying which rule of the terms of reference forbids it.

Permission (who may call) is checked by views and the API with the helpers in
``meetings.permissions``; these functions check the rules of the record.
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

from boards.models import Board, Partner, Seat
from governance import calendar
from governance.exceptions import InvalidTransition, RuleViolation
from governance.outbox import outbox_enqueue

from .. import scheduling
from ..models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Meeting,
    Motion,
    Paper,
)
from ..quorum_snapshot import meeting_quorum

Status = Meeting.Status

# Allowed state changes of a meeting (the transition map).
MEETING_TRANSITIONS: dict[str, set[str]] = {
    Status.SCHEDULED: {Status.IN_PROGRESS, Status.CANCELLED, Status.INQUORATE},
    Status.IN_PROGRESS: {Status.CLOSED, Status.INQUORATE},
    Status.INQUORATE: set(),
    Status.CLOSED: set(),
    Status.CANCELLED: set(),
}


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _set_status(meeting: Meeting, new: str) -> None:
    if new not in MEETING_TRANSITIONS[meeting.status]:
        raise InvalidTransition(
            f"A meeting that is {meeting.get_status_display().lower()} cannot become "
            f"{Status(new).label.lower()}.",
            rule="meeting_status",
        )
    meeting.status = new


def _no_open_motions(meeting: Meeting) -> None:
    """A meeting cannot end (close, cancel, inquorate) while a motion of it is still
    open for votes: no vote or decision may follow the end of the meeting."""
    open_motions = list(
        Motion.objects.filter(
            item__meeting=meeting, status=Motion.Status.OPEN
        ).values_list("item__title", flat=True)
    )
    if open_motions:
        raise RuleViolation(
            "Motions are still open for votes ("
            + "; ".join(open_motions)
            + "): close or withdraw the open motions first.",
            rule="open_motions",
        )


def _voting_seats_of(user, board: Board) -> list[Seat]:
    return list(board.seats.filter(active=True, voting=True, holder=user))


# --- scheduling -------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    board: Board,
    kind: str,
    starts_at: datetime,
    by,
    location: str = "",
    purpose: str = "",
    called_by=None,
    reconvenes: Meeting | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Schedule a meeting.

    - Extraordinary (Portsmouth PMG ToR 4.6): called by a voting member (the
      secretary may convene it at a voting member's request) with not less than the
      board's clear days' notice; refused with the earliest lawful date otherwise.
    - Reconvened (Leicestershire IFPG): for an inquorate meeting of the same board,
      no later than one month after it.
    """
    now = now or timezone.now()
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give a time with its time zone."})
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": f"Unknown kind of meeting {kind!r}."})
    meeting = Meeting(
        board=board,
        kind=kind,
        starts_at=starts_at,
        location=location,
        purpose=purpose,
        notice_given_at=now,
    )
    if kind == Meeting.Kind.EXTRAORDINARY:
        caller = called_by or by
        if called_by is None and not _voting_seats_of(by, board):
            if not board.secretaries.filter(pk=by.pk).exists() and not getattr(
                by, "is_administrator", False
            ):
                raise RuleViolation(
                    "Only a voting member of the board may call an extraordinary "
                    "meeting (Portsmouth PMG ToR 4.6).",
                    rule="extraordinary_called_by_voting_member",
                )
            caller = None
        elif called_by is not None and not _voting_seats_of(called_by, board):
            raise RuleViolation(
                f"{called_by} holds no voting seat on {board.label}: only a voting "
                "member may call an extraordinary meeting (Portsmouth PMG ToR 4.6).",
                rule="extraordinary_called_by_voting_member",
            )
        if not purpose.strip():
            purpose = "Matters to be notified with the agenda."
            meeting.purpose = purpose
        check = scheduling.extraordinary_notice(
            notice_given=local_date(now),
            meeting_on=local_date(starts_at),
            required_clear_days=board.extraordinary_notice_clear_days,
            working_days_only=board.clear_days_working_only,
        )
        if not check.lawful:
            raise RuleViolation(check.message, rule="extraordinary_notice")
        meeting.called_by = caller
    elif kind == Meeting.Kind.RECONVENED:
        if reconvenes is None or reconvenes.board_id != board.pk:
            raise RuleViolation(
                "A reconvened meeting must name the inquorate meeting of this board "
                "it reconvenes.",
                rule="reconvene",
            )
        if reconvenes.status != Status.INQUORATE:
            raise RuleViolation(
                "Only an inquorate meeting is reconvened.", rule="reconvene"
            )
        deadline = scheduling.reconvene_deadline(
            local_date(reconvenes.starts_at), within_days=board.reconvene_within_days
        )
        if local_date(starts_at) > deadline:
            raise RuleViolation(
                "An inquorate meeting must be reconvened within one month "
                f"(Leicestershire IFPG): no later than {scheduling.fmt(deadline)}.",
                rule="reconvene_deadline",
            )
        meeting.reconvenes = reconvenes
    meeting.full_clean(exclude=["board", "called_by", "reconvenes"])
    meeting.save()
    if reconvenes is not None:
        _copy_agenda(reconvenes, meeting)
    return meeting


def _copy_agenda(source: Meeting, target: Meeting) -> None:
    """A reconvened meeting takes the business the inquorate one could not."""
    for item in source.items.all().order_by("order", "id"):
        AgendaItem.objects.create(
            meeting=target,
            order=item.order,
            title=item.title,
            business_type=item.business_type,
            kind=item.kind,
            presenter=item.presenter,
            confidential=item.confidential,
            referred_from=item,
            carried_forward_reason="Meeting inquorate: reconvened.",
        )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    starts_at: datetime,
    location: str,
    purpose: str,
    by,
    now: datetime | None = None,
) -> Meeting:
    """Move a scheduled meeting or change its place and purpose. Moving an
    extraordinary meeting is fresh notice, checked again; a reconvened meeting
    stays within one month of the inquorate one."""
    if meeting.status != Status.SCHEDULED:
        raise RuleViolation(
            "Only a scheduled meeting can be moved.", rule="meeting_status"
        )
    board = meeting.board
    if starts_at != meeting.starts_at:
        if meeting.kind == Meeting.Kind.EXTRAORDINARY:
            check = scheduling.extraordinary_notice(
                notice_given=local_date(now or timezone.now()),
                meeting_on=local_date(starts_at),
                required_clear_days=board.extraordinary_notice_clear_days,
                working_days_only=board.clear_days_working_only,
            )
            if not check.lawful:
                raise RuleViolation(check.message, rule="extraordinary_notice")
            meeting.notice_given_at = now or timezone.now()
        if meeting.kind == Meeting.Kind.RECONVENED and meeting.reconvenes_id:
            deadline = scheduling.reconvene_deadline(
                local_date(meeting.reconvenes.starts_at),
                within_days=board.reconvene_within_days,
            )
            if local_date(starts_at) > deadline:
                raise RuleViolation(
                    "An inquorate meeting must be reconvened within one month "
                    f"(Leicestershire IFPG): no later than {scheduling.fmt(deadline)}.",
                    rule="reconvene_deadline",
                )
    meeting.starts_at = starts_at
    meeting.location = location
    meeting.purpose = purpose
    meeting.save(update_fields=["starts_at", "location", "purpose", "notice_given_at"])
    return meeting


@transaction.atomic
def meeting_start(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """Open the meeting: refused while it is inquorate for routine business
    (Leicestershire IFPG: "cannot meet unless quorate")."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = meeting_quorum(meeting, business_type="routine")
    if not result.quorate:
        raise RuleViolation(
            "The meeting is not quorate and cannot start: " + "; ".join(result.unmet),
            rule="quorum",
        )
    _set_status(meeting, Status.IN_PROGRESS)
    meeting.started_at = now or timezone.now()
    meeting.save(update_fields=["status", "started_at"])
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, by, now: datetime | None = None) -> Meeting:
    """Close the meeting; refused while a motion is still open for votes."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _no_open_motions(meeting)
    _set_status(meeting, Status.CLOSED)
    meeting.closed_at = now or timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting


@transaction.atomic
def meeting_declare_inquorate(
    *, meeting: Meeting, by, now: datetime | None = None
) -> Meeting:
    """Record that the meeting could not take place or continue for want of a
    quorum. Refused while the attendance recorded is quorate."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = meeting_quorum(meeting, business_type="routine")
    if result.quorate:
        raise RuleViolation(
            "The attendance recorded is quorate; the meeting is not inquorate.",
            rule="quorum",
        )
    _no_open_motions(meeting)
    _set_status(meeting, Status.INQUORATE)
    meeting.closed_at = now or timezone.now()
    meeting.save(update_fields=["status", "closed_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _no_open_motions(meeting)
    _set_status(meeting, Status.CANCELLED)
    meeting.save(update_fields=["status"])
    return meeting


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


def deputy_notified_for(seat: Seat, meeting: Meeting) -> bool:
    """A deputy counts if notified before the meeting day (IFPG: "in advance of
    any meeting"): a notice dated on the meeting day may have been given during
    the meeting, so it does not count. (The member's "my deputy will attend",
    ``Attendance.deputy_notified_at``, counts when recorded before the start.)"""
    return (
        seat.deputy_id is not None
        and seat.deputy_notified_on is not None
        and seat.deputy_notified_on < local_date(meeting.starts_at)
    )


@dataclass(frozen=True)
class AttendanceChange:
    seat: Seat
    status: str
    arrived_at: datetime | None = None
    left_at: datetime | None = None


def _record(
    meeting: Meeting, change: AttendanceChange, *, keep_times: bool
) -> Attendance:
    seat = change.seat
    if seat.board_id != meeting.board_id:
        raise ValidationError(
            {"seat": f"{seat} is not a seat of {meeting.board.label}."}
        )
    if change.status not in Attendance.Status.values:
        raise ValidationError(
            {"status": f"Unknown attendance status {change.status!r}."}
        )
    record, _ = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, seat=seat
    )
    record.status = change.status
    if change.status == Attendance.Status.DEPUTY:
        record.attendee_id = seat.deputy_id
        # Notified in advance via the seat, or by the member before the start.
        record.deputy_notified = record.deputy_notified_at is not None or (
            deputy_notified_for(seat, meeting)
        )
    elif change.status == Attendance.Status.PRESENT:
        record.attendee_id = seat.holder_id
    else:
        record.attendee_id = None
    if change.arrived_at is not None or not keep_times:
        record.arrived_at = change.arrived_at
    if change.left_at is not None or not keep_times:
        record.left_at = change.left_at
    if record.arrived_at and record.left_at and record.left_at < record.arrived_at:
        raise ValidationError({"left_at": "Departure is before arrival."})
    record.save()
    return record


def _attendance_open(meeting: Meeting) -> None:
    if meeting.status in (Status.CLOSED, Status.CANCELLED):
        raise RuleViolation(
            "The attendance of a finished meeting is part of the record and is not "
            "changed.",
            rule="meeting_status",
        )


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    seat: Seat,
    status: str,
    by,
    arrived_at: datetime | None = None,
    left_at: datetime | None = None,
) -> Attendance:
    """Record one seat's attendance, with arrival and departure when given."""
    _attendance_open(meeting)
    return _record(
        meeting,
        AttendanceChange(seat, status, arrived_at, left_at),
        keep_times=False,
    )


@transaction.atomic
def attendance_record_many(
    *, meeting: Meeting, changes: list[AttendanceChange], by
) -> list[Attendance]:
    """Record several seats at once (API PUT); all or nothing."""
    _attendance_open(meeting)
    return [_record(meeting, c, keep_times=False) for c in changes]


@transaction.atomic
def attendance_arrive(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    """The seat's holder (or deputy, if the status says so) arrives now; a seat
    not yet recorded becomes present."""
    _attendance_open(meeting)
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    status = (
        record.status
        if record is not None and record.status in ("present", "deputy")
        else Attendance.Status.PRESENT
    )
    return _record(
        meeting,
        AttendanceChange(seat, status, arrived_at=now or timezone.now()),
        keep_times=True,
    )


@transaction.atomic
def attendance_leave(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    _attendance_open(meeting)
    record = Attendance.objects.filter(meeting=meeting, seat=seat).first()
    if record is None or record.status not in ("present", "deputy"):
        raise RuleViolation("Only someone attending can leave.", rule="attendance")
    return _record(
        meeting,
        AttendanceChange(seat, record.status, left_at=now or timezone.now()),
        keep_times=True,
    )


@transaction.atomic
def apologies_send(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    """A member sends apologies for their seat before the meeting."""
    _before_start(meeting, now, "Apologies are sent before the meeting starts.")
    return _record(
        meeting, AttendanceChange(seat, Attendance.Status.APOLOGIES), keep_times=False
    )


def _before_start(meeting: Meeting, now: datetime | None, message: str) -> None:
    if (
        meeting.status != Status.SCHEDULED
        or (now or timezone.now()) >= meeting.starts_at
    ):
        raise RuleViolation(message, rule="before_meeting")


@transaction.atomic
def deputy_will_attend(
    *, meeting: Meeting, seat: Seat, by, now: datetime | None = None
) -> Attendance:
    """The member says their deputy will attend: this is the notification "in
    advance of any meeting" (Leicestershire IFPG), so the deputy counts."""
    now = now or timezone.now()
    _before_start(
        meeting, now, "A deputy must be notified before the meeting starts to count."
    )
    if seat.deputy_id is None:
        raise RuleViolation(
            "This seat has no deputy appointed; ask the secretary to record one.",
            rule="deputy",
        )
    record, _ = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, seat=seat
    )
    record.deputy_notified_at = now
    record.save(update_fields=["deputy_notified_at"])
    return _record(
        meeting, AttendanceChange(seat, Attendance.Status.DEPUTY), keep_times=False
    )


# --- interests and actions ----------------------------------------------------


@transaction.atomic
def declaration_record(
    *, item: AgendaItem, seat: Seat, interest: str, withdrew: bool, by, person=None
) -> Declaration:
    """Record a declaration of interest on an item. The person is whoever sits in
    the seat (holder, or the deputy attending) unless named."""
    if seat.board_id != item.meeting.board_id:
        raise ValidationError({"seat": "That seat is not on this board."})
    if not interest.strip():
        raise ValidationError({"interest": "Say what the interest is."})
    if person is None:
        record = Attendance.objects.filter(
            meeting_id=item.meeting_id, seat=seat
        ).first()
        person = (record and record.attendee) or seat.holder or by
    return Declaration.objects.create(
        item=item, seat=seat, person=person, interest=interest, withdrew=withdrew
    )


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    description: str,
    by,
    item: AgendaItem | None = None,
    owner=None,
    owner_name: str = "",
    due_on: date | None = None,
) -> Action:
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "That item is not on this meeting's agenda."})
    if not description.strip():
        raise ValidationError({"description": "Describe the action."})
    if owner is None and not owner_name.strip():
        raise ValidationError({"owner": "Name who owns the action."})
    return Action.objects.create(
        meeting=meeting,
        item=item,
        description=description,
        owner=owner,
        owner_name=owner_name or (owner.name if owner else ""),
        due_on=due_on,
    )


@transaction.atomic
def action_set_status(*, action: Action, status: str, by) -> Action:
    if status not in Action.Status.values:
        raise ValidationError({"status": "Unknown action status."})
    action.status = status
    action.save(update_fields=["status"])
    return action
