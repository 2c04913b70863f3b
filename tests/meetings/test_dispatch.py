"""Dispatch of minutes to the authorised officers (SPEC s.5): one delivery per
(version, officer), through the transactional outbox, never sent twice; the deadline
scan reminds and, on the deadline day, sends the record of decisions."""

import datetime as dt
import io
import time
from email import message_from_bytes

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from governance import outbox
from governance.models import OutboxMessage
from meetings import tasks
from meetings.models import Delivery, Meeting, MinutesDeadline, Motion
from meetings.services import minutes as services
from tests.meetings.factories import MeetingFactory
from tests.meetings.minutes_scenario import (
    MEETING_AT,
    approved_version,
    build_scenario,
    circulated_version,
)

LONDON = MEETING_AT.tzinfo


def test_circulating_queues_one_delivery_per_authorised_officer(scenario):
    """Every active authorised officer of every partner of the board gets one
    delivery, linked to its outbox row by the key minutes:<version>:officer:<id>."""
    version = circulated_version(scenario)
    deliveries = list(version.deliveries.select_related("outbox"))
    assert sorted(d.officer_id for d in deliveries) == sorted(
        o.pk for o in scenario.officers
    )
    for delivery in deliveries:
        assert (
            delivery.outbox.key == f"minutes:{version.pk}:officer:{delivery.officer_id}"
        )
        # The scenario has a confidential item: officers get the full minutes.
        assert delivery.outbox.attachment_name == version.pdf_name.replace(
            ".pdf", "-confidential.pdf"
        )
        assert bytes(delivery.outbox.attachment) == bytes(version.full_pdf)


def pdf_text(content) -> str:
    reader = PdfReader(io.BytesIO(bytes(content)))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_authorised_officers_receive_the_confidential_items(scenario):
    """SPEC s.2: "minutes of all decisions" (Portsmouth 4.5, IFPG) means all: the
    officers' copy includes the confidential item, marked confidential with its
    Schedule 12A paragraph and a covering note; the published version leaves it out
    and says why."""
    text = pdf_text
    version = circulated_version(scenario)
    delivery = version.deliveries.select_related("outbox").first()
    officers_copy = text(delivery.outbox.attachment)
    assert "Provider contract negotiation" in officers_copy
    assert "CONFIDENTIAL" in officers_copy
    assert "exempt under paragraph 3 of Schedule 12A" in officers_copy
    assert "CONFIDENTIAL: the attached minutes include 1 confidential" in (
        delivery.outbox.body
    )
    published = text(version.pdf)
    assert "Provider contract negotiation" not in published
    assert "Exempt under paragraph 3 of Schedule 12A" in published


def test_relay_sends_the_pdf_and_records_time_message_id_attempts_outcome(scenario):
    """The relay sends each officer the shared PDF; each delivery shows when, the
    message id, the attempts and the outcome."""
    version = circulated_version(scenario)
    outbox.outbox_relay()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        o.email for o in scenario.officers
    )
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)
    for delivery in version.deliveries.all():
        assert delivery.outcome == "sent"
        assert delivery.sent_at is not None
        assert delivery.message_id.startswith("<")
        assert delivery.attempts == 1


def test_sending_is_idempotent_per_version_and_officer_under_duplicated_tasks(scenario):
    """Duplicate task deliveries, retries and a second circulation attempt never
    send a version twice to the same officer."""
    version = circulated_version(scenario)
    for _ in range(3):  # the same relay task delivered three times
        tasks.minutes_deadlines_scan.apply()
        from governance.tasks import outbox_relay

        outbox_relay.apply()
    with pytest.raises(Exception):  # noqa: B017 - the workflow refuses
        services.minutes_circulate(version=version, by=scenario.secretary)
    # Enqueueing the same key again makes no new row.
    first = Delivery.objects.filter(version=version).first()
    again = outbox.outbox_enqueue(
        key=first.outbox.key, to=first.email, subject="again", body="again"
    )
    assert again.pk == first.outbox_id
    outbox.outbox_relay()
    assert len(mail.outbox) == len(scenario.officers)


def test_database_forbids_a_second_delivery_of_a_version_to_an_officer(scenario):
    """UniqueConstraint(version, officer) is the last word."""
    version = circulated_version(scenario)
    existing = version.deliveries.first()
    message = OutboxMessage.objects.create(
        key="other", to="x@x.example", subject="s", body="b"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            version=version,
            meeting=version.meeting,
            officer=existing.officer,
            email=existing.email,
            outbox=message,
        )


