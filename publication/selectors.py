"""Reads for the public pages, feeds and exports, shaped for one page each; every
queryset is filtered by ``visibility.py`` and none grows its query count with its
rows. A record that is not public is "not found" (404), never "forbidden": a visitor
learns nothing of what is withheld."""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from boards.models import Board
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MinutesVersion,
    Motion,
    Paper,
    Vote,
)

from . import visibility as v
from .models import BoardPublication
from .redaction import public_minutes

MINUTES_PUBLISHED = sorted(v.MINUTES_PUBLISHED)
FORMATS = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
}


def _labelled(papers):
    for paper in papers:
        paper.format_label = FORMATS.get(paper.content_type, "file")
    return papers


def published_boards():
    return (
        Board.objects.filter(v.board_published_q(""))
        .select_related("publication", "agreement")
        .order_by("name")
    )


def public_board(pk: int) -> Board:
    board = published_boards().filter(pk=pk).first()
    if board is None:
        raise Http404("No such published board.")
    return board


def public_meetings(board: Board | None = None):
    meetings = Meeting.objects.filter(v.meeting_listed_q()).select_related("board")
    if board is not None:
        meetings = meetings.filter(board=board)
    return meetings


def public_meeting(pk: int) -> Meeting:
    meeting = public_meetings().select_related("board__publication").filter(pk=pk)
    found = meeting.first()
    if found is None:
        raise Http404("No such published meeting.")
    return found


def facts(meeting: Meeting, **more) -> v.Facts:
    return v.Facts(
        board_published=True,  # every meeting read here came through meeting_listed_q
        meeting_status=meeting.status,
        agenda_issued=meeting.agenda_published_at is not None,
        **more,
    )


def public_decisions(board: Board | None = None):
    motions = (
        Motion.objects.filter(v.decision_public_q())
        .select_related("item__meeting__board")
        .order_by("-closed_at", "-id")
    )
    if board is not None:
        motions = motions.filter(item__meeting__board=board)
    return motions


