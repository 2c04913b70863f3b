"""Machine-readable public records (issue 19): an Atom 1.0 feed of new decisions and
published minutes (per board, and for every published board), the CSV of a board's
decisions, and the iCalendar of its meetings. URLs carry ids, never titles, so they
do not change when a title does."""

import csv
from datetime import datetime

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from meetings import ical

from .. import selectors
from ..context import organisation

FEED_LENGTH = 50
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Entry:
    def __init__(self, *, title, link, description, when, categories):
        self.title = title
        self.link = link
        self.description = description
        self.when = when
        self.categories = categories


def _entries(board=None) -> list[_Entry]:
    entries = []
    for motion in selectors.public_decisions(board)[:FEED_LENGTH]:
        meeting = motion.item.meeting
        label = "Recommendation" if motion.recommendation else "Decision"
        entries.append(
            _Entry(
                title=f"{label}: {motion.item.title} ({motion.get_outcome_display()})",
                link=reverse("public:decision", args=[motion.pk]),
                description=f"{meeting.board.name}, "
                f"{timezone.localtime(meeting.starts_at):%-d %B %Y}. {motion.text}",
                when=motion.closed_at or meeting.starts_at,
                categories=("decision", motion.outcome),
            )
        )
    for version in selectors.published_minutes_list(board)[:FEED_LENGTH]:
        meeting = version.meeting
        when = timezone.localtime(meeting.starts_at)
        state = version.get_status_display().lower()
        entries.append(
            _Entry(
                title=f"Minutes: {meeting.board.label}, {when:%-d %B %Y}",
                link=reverse("public:minutes", args=[meeting.pk]),
                description=f"Minutes of the {meeting.get_kind_display().lower()} "
                f"meeting of {meeting.board.name} on {when:%-d %B %Y} ({state}).",
                when=version.confirmed_at or version.circulated_at,
                categories=("minutes",),
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:FEED_LENGTH]


class DecisionsFeed(Feed):
    """Atom 1.0: each entry has a stable id (its URL), a title, a summary, and
    published and updated times; the feed names its author (the organisation)."""

    feed_type = Atom1Feed

    def get_object(self, request, pk=None):
        return selectors.public_board(pk) if pk is not None else None

    def title(self, board):
        name = board.name if board else "every published board"
        return f"Decisions and minutes: {name}"

    def subtitle(self, board):
        return f"New decisions and published minutes, from {organisation()['name']}."

    def link(self, board):
        if board is None:
            return reverse("public:index")
        return reverse("public:board", args=[board.pk])

    def feed_url(self, board):
        if board is None:
            return reverse("public:feed")
        return reverse("public:board_feed", args=[board.pk])

    def author_name(self):
        return organisation()["name"]

    def items(self, board):
        return _entries(board)

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_description(self, entry):
        return entry.description

    def item_pubdate(self, entry):
        return entry.when

    def item_updateddate(self, entry):
        return entry.when

    def item_categories(self, entry):
        return entry.categories


board_feed = login_not_required(DecisionsFeed())
feed = login_not_required(DecisionsFeed())


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


CSV_COLUMNS = [
    "decision_id",
    "board",
    "meeting_id",
    "meeting_date",
    "item_id",
    "item",
    "motion",
    "financial_value_gbp",
    "outcome",
    "outcome_label",
    "recommendation",
    "decided_at",
    "votes_for",
    "votes_against",
    "votes_abstain",
    "url",
]


@login_not_required
@require_GET
def board_decisions_csv(request, pk):
    """Every published decision of a board, newest first, one row each (UTF-8 with a
    byte order mark, so spreadsheets read the £ sign)."""
    board = selectors.public_board(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="decisions-board-{board.pk}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for motion in selectors.public_decisions(board).iterator(chunk_size=500):
        meeting = motion.item.meeting
        tally = motion.tally or {}
        writer.writerow(
            [
                _cell(v)
                for v in (
                    motion.pk,
                    board.name,
                    meeting.pk,
                    timezone.localtime(meeting.starts_at).date().isoformat(),
                    motion.item_id,
                    motion.item.title,
                    motion.text,
                    motion.financial_value
                    if motion.financial_value is not None
                    else "",
                    motion.outcome,
                    motion.get_outcome_display(),
                    "yes" if motion.recommendation else "no",
                    _when(motion.closed_at),
                    tally.get("for", ""),
                    tally.get("against", ""),
                    tally.get("abstain", ""),
                    request.build_absolute_uri(
                        reverse("public:decision", args=[motion.pk])
                    ),
                )
            ]
        )
    return response


@login_not_required
@require_GET
def board_ics(request, pk):
    """The board's published meetings as iCalendar, agendas once issued, an exempt
    item shown only as its Schedule 12A paragraph (never its title), each event
    linking to its public page."""
    board = selectors.public_board(pk)
    meetings = selectors.public_meetings(board).prefetch_related("items")
    body = ical.calendar_for(
        meetings,
        name=f"{board.label} meetings ({organisation()['name']})",
        base_url=request.build_absolute_uri("/"),
        url_for=lambda m: reverse("public:meeting", args=[m.pk]),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="board-{board.pk}.ics"'
    return response
