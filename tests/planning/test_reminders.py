"""Beat reminders for duties due and overdue (issue 18): to the board's secretary,
through the outbox, once per duty, date and state however often beat runs; none
for a duty already on a coming agenda or up to date."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from governance.models import OutboxMessage
from planning.models import Obligation
from planning.services.plan import proposal_accept
from planning.services.reminders import obligation_reminders_send
from planning.tasks import obligation_reminders
from tests.meetings.builders import pmg
from tests.planning.builders import risk_assessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def duty(built, days: int) -> Obligation:
    return risk_assessment(built.board, days=days)


def test_beat_runs_the_obligation_reminders():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "planning.tasks.obligation_reminders" in tasks


def test_an_overdue_duty_is_reminded_to_the_secretary_once():
    built = pmg()
    duty(built, -3)
    assert obligation_reminders() == 1
    message = OutboxMessage.objects.get()
    assert message.to == built.secretary.email
    assert message.subject.startswith("Overdue since")
    assert "Portsmouth PMG ToR 2.1.5" in message.body
    assert obligation_reminders() == 0  # beat again: nothing more
    assert OutboxMessage.objects.count() == 1


def test_a_duty_falling_due_is_reminded_then_again_when_overdue():
    built = pmg(meeting=False)
    duty(built, 5)
    assert obligation_reminders_send() == 1
    assert OutboxMessage.objects.get().subject.startswith("Due ")
    later = TODAY + datetime.timedelta(days=6)
    assert obligation_reminders_send(today=later) == 1
    assert OutboxMessage.objects.filter(subject__startswith="Overdue").count() == 1


def test_no_reminder_for_a_duty_far_off_or_already_on_a_coming_agenda():
    built = pmg()
    duty(built, 200)
    assert obligation_reminders_send() == 0
    soon = duty(built, 5)
    proposal_accept(
        board=built.board,
        key=f"obligation:{soon.pk}:{soon.first_due}",
        by=built.secretary,
    )
    assert obligation_reminders_send() == 0
    assert not OutboxMessage.objects.exists()
