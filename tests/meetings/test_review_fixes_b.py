# ruff: noqa: F811 - the shared fixture is imported from test_minutes_setup
"""Review fixes: the minutes deadline for meetings nobody closed, the agenda pack
holds only issued papers, history rows for bulk changes, and one set of officers
for minutes and escalations (confidential items kept out of escalation e-mail)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from boards.models import Board, ChairTerm, Seat
from boards.selectors import authorised_officers_for_board
from boards.services.seats import seat_create
from governance.models import OutboxMessage
from meetings.models import Meeting, MinutesDeadline, MinutesVersion, Paper
from meetings.pdf import html_to_pdf
from meetings.services import minutes as services
from meetings.services.chair_elections import chair_elect
from meetings.services.escalations import escalation_open
from meetings.services.minutes_jobs import pack_items
from tests.boards.factories import (
    AuthorisedOfficerFactory,
    BoardFactory,
    PartnerFactory,
)
from tests.meetings.decisions_world import build, next_meeting
from tests.meetings.factories import MeetingFactory
from tests.meetings.test_minutes_setup import (  # noqa: F401 - fixture
    MEETING_AT,
    circulated_version,
    scenario,
)

pytestmark = pytest.mark.django_db


# --- 2. the minutes deadline for a meeting nobody closes ----------------------------


@pytest.mark.parametrize(
    "status, days, owed",
    [
        (Meeting.Status.IN_PROGRESS, -1, True),  # left in progress
        (Meeting.Status.SCHEDULED, -1, True),  # never started
        (Meeting.Status.CANCELLED, -1, False),  # cancelled: no minutes
        (Meeting.Status.SCHEDULED, 1, False),  # not yet held
    ],
)
def test_deadline_is_made_for_a_past_meeting_nobody_closed(
    scenario, status, days, owed
):
    """A meeting not cancelled whose start is past owes its minutes: the beat scan
    makes its deadline row even if nobody closed it."""
    now = MEETING_AT + dt.timedelta(days=3)
    meeting = MeetingFactory(
        board=scenario.board, starts_at=now + dt.timedelta(days=days), status=status
    )
    services.minutes_deadlines_scan(now=now)
    assert MinutesDeadline.objects.filter(meeting=meeting).exists() is owed


# --- 3. the agenda pack holds only issued papers ------------------------------------


def test_pack_leaves_out_papers_before_the_agenda_is_issued(scenario):
    """As for the paper download, a paper joins the agenda pack only once the
    agenda is issued (paper_issued)."""
    content = html_to_pdf("<p>Plan</p>")
    paper = Paper(
        item=scenario.decision,
        title="BCF plan",
        uploaded_by=scenario.secretary,
        content_type="application/pdf",
    )
    paper.file.save("plan.pdf", ContentFile(content), save=True)
    assert pack_items(scenario.meeting)[0].papers == []
    scenario.meeting.agenda_published_at = timezone.now()
    [packed] = pack_items(scenario.meeting)[0].papers
    assert packed.content == content


# --- 4. history rows for changes made in bulk ---------------------------------------


def test_superseding_a_version_leaves_a_history_row(scenario):
    """Circulating a correction supersedes the version it corrects, with history."""
    first = circulated_version(scenario)
    second = services.minutes_correct(
        version=first, by=scenario.secretary, change_note="Names corrected."
    )
    services.minutes_approve(version=second, by=scenario.chair)
    services.minutes_circulate(version=second, by=scenario.secretary)
    assert first.history.filter(status=MinutesVersion.Status.SUPERSEDED).exists()


def test_electing_a_chair_leaves_history_for_terms_and_seats():
    """Re-electing a chair closes the open term and moves the chair flag, each
    change with its history row."""
    w = build(chair_arrangement=Board.ChairArrangement.ELECTED)
    chair_elect(meeting=w.meeting, seat=w.c1, unanimous=True, by=w.secretary)
    old_term = ChairTerm.objects.get(board=w.board)
    later = next_meeting(w, days=380)
    chair_elect(meeting=later, seat=w.h1, unanimous=True, by=w.secretary)
    assert old_term.history.filter(ends_on__isnull=False).exists()
    assert Seat.history.filter(id=w.c1.pk, is_chair=True).exists()
    assert Seat.history.filter(id=w.c1.pk, is_chair=False).exists()
    assert Seat.history.filter(id=w.h1.pk, is_chair=True).exists()


def test_a_new_chair_seat_unsets_the_old_one_with_history():
    """boards: only one chair seat; the old chair seat's change has history."""
    partner = PartnerFactory()
    board = BoardFactory(partners=[partner])
    first = seat_create(board=board, title="A", partner=partner, is_chair=True)
    seat_create(board=board, title="B", partner=partner, is_chair=True)
    assert first.history.filter(is_chair=False).exists()


# --- 5. one set of officers; confidential items kept out of e-mail -----------------


def test_minutes_and_escalations_go_to_the_same_officers():
    """Both go to the active officers of the board's agreement for the board's
    partners: an officer of an agreement partner not on the board gets neither."""
    w = build()
    outsider = PartnerFactory(name="Other Council")
    w.board.agreement.partners.add(outsider)
    AuthorisedOfficerFactory(agreement=w.board.agreement, partner=outsider)
    expected = sorted(o.pk for o in w.officers)
    assert sorted(o.pk for o in authorised_officers_for_board(w.board)) == expected
    assert sorted(o.pk for o in services.minutes_officers(w.meeting)) == expected
    escalation = escalation_open(motion=w.motion, path="dispute_resolution")
    sent_to = OutboxMessage.objects.filter(
        key__startswith=f"escalation:{escalation.pk}:"
    ).values_list("to", flat=True)
    assert sorted(sent_to) == sorted(o.email for o in w.officers)


def test_escalation_mail_does_not_reveal_a_confidential_item():
    """A confidential item's title and motion text stay out of the e-mail: it says
    "a confidential item" and links to the escalations page."""
    w = build()
    w.item.title = "Provider contract negotiation"
    w.item.confidential = True
    w.item.save()
    w.motion.text = "That the PMG accepts the bid of £2m."
    w.motion.save()
    escalation_open(motion=w.motion, path="dispute_resolution")
    messages = list(OutboxMessage.objects.filter(key__startswith="escalation:"))
    assert messages
    for message in messages:
        text = message.subject + message.body
        assert "Provider contract" not in text and "£2m" not in text
        assert "a confidential item" in text
        assert "/escalations/" in message.body
