"""Every mail template (issue 13), rendered with realistic data through the service
that sends it: the subject is plain text on one line (a board called "Better Care &
Integrated ..." keeps its ampersand, never "&amp;"), and every link is absolute and
starts with ``SITE_URL``."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from governance.mail import render_mail
from governance.models import OutboxMessage, Role
from governance.services.invitations import invitation_create
from governance.services.password_reset import password_reset_send
from meetings.models import Escalation, MeetingChair, MinutesVersion
from meetings.services import minutes as minutes_services
from meetings.services.agenda import meeting_publish_agenda
from meetings.services.escalations import escalation_open
from meetings.services.lifecycle import meeting_cancel, meeting_update
from publication.services.subscriptions import subscription_request
from tests.boards.factories import (
    AuthorisedOfficerFactory,
    BoardFactory,
    PartnerFactory,
    SeatFactory,
)
from tests.governance.factories import UserFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory, MotionFactory

pytestmark = pytest.mark.django_db

SITE = "https://governance.example.org"
BOARD = "Better Care & Integrated Commissioning Service Partnership Management Group"
URL = re.compile(r"https?://[^\s)\"'>]+")
# A site path written without the origin: " /meetings/3/" or "at /boards/".
RELATIVE = re.compile(r"(?:^|[\s(\"'])/[a-z][\w\-]*/", re.MULTILINE)
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def check(subject: str, body: str) -> list[str]:
    """The subject is one plain line; every link is absolute under SITE_URL. Returns
    the links."""
    assert subject and subject == subject.strip()
    assert "\n" not in subject and "\r" not in subject
    assert not re.search(r"&(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", subject + body)
    links = URL.findall(body)
    for link in links:
        assert link.startswith(SITE + "/"), link
    assert not RELATIVE.search(body), RELATIVE.search(body)
    return links


def world():
    council = PartnerFactory(name="Portsmouth City Council")
    ccg = PartnerFactory(name="NHS Portsmouth CCG")
    secretary = UserFactory(role=Role.SECRETARY, name="Sam Secretary")
    board = BoardFactory(
        name=BOARD, short_name="Portsmouth PMG", partners=[council, ccg]
    )
    board.secretaries.set([secretary])
    board.agreement.partners.set([council, ccg])
    board.agreement.dispute_resolution = (
        "The dispute resolution procedure set out in the Agreement (PMG ToR 4.3)."
    )
    board.agreement.save()
    chair_seat = SeatFactory(board=board, partner=council, is_chair=True)
    SeatFactory(board=board, partner=ccg, deputy=UserFactory())
    officers = [
        AuthorisedOfficerFactory(agreement=board.agreement, partner=p)
        for p in (council, ccg)
    ]
    meeting = MeetingFactory(board=board, location="Civic Offices, Portsmouth")
    return board, meeting, secretary, chair_seat, officers


def test_every_mail_template_has_a_test_here():
    names = {
        str(p.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for p in TEMPLATES.rglob("*_subject.txt")
    }
    assert names == {
        "emails/agenda_issued",
        "emails/escalation",
        "emails/invitation",
        "emails/meeting_cancelled",
        "emails/meeting_moved",
        "emails/minutes",
        "emails/reminder",
        "publication/emails/confirm",
        "publication/emails/digest",
    }


def test_agenda_issued_mail():
    board, meeting, secretary, *_ = world()
    AgendaItemFactory(meeting=meeting, title="Better Care Fund plan 2027/28")
    meeting_publish_agenda(meeting=meeting, by=secretary)
    messages = OutboxMessage.objects.filter(key__startswith="agenda:")
    assert messages.count() == 3  # two holders and a deputy
    for message in messages:
        links = check(message.subject, message.body)
        assert BOARD in message.body and "Portsmouth PMG" in message.subject
        assert f"{SITE}/meetings/{meeting.pk}/" in links


def test_meeting_moved_and_cancelled_mails():
    board, meeting, secretary, *_ = world()
    later = meeting.starts_at + datetime.timedelta(days=7)
    meeting_update(
        meeting=meeting,
        starts_at=later,
        location="Guildhall",
        purpose="",
        by=secretary,
    )
    moved = OutboxMessage.objects.filter(key__startswith="moved:")
    assert moved.count() == 4  # two holders, a deputy and the secretary
    for message in moved:
        links = check(message.subject, message.body)
        assert "Portsmouth PMG" in message.subject and BOARD in message.body
        assert "Guildhall" in message.body and "Civic Offices" in message.body
        assert f"{SITE}/meetings/{meeting.pk}/" in links
    meeting_cancel(meeting=meeting, by=secretary, reason="No business & no papers.")
    cancelled = OutboxMessage.objects.filter(key__startswith="cancelled:")
    assert cancelled.count() == 4
    for message in cancelled:
        links = check(message.subject, message.body)
        assert "No business & no papers." in message.body
        assert f"{SITE}/meetings/{meeting.pk}/" in links


def test_escalation_mail_cites_the_boards_own_clause():
    from boards.services.sources import rule_source_set

    board, meeting, *_, officers = world()
    rule_source_set(
        board=board,
        rule="escalation",
        kind="terms",
        document="Portsmouth PMG ToR",
        paragraph="4.3",
        quote="If no unanimity is reached on the second occasion ...",
    )
    item = AgendaItemFactory(meeting=meeting, title="Carers' breaks & respite")
    motion = MotionFactory(
        item=item,
        text="That £150,000 is redistributed to the hospital discharge scheme.",
        financial_value=Decimal("150000.00"),
        outcome_reasons=["NHS Portsmouth CCG voted against."],
    )
    escalation = escalation_open(
        motion=motion, path=Escalation.Path.AUTHORISED_OFFICERS
    )
    messages = OutboxMessage.objects.filter(key__startswith="escalation:")
    assert messages.count() == len(officers)
    for message in messages:
        links = check(message.subject, message.body)
        assert "Carers' breaks & respite" in message.subject
        assert "The board's rule: Portsmouth PMG ToR 4.3" in message.body
        assert "West Kent" not in message.body
        assert links == [f"{SITE}/meetings/escalations/#escalation-{escalation.pk}"]


def test_escalation_mail_says_when_the_terms_are_silent():
    board, meeting, *_ = world()
    motion = MotionFactory(item=AgendaItemFactory(meeting=meeting))
    escalation_open(motion=motion, path=Escalation.Path.DISPUTE_RESOLUTION)
    message = OutboxMessage.objects.filter(key__startswith="escalation:").first()
    check(message.subject, message.body)
    assert "terms of reference do not state" in message.body


def test_minutes_mail_and_record_of_decisions_mail():
    board, meeting, secretary, _, officers = world()
    first = MinutesVersion(meeting=meeting, number=1)
    version = MinutesVersion(
        meeting=meeting,
        number=2,
        corrects=first,
        change_note="Item 3: the amount is £150,000, not £15,000.",
        record={"full": {"confidential_included": 1}},
        full_pdf_sha256="ab" * 32,
    )
    subject, body = minutes_services._officer_mail(version, officers[0], kind="minutes")
    check(subject, body)
    assert subject.startswith(f"Minutes: {BOARD}, ") and "version 2" in subject
    subject, body = minutes_services._officer_mail(
        meeting, officers[0], kind="record", record={"confidential_included": 0}
    )
    check(subject, body)
    assert subject.startswith(f"Record of decisions: {BOARD}, ")


def test_minutes_due_reminder_goes_to_the_secretary_and_the_chair():
    """The secretary writes the minutes and the chair signs them off: both are
    reminded, and so is whoever chaired this meeting (alternate chairs)."""
    board, meeting, secretary, chair_seat, _ = world()
    other_seat = board.seats.exclude(pk=chair_seat.pk).get()
    MeetingChair.objects.create(
        meeting=meeting,
        seat=other_seat,
        person=other_seat.holder,
        capacity="chair",
        recorded_by=secretary,
        recorded_at=timezone.now(),
    )
    deadline = minutes_services.minutes_deadline_ensure(meeting=meeting)
    minutes_services._remind(deadline, timezone.now())
    messages = OutboxMessage.objects.filter(key__startswith="minutes-reminder:")
    assert sorted(m.to for m in messages) == sorted(
        [secretary.email, chair_seat.holder.email, other_seat.holder.email]
    )
    for message in messages:
        links = check(message.subject, message.body)
        assert message.subject.startswith("Minutes due ")
        assert BOARD in message.subject
        assert links == [f"{SITE}/meetings/{meeting.pk}/minutes/"]


def test_invitation_and_password_reset_mails():
    admin = UserFactory(role=Role.ADMINISTRATOR, name="Alex Admin")
    invitation_create(by=admin, name="Jo O'Brien & Partner", email="jo@partner.example")
    invitation = OutboxMessage.objects.get(key__startswith="invitation:")
    links = check(invitation.subject, invitation.body)
    assert links and "Jo O'Brien & Partner" in invitation.body
    assert password_reset_send(email="jo@partner.example") == 1
    reset = OutboxMessage.objects.get(key__startswith="password-reset:")
    assert check(reset.subject, reset.body)


def test_subscription_confirmation_mail():
    board, *_ = world()
    subscription_request(board=board, email="reader@example.org")
    message = OutboxMessage.objects.get(key__startswith="subscribe:")
    links = check(message.subject, message.body)
    assert message.subject == f"Confirm: follow {BOARD}"
    assert len(links) == 2


def test_digest_mail():
    board, meeting, *_ = world()
    now = timezone.now()
    subject, body = render_mail(
        "publication/emails/digest",
        {
            "board": board,
            "start": now - datetime.timedelta(days=7),
            "end": now,
            "count": 1,
            "agendas": [(meeting, f"{SITE}/public/meetings/{meeting.pk}/")],
            "minutes": [],
            "decisions": [],
            "board_url": f"{SITE}/public/boards/{board.pk}/",
            "end_url": f"{SITE}/public/subscriptions/end/token/",
        },
    )
    assert subject == f"{BOARD}: 1 new record this week"
    assert len(check(subject, body)) == 3


def test_terms_of_reference_review_mail_links_to_the_board():
    """A mail whose words are in the service, not a template: the same checks."""
    from boards.services.terms_of_reference import tor_review_reminders_send
    from tests.boards.factories import TermsOfReferenceFactory

    board, *_ = world()
    TermsOfReferenceFactory(
        board=board, version="2", review_due=datetime.date(2026, 5, 1)
    )
    assert tor_review_reminders_send(today=datetime.date(2026, 4, 1)) == 1
    message = OutboxMessage.objects.get(key__startswith="tor-review:")
    assert check(message.subject, message.body) == [f"{SITE}/boards/{board.pk}/"]
