"""Writes for the search index: one ``SearchDocument`` per searchable record,
rebuilt from its source whenever the source is saved (``signals.py``), and all at
once by ``python manage.py search_reindex``.

Documents hold the text of every record, public or not (a member's search covers
what they may read); ``visibility.py`` decides at read time what reaches whom. An
item's secretary notes are never indexed: they are working notes, not the record.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    Meeting,
    MinutesEntry,
    MinutesVersion,
    Motion,
    Paper,
)

from ..models import PaperText, SearchDocument

Kind = SearchDocument.Kind
# tsvector holds at most 1 MB; a paper's text beyond this is not searched.
MAX_BODY = 300_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(*parts: str) -> str:
    """Join the non-empty parts, without control characters (PostgreSQL refuses
    NUL; the highlighter marks matches with two of the others)."""
    text = "\n".join(p.strip() for p in parts if p and p.strip())
    return _CONTROL.sub(" ", text)[:MAX_BODY]


def search_config() -> str:
    return getattr(settings, "SEARCH_CONFIG", "english")


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _vectorise(ids) -> None:
    if not uses_postgres() or not ids:
        return
    config = search_config()
    SearchDocument.objects.filter(pk__in=list(ids)).update(
        search_vector=SearchVector("title", weight="A", config=config)
        + SearchVector("body", weight="B", config=config)
    )


def _put(lookup: dict, **fields) -> SearchDocument:
    fields["title"] = clean(fields["title"])[:400]
    fields["body"] = clean(fields.get("body", ""))
    doc, _ = SearchDocument.objects.update_or_create(**lookup, defaults=fields)
    _vectorise([doc.pk])
    return doc


def _meeting_title(meeting: Meeting) -> str:
    return f"{meeting.board.name}: {meeting.get_kind_display().lower()} meeting"


@transaction.atomic
def index_meeting(meeting: Meeting) -> None:
    """The meeting's notice (its board, kind, place and purpose); dates of its
    documents follow the meeting when it moves."""
    _put(
        {"kind": Kind.MEETING, "meeting": meeting},
        board_id=meeting.board_id,
        title=_meeting_title(meeting),
        body=clean(meeting.location, meeting.purpose),
        date=meeting.starts_at,
    )
    SearchDocument.objects.filter(meeting=meeting).exclude(kind=Kind.DECISION).update(
        date=meeting.starts_at
    )


@transaction.atomic
def index_item(item: AgendaItem) -> None:
    """An agenda item (title, presenter, recommendation) and, once its motion has
    closed, its decision (the motion, outcome and reasons)."""
    item = AgendaItem.objects.select_related("meeting__board").get(pk=item.pk)
    meeting = item.meeting
    motion = Motion.objects.filter(item=item).first()
    _put(
        {"kind": Kind.ITEM, "item": item},
        board_id=meeting.board_id,
        meeting=meeting,
        motion=motion,
        title=item.title,
        body=clean(item.presenter, motion.text if motion else ""),
        date=meeting.starts_at,
    )
    if motion is not None and motion.status == Motion.Status.CLOSED:
        reasons = [str(r) for r in motion.outcome_reasons or []]
        _put(
            {"kind": Kind.DECISION, "item": item},
            board_id=meeting.board_id,
            meeting=meeting,
            motion=motion,
            title=item.title,
            body=clean(motion.text, motion.get_outcome_display(), *reasons),
            date=motion.closed_at or meeting.starts_at,
            outcome=motion.outcome,
        )
    else:
        SearchDocument.objects.filter(kind=Kind.DECISION, item=item).delete()
    # Documents hanging off the item follow it if it moved to another meeting.
    SearchDocument.objects.filter(item=item).exclude(meeting=meeting).update(
        meeting=meeting, board_id=meeting.board_id
    )


@transaction.atomic
def index_paper(paper: Paper) -> None:
    paper = Paper.objects.select_related("item__meeting").get(pk=paper.pk)
    text = PaperText.objects.filter(paper=paper).values_list("text", flat=True)
    meeting = paper.item.meeting
    _put(
        {"kind": Kind.PAPER, "paper": paper},
        board_id=meeting.board_id,
        meeting=meeting,
        item_id=paper.item_id,
        title=paper.title,
        body=text.first() or "",
        date=meeting.starts_at,
    )


@transaction.atomic
def index_minutes(version: MinutesVersion) -> None:
    """A version's opening summary and its narrative for each item."""
    version = MinutesVersion.objects.select_related("meeting__board").get(pk=version.pk)
    meeting = version.meeting
    common = {
        "board_id": meeting.board_id,
        "meeting": meeting,
        "date": meeting.starts_at,
    }
    if version.summary.strip():
        _put(
            {"kind": Kind.MINUTES, "minutes_version": version, "item": None},
            title=f"Minutes: {_meeting_title_for(meeting)}",
            body=version.summary,
            **common,
        )
    else:
        SearchDocument.objects.filter(
            kind=Kind.MINUTES, minutes_version=version, item__isnull=True
        ).delete()
    for entry in version.entries.select_related("item"):
        _entry(version, entry)


@transaction.atomic
def index_minutes_entry(entry: MinutesEntry) -> None:
    entry = MinutesEntry.objects.select_related("version__meeting", "item").get(
        pk=entry.pk
    )
    _entry(entry.version, entry)


def _entry(version: MinutesVersion, entry: MinutesEntry) -> None:
    lookup = {"kind": Kind.MINUTES, "minutes_version": version, "item": entry.item}
    if not entry.text.strip():
        SearchDocument.objects.filter(**lookup).delete()
        return
    meeting = version.meeting
    _put(
        lookup,
        board_id=meeting.board_id,
        meeting=meeting,
        date=meeting.starts_at,
        title=f"Minutes: {entry.item.title}",
        body=entry.text,
    )


def _meeting_title_for(meeting: Meeting) -> str:
    return f"{meeting.board.label} {timezone.localtime(meeting.starts_at):%-d %B %Y}"


def reindex_all() -> int:
    """Rebuild every document from the record (after a bulk load or a restore)."""
    for meeting in Meeting.objects.select_related("board").iterator():
        index_meeting(meeting)
    for item in AgendaItem.objects.only("pk").iterator():
        index_item(item)
    for paper in Paper.objects.only("pk").iterator():
        index_paper(paper)
    for version in MinutesVersion.objects.only("pk").iterator():
        index_minutes(version)
    return SearchDocument.objects.count()
