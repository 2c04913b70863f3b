"""Agenda distribution (issue 13): issuing the agenda mails every member and deputy
a link to the meeting and to the agenda pack through the outbox, recorded per person
and issue; a supplement with papers added after issue mails again; the secretary
sees "Agenda sent to N of M" on the meeting page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.exceptions import RuleViolation
from governance.models import OutboxMessage
from governance.outbox import outbox_relay
from meetings.models import AgendaDistribution, AgendaIssue
from meetings.services.agenda import meeting_publish_agenda
from meetings.services.papers import paper_upload
from tests.documents import blank_pdf
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

SITE = "https://governance.example.org"


def world():
    b = builders.pmg()
    b.seats[0].deputy = UserFactory(name="Dana Deputy")
    b.seats[0].save()
    item = AgendaItemFactory(meeting=b.meeting, title="Better Care Fund plan")
    return b, item


def upload(item, by, title):
    return paper_upload(
        item=item,
        title=title,
        upload=SimpleUploadedFile(f"{title}.pdf", blank_pdf()),
        by=by,
    )


def test_issuing_mails_every_member_and_deputy_links_and_records_each(settings):
    settings.SITE_URL = SITE
    b, item = world()
    upload(item, b.secretary, "BCF plan 2025")
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    issue = AgendaIssue.objects.get(meeting=b.meeting)
    assert (issue.number, issue.kind) == (1, AgendaIssue.Kind.AGENDA)
    people = {b.seats[0].holder, b.seats[0].deputy, b.seats[1].holder}
    rows = AgendaDistribution.objects.filter(issue=issue)
    assert {r.person for r in rows} == people
    for row in rows:
        assert row.outbox.to == row.person.email == row.email
        assert "\n" not in row.outbox.subject
        assert row.outbox.subject.startswith("Agenda and papers: ")
        body = row.outbox.body
        assert f"{SITE}/meetings/{b.meeting.pk}/\n" in body
        assert f"{SITE}/meetings/{b.meeting.pk}/minutes/#agenda-pack" in body
        assert "BCF plan 2025 (Better Care Fund plan)" in body


def test_issuing_twice_by_a_double_click_mails_once():
    b, item = world()
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    with pytest.raises(RuleViolation) as refused:
        meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    assert refused.value.rule == "agenda_supplement_empty"
    assert OutboxMessage.objects.count() == 3
    assert AgendaIssue.objects.count() == 1


def test_a_paper_added_after_issue_goes_out_as_a_supplement_to_everyone(settings):
    settings.SITE_URL = SITE
    b, item = world()
    upload(item, b.secretary, "Finance report")
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    upload(item, b.secretary, "Risk share update")
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    supplement = AgendaIssue.objects.get(meeting=b.meeting, number=2)
    assert supplement.kind == AgendaIssue.Kind.SUPPLEMENT
    mails = OutboxMessage.objects.filter(agenda_distribution__issue=supplement)
    assert mails.count() == 3
    for mail in mails:
        assert mail.subject.startswith("Supplement 1 to the agenda: ")
        assert "Risk share update" in mail.body
        assert "Finance report" not in mail.body  # already sent with the agenda


def test_distribution_survives_a_worker_crash_the_outbox_sends_it_later(mailoutbox):
    """The rows commit with the issue; nothing is sent in the request. A relay
    (after a crash, the next one) sends each once and the row shows its time."""
    b, _ = world()
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    row = AgendaDistribution.objects.first()
    assert row.sent_at is None
    outbox_relay()
    outbox_relay()
    row.refresh_from_db()
    assert row.outbox.sent_at is not None
    assert len(mailoutbox) == 3


def test_the_secretary_sees_agenda_sent_to_n_of_m(client):
    b, _ = world()
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    client.force_login(b.secretary)
    page = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    assert "Agenda sent to 0 of 3 members" in page
    outbox_relay()
    page = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    assert "Agenda sent to 3 of 3 members" in page
    client.force_login(b.seats[1].holder)
    member = client.get(b.meeting.get_absolute_url()).content.decode()
    assert "Agenda sent to" not in member


def test_an_agenda_issued_before_issues_were_recorded_keeps_its_time():
    """A meeting whose agenda was issued before distribution was recorded: issuing
    again records issue 1 and mails everyone, without moving the issue time or
    asking for late authorisation."""
    import datetime

    from django.utils import timezone

    b, _ = world()
    issued = timezone.now() - datetime.timedelta(days=20)
    b.meeting.starts_at = timezone.now() + datetime.timedelta(days=1)
    b.meeting.agenda_published_at = issued
    b.meeting.save()
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    b.meeting.refresh_from_db()
    assert b.meeting.agenda_published_at == issued
    assert AgendaIssue.objects.get(meeting=b.meeting).number == 1
    assert AgendaDistribution.objects.count() == 3