def public_decision(pk: int) -> Motion:
    motion = (
        public_decisions()
        .prefetch_related(
            "commits",
            Prefetch(
                "votes",
                queryset=Vote.objects.select_related("seat__partner").order_by(
                    "seat__order", "seat_id"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if motion is None:
        raise Http404("No such published decision.")
    return motion


def public_papers():
    return Paper.objects.filter(v.paper_public_q()).select_related("item__meeting")


def public_paper(pk: int) -> Paper:
    paper = public_papers().filter(pk=pk).first()
    if paper is None:
        raise Http404("No such published paper.")
    return paper


def published_minutes(meeting: Meeting) -> MinutesVersion | None:
    """The newest circulated or confirmed version: what the public reads."""
    return (
        MinutesVersion.objects.filter(v.minutes_public_q(), meeting=meeting)
        .order_by("-number")
        .first()
    )


def published_minutes_meeting_ids(meetings) -> set[int]:
    return set(
        MinutesVersion.objects.filter(
            v.minutes_public_q(), meeting__in=meetings
        ).values_list("meeting_id", flat=True)
    )


# --- pages ----------------------------------------------------------------------


def index_page() -> dict:
    now = timezone.now()
    boards = list(
        published_boards().annotate(
            upcoming=Count("meetings", filter=Q(meetings__starts_at__gte=now)),
        )
    )
    return {"boards": boards}


PAST_MEETINGS_PAGE = 50


def board_page(board: Board, *, page: str | int | None = None) -> dict:
    """The board's public page: its coming meetings (soonest first), one page of
    its past meetings (newest first, ``page``), its latest decisions. A constant
    number of queries, however long the board's history."""
    now = timezone.now()
    listed = public_meetings(board)
    upcoming = list(listed.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    past = Paginator(
        listed.filter(starts_at__lt=now).order_by("-starts_at", "-pk"),
        PAST_MEETINGS_PAGE,
    ).get_page(page)
    meetings = [*upcoming, *past.object_list]
    with_minutes = published_minutes_meeting_ids([m.pk for m in meetings])
    for meeting in meetings:
        meeting.public_agenda = v.agenda_public(facts(meeting))
        meeting.public_minutes = meeting.pk in with_minutes
    return {
        "board": board,
        "publication": board.publication,
        "partners": list(board.partners.order_by("name")),
        "upcoming": upcoming,
        "past": past,
        "decisions": list(public_decisions(board)[:10]),
    }


def _items(meeting: Meeting):
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("motion")
        .prefetch_related(
            Prefetch(
                "papers",
                queryset=Paper.objects.filter(v.paper_public_q()).order_by(
                    "uploaded_at", "id"
                ),
                to_attr="public_papers",
            )
        )
        .order_by("order", "id")
    )


def meeting_page(meeting: Meeting) -> dict:
    f = facts(meeting)
    items = []
    if v.agenda_public(f):
        for number, item in enumerate(_items(meeting), start=1):
            item.number = number
            item.public = v.item_public(facts(meeting, confidential=item.confidential))
            item.exempt_label = "" if item.public else v.exempt_label(item)
            motion = getattr(item, "motion", None)
            item.public_decision = (
                motion
                if item.public
                and motion is not None
                and v.decision_public(
                    facts(
                        meeting,
                        confidential=item.confidential,
                        motion_status=motion.status,
                    )
                )
                else None
            )
            if not item.public:
                item.public_papers = []
            _labelled(item.public_papers)
            items.append(item)
    attendance = []
    if v.attendance_public(f):
        attendance = list(
            Attendance.objects.filter(meeting=meeting)
            .select_related("seat__partner")
            .order_by("seat__order", "seat_id")
        )
    return {
        "meeting": meeting,
        "board": meeting.board,
        "agenda_public": v.agenda_public(f),
        "items": items,
        "exempt_count": sum(1 for i in items if not i.public),
        "attendance": attendance,
        "minutes": published_minutes(meeting),
    }


def public_item(pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.filter(v.item_public_q())
        .select_related("meeting__board", "motion")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such published item.")
    return item


def item_page(pk: int) -> dict:
    item = public_item(pk)
    meeting = item.meeting
    motion = getattr(item, "motion", None)
    decision = None
    if motion is not None and v.decision_public(
        facts(meeting, motion_status=motion.status)
    ):
        decision = motion
    minutes = published_minutes(meeting)
    narrative = ""
    if minutes is not None:
        record = minutes_record(minutes)
        narrative = next(
            (i.get("narrative", "") for i in record["items"] if i.get("id") == item.pk),
            "",
        )
    return {
        "item": item,
        "meeting": meeting,
        "board": meeting.board,
        "papers": _labelled(
            list(public_papers().filter(item=item).order_by("uploaded_at"))
        ),
        "decision": decision,
        "minutes": minutes,
        "narrative": narrative,
    }


def minutes_record(version: MinutesVersion) -> dict:
    """The public version of a circulated version's frozen record (``redaction``),
    confidential items judged as they are now as well as when circulated."""
    frozen = version.record or {}
    record = frozen.get("full") or frozen.get("shared") or {}
    if not isinstance(record, dict) or "items" not in record:
        from meetings.services.minutes import version_record

        record = version_record(version, include_confidential=False)
    meeting_items = list(
        AgendaItem.objects.filter(meeting_id=version.meeting_id).values(
            "pk", "confidential"
        )
    )
    confidential = {row["pk"] for row in meeting_items if row["confidential"]}
    by_id = {
        item.pk: v.exempt_label(item)
        for item in AgendaItem.objects.filter(pk__in=confidential)
    }
    return public_minutes(
        record,
        confidential_ids=confidential,
        exempt_labels=by_id,
        default_exempt=v.exempt_label(None),
    )


def minutes_page(meeting: Meeting) -> dict:
    version = published_minutes(meeting)
    if version is None:
        raise Http404("These minutes are not published.")
    return {
        "meeting": meeting,
        "board": meeting.board,
        "version": version,
        "record": minutes_record(version),
    }


def board_section(board: Board) -> dict:
    """The publication setting and its source, on the board's (signed-in) page."""
    return {"publication": BoardPublication.objects.filter(board=board).first()}


def published_minutes_list(board: Board | None = None):
    """Published minutes, newest circulation first (feeds): for each meeting only
    its newest circulated or confirmed version."""
    versions = (
        MinutesVersion.objects.filter(v.minutes_public_q())
        .select_related("meeting__board")
        .defer("pdf", "full_pdf", "record")
        .order_by("-circulated_at", "-id")
    )
    if board is not None:
        versions = versions.filter(meeting__board=board)
    newer = MinutesVersion.objects.filter(
        v.minutes_public_q(), meeting=OuterRef("meeting"), number__gt=OuterRef("number")
    )
    return versions.exclude(Exists(newer))