def test_a_row_claimed_by_another_worker_is_not_sent_again(scenario):
    """A relay skips rows another relay is sending (claimed: state sending)."""
    circulated_version(scenario)
    OutboxMessage.objects.update(state=OutboxMessage.State.SENDING)
    assert outbox.outbox_relay() == 0
    assert mail.outbox == []


def test_outbox_survives_a_broker_that_is_down_at_circulation(
    scenario, monkeypatch, client, django_capture_on_commit_callbacks
):
    """Circulating while the broker is down still answers promptly; the outbox rows
    committed with the change are sent by the next beat sweep."""
    from governance.tasks import outbox_relay

    def broker_down(*args, **kwargs):
        raise OperationalError(
            "Error 111 connecting to 127.0.0.1:6379. Connection refused."
        )

    monkeypatch.setattr(outbox_relay, "apply_async", broker_down)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    version = approved_version(scenario)
    client.force_login(scenario.secretary)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/meetings/minutes/{version.pk}/circulate/")
    assert callbacks, "the relay nudge ran after commit and met the dead broker"
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(state="pending").count() == len(
        scenario.officers
    )
    assert mail.outbox == []
    monkeypatch.undo()
    outbox_relay.apply()  # beat's sweep, once the broker is back
    assert len(mail.outbox) == len(scenario.officers)


def test_a_failed_send_is_retried_and_the_delivery_shows_the_attempts(
    scenario, monkeypatch
):
    """SMTP failure: the delivery stays pending with one attempt and the error; a
    later sweep sends it."""
    version = circulated_version(scenario)

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    outbox.outbox_relay()
    delivery = version.deliveries.select_related("outbox").first()
    assert delivery.outcome == "pending" and delivery.attempts == 1
    monkeypatch.undo()
    OutboxMessage.objects.update(next_attempt_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    outbox.outbox_relay()
    delivery = version.deliveries.select_related("outbox").first()
    assert delivery.outcome == "sent" and delivery.attempts == 2


# --- deadlines ------------------------------------------------------------------------


def at(day, hour):
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=LONDON)


def test_beat_makes_the_deadline_row_for_a_closed_meeting(scenario):
    """The scan creates each held meeting's deadline from the board's days."""
    counts = services.minutes_deadlines_scan(now=at(3, 9))
    assert counts["created"] == 1
    assert MinutesDeadline.objects.get(meeting=scenario.meeting).due_on == dt.date(
        2026, 3, 9
    )


def test_reminds_the_secretary_and_chair_two_days_before_once(scenario):
    """Two days before the deadline the secretary and the chair are reminded, once."""
    services.minutes_deadlines_scan(now=at(6, 9))
    assert OutboxMessage.objects.count() == 0
    services.minutes_deadlines_scan(now=at(7, 9))
    services.minutes_deadlines_scan(now=at(7, 10))
    outbox.outbox_relay()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [scenario.secretary.email, scenario.chair.email]
    )
    assert "Minutes due" in mail.outbox[0].subject


def test_fallback_sends_the_record_of_decisions_on_the_deadline_day(scenario):
    """On the deadline day, if the minutes are not circulated, the generated record
    of decisions goes to every officer, so the deadline is met; once only. It is
    the record of all decisions, the confidential one included."""
    Motion.objects.create(
        item=scenario.confidential,
        text="That the provider's bid is accepted.",
        status=Motion.Status.CLOSED,
        outcome="carried",
        quorum_snapshot={"quorate": True, "unmet": []},
    )
    services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    services.minutes_deadlines_scan(now=at(9, 11))
    assert not Delivery.objects.exists()
    counts = services.minutes_deadlines_scan(now=at(9, 12))
    assert counts["fallback"] == 1
    services.minutes_deadlines_scan(now=at(9, 13))  # a second sweep does nothing
    outbox.outbox_relay()
    records = [m for m in mail.outbox if m.subject.startswith("Record of decisions")]
    assert len(records) == len(scenario.officers)
    assert records[0].attachments[0][0].startswith("record-of-decisions")
    # "Minutes of all decisions" means all: the officers' record includes the
    # confidential item, marked as such (SPEC s.2, s.5).
    text = pdf_text(records[0].attachments[0][1])
    assert "Provider contract negotiation" in text and "CONFIDENTIAL" in text
    assert "That the provider's bid is accepted." in text
    deadline = MinutesDeadline.objects.get(meeting=scenario.meeting)
    assert deadline.status == "sent_on_time" and deadline.fallback_sent_at == at(9, 12)


def test_no_fallback_when_minutes_were_circulated_in_time(scenario):
    """Circulated minutes meet the deadline: no record of decisions is sent."""
    version = approved_version(scenario)
    services.minutes_circulate(version=version, by=scenario.secretary, now=at(5, 10))
    counts = services.minutes_deadlines_scan(now=at(9, 12))
    assert counts["fallback"] == 0
    assert not Delivery.objects.filter(kind=Delivery.Kind.RECORD_OF_DECISIONS).exists()


def test_missed_deadline_becomes_overdue_then_sent_late(db):
    """A meeting with no officers' send after the day is overdue until sent; minutes
    circulated after the day are sent late."""
    s = build_scenario()
    services.minutes_deadline_ensure(meeting=s.meeting)
    MinutesDeadline.objects.update(fallback_sent_at=at(9, 12))  # pretend: no record
    services.minutes_deadlines_scan(now=at(10, 9))
    assert MinutesDeadline.objects.get().status == "overdue"
    version = approved_version(s)
    services.minutes_circulate(version=version, by=s.secretary, now=at(11, 9))
    assert MinutesDeadline.objects.get().status == "sent_late"


# --- real SMTP --------------------------------------------------------------------------


@pytest.fixture
def smtp_server(mailbox, settings):
    """This process sends mail over SMTP to the test's own SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mailbox.port
    settings.EMAIL_USE_TLS = False
    return mailbox


def test_a_real_smtp_server_receives_the_minutes_with_the_pdf(scenario, smtp_server):
    """Circulate, run the relay: each officer gets exactly one message over SMTP with
    the PDF attached, byte for byte the stored circulated version."""
    version = circulated_version(scenario)
    outbox.outbox_relay()
    outbox.outbox_relay()
    received = {}
    for rcpt_tos, content in smtp_server.messages:
        for rcpt in rcpt_tos:
            received.setdefault(rcpt, []).append(message_from_bytes(content))
    assert sorted(received) == sorted(o.email for o in scenario.officers)
    for messages in received.values():
        assert len(messages) == 1
        parts = [
            p for p in messages[0].walk() if p.get_content_type() == "application/pdf"
        ]
        assert len(parts) == 1
        assert parts[0].get_payload(decode=True) == bytes(version.full_pdf)
    assert all(d.outcome == "sent" for d in version.deliveries.all())


def test_a_request_answers_promptly_while_redis_is_down(
    scenario, monkeypatch, client, django_capture_on_commit_callbacks
):
    """Publishing to a Redis that refuses connections gives up at once: the
    circulation request still answers within seconds; its job (render the PDFs,
    then release the mails) waits queued for beat's sweep, and the mails wait
    held in the outbox."""
    from config.celery import app
    from meetings.models import MinutesJob
    from meetings.tasks import minutes_job_run

    real = minutes_job_run.apply_async
    errors, waited = [], []

    def through_dead_redis(*args, **kwargs):
        started = time.monotonic()
        try:
            with app.connection_for_write("redis://127.0.0.1:1/0") as connection:
                return real(*args, connection=connection, **kwargs)
        except Exception as exc:
            errors.append(exc)
            raise
        finally:
            waited.append(time.monotonic() - started)

    monkeypatch.setattr(minutes_job_run, "apply_async", through_dead_redis)
    monkeypatch.setattr(outbox, "_broker_down_until", 0.0)
    version = approved_version(scenario)
    client.force_login(scenario.secretary)
    app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/meetings/minutes/{version.pk}/circulate/")
        # The publish runs on the kicker's side thread, not in the request.
        assert outbox.kicks_wait(timeout=10)
    finally:
        app.conf.task_always_eager = True
    assert response.status_code == 302
    assert errors, "the publish really met a dead broker"
    assert len(waited) == 1 and waited[0] < 3, waited
    job = MinutesJob.objects.get(kind=MinutesJob.Kind.CIRCULATED_PDFS)
    assert job.state == "queued" and job.params == {"version": version.pk}
    assert OutboxMessage.objects.filter(state="held").count() == len(scenario.officers)


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
