"""Papers: private storage, type and size checks, who may read them, the papers
deadline and the chair's authorisation of late circulation (SPEC s.2)."""

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.exceptions import RuleViolation
from governance.models import Role
from meetings.models import Meeting, Paper
from meetings.services.agenda import (
    meeting_authorise_late_circulation,
    meeting_publish_agenda,
)
from meetings.services.guests import guest_approve, guest_invite
from meetings.services.papers import DOC, DOCX, XLSX, paper_issued, paper_upload
from tests.boards.factories import SeatFactory
from tests.documents import blank_pdf
from tests.governance.factories import UserFactory
from tests.meetings import builders
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PDF = blank_pdf()  # a real one: papers are opened with pypdf at upload


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<x/>")
    return buffer.getvalue()


def upload(item, by, name="paper.pdf", content=PDF, **kwargs):
    return paper_upload(
        item=item, title="", upload=SimpleUploadedFile(name, content), by=by, **kwargs
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("budget.pdf", PDF, "application/pdf"),
        ("report.docx", ooxml("word"), DOCX),
        ("figures.xlsx", ooxml("xl"), XLSX),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, DOC),
    ],
)
def test_pdf_word_and_excel_papers_are_accepted(name, content, content_type):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    paper = upload(item, b.secretary, name, content)
    assert paper.content_type == content_type and paper.size == len(content)
    assert paper.file.read() == content


@pytest.mark.parametrize(
    "name, content",
    [
        ("evil.pdf", b"MZ\x90\x00 not a pdf"),
        ("report.docx", ooxml("xl")),  # an Excel file dressed as Word
        ("script.html", b"<script>alert(1)</script>"),
        ("noextension", PDF),
        ("zip.xlsx", b"PK\x03\x04garbage"),
    ],
)
def test_papers_are_checked_by_type_and_magic_bytes(name, content):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    with pytest.raises(ValidationError):
        upload(item, b.secretary, name, content)
    assert not Paper.objects.exists()


def test_papers_over_the_size_limit_are_refused(settings):
    settings.PAPER_MAX_BYTES = 100
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    with pytest.raises(ValidationError, match="at most"):
        upload(item, b.secretary, content=PDF + b" " * 200)


def test_papers_are_not_under_a_public_url(settings):
    assert settings.MEDIA_URL in (None, "")
    b = builders.pmg()
    paper = upload(AgendaItemFactory(meeting=b.meeting), b.secretary)
    assert not paper.file.name.startswith("/")


def test_another_boards_member_gets_403_and_a_member_reads_with_content_disposition(
    client,
):
    """Per-board permissions (SPEC s.7): a member of another board cannot read the
    paper; a member of this board downloads it as an attachment once issued."""
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    paper = upload(item, b.secretary)
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    url = reverse("meetings:paper", args=[paper.pk])
    client.force_login(SeatFactory().holder)
    assert client.get(url).status_code == 403
    client.force_login(b.seats[0].holder)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert client.get(url).status_code == 200


def test_members_do_not_read_papers_before_the_agenda_is_issued(client):
    b = builders.pmg()
    paper = upload(AgendaItemFactory(meeting=b.meeting), b.secretary)
    client.force_login(b.seats[0].holder)
    assert client.get(reverse("meetings:paper", args=[paper.pk])).status_code == 403
    client.force_login(b.secretary)
    assert client.get(reverse("meetings:paper", args=[paper.pk])).status_code == 200


def test_guests_see_only_their_items_and_never_confidential_papers(client):
    """Guests invited for specific items with the chair's agreement see only those
    items' papers (Portsmouth PMG ToR 1.1); confidential papers reach only members
    and auditors (SPEC s.2)."""
    b = builders.pmg()
    invited = AgendaItemFactory(meeting=b.meeting, title="Open item")
    secret = AgendaItemFactory(
        meeting=b.meeting, title="Exempt item", confidential=True
    )
    other = AgendaItemFactory(meeting=b.meeting, title="Not for the guest")
    open_paper = upload(invited, b.secretary)
    secret_paper = upload(secret, b.secretary)
    other_paper = upload(other, b.secretary)
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    person = UserFactory()
    guest = guest_invite(
        meeting=b.meeting,
        name="Dr Guest",
        user=person,
        items=[invited, secret],
        by=b.secretary,
    )
    client.force_login(person)
    # Not yet agreed by the chair: nothing.
    assert (
        client.get(reverse("meetings:detail", args=[b.meeting.pk])).status_code == 403
    )
    chair = b.seats[0]
    chair.is_chair = True
    chair.save()
    guest_approve(guest=guest, by=chair.holder)
    response = client.get(reverse("meetings:detail", args=[b.meeting.pk]))
    html = response.content.decode()
    assert (
        "Open item" in html
        and "Exempt item" in html
        and "Not for the guest" not in html
    )
    assert reverse("meetings:paper", args=[open_paper.pk]) in html
    assert reverse("meetings:paper", args=[secret_paper.pk]) not in html
    assert (
        client.get(reverse("meetings:paper", args=[open_paper.pk])).status_code == 200
    )
    assert (
        client.get(reverse("meetings:paper", args=[secret_paper.pk])).status_code == 403
    )
    assert (
        client.get(reverse("meetings:paper", args=[other_paper.pk])).status_code == 403
    )
    assert client.get(f"/api/v1/items/{other.pk}/").status_code in (401, 403)


def test_guest_invited_by_the_chair_is_agreed_at_once_and_secretary_needs_agreement(
    client,
):
    b = builders.pmg()
    chair_seat = b.seats[0]
    chair_seat.is_chair = True
    chair_seat.save()
    item = AgendaItemFactory(meeting=b.meeting)
    client.force_login(b.secretary)
    client.post(
        reverse("meetings:guest_invite", args=[b.meeting.pk]),
        {"name": "Ms Adviser", "items": [item.pk]},
    )
    guest = b.meeting.guests.get()
    assert guest.approved_at is None
    assert (
        client.post(reverse("meetings:guest_approve", args=[guest.pk])).status_code
        == 403
    )
    client.force_login(chair_seat.holder)
    client.post(reverse("meetings:guest_approve", args=[guest.pk]))
    guest.refresh_from_db()
    assert guest.approved_by == chair_seat.holder


def _meeting_on(b, day: datetime.date) -> Meeting:
    b.meeting.starts_at = datetime.datetime.combine(
        day, datetime.time(14), tzinfo=LONDON
    )
    b.meeting.save()
    return b.meeting


def test_publishing_after_the_papers_deadline_needs_the_chairs_authorisation():
    """Leicestershire IE: agenda and papers no later than 4 working days before the
    meeting unless the chair authorised late circulation. Meeting Thu 9 April 2026
    (after Easter): papers due by Wed 1 April."""
    b = builders.pmg()
    meeting = _meeting_on(b, datetime.date(2026, 4, 9))
    item = AgendaItemFactory(meeting=meeting)
    upload(item, b.secretary)
    on_time = datetime.datetime(2026, 4, 1, 17, 0, tzinfo=LONDON)
    late = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=LONDON)
    with pytest.raises(RuleViolation, match="Wednesday 1 April 2026") as refused:
        meeting_publish_agenda(meeting=meeting, by=b.secretary, now=late)
    assert refused.value.rule == "papers_deadline"
    chair = b.seats[0]
    chair.is_chair = True
    chair.save()
    meeting_authorise_late_circulation(meeting=meeting, by=chair.holder, now=late)
    meeting_publish_agenda(meeting=meeting, by=b.secretary, now=late)
    paper = Paper.objects.get()
    assert paper.late and paper.late_authorised_by == b.seats[0].holder
    latest = paper.history.latest()
    assert latest.history_type == "~" and latest.late, "the audit history shows it"
    # On time needs nothing.
    other = builders.pmg()
    m2 = _meeting_on(other, datetime.date(2026, 4, 9))
    AgendaItemFactory(meeting=m2)
    meeting_publish_agenda(meeting=m2, by=other.secretary, now=on_time)


def test_a_late_paper_reaches_members_only_once_the_chair_authorises_it(client):
    b = builders.pmg()
    meeting = _meeting_on(b, datetime.date(2026, 4, 9))
    item = AgendaItemFactory(meeting=meeting)
    meeting_publish_agenda(
        meeting=meeting,
        by=b.secretary,
        now=datetime.datetime(2026, 3, 30, 9, tzinfo=LONDON),
    )
    paper = upload(
        item, b.secretary, now=datetime.datetime(2026, 4, 7, 9, tzinfo=LONDON)
    )
    assert paper.late and not paper_issued(paper, meeting)
    client.force_login(b.seats[1].holder)
    assert client.get(reverse("meetings:paper", args=[paper.pk])).status_code == 403
    assert (
        client.post(reverse("meetings:paper_authorise", args=[paper.pk])).status_code
        == 403
    )
    chair = b.seats[0]
    chair.is_chair = True
    chair.save()
    client.force_login(chair.holder)
    client.post(reverse("meetings:paper_authorise", args=[paper.pk]))
    client.force_login(b.seats[1].holder)
    assert client.get(reverse("meetings:paper", args=[paper.pk])).status_code == 200


def test_upload_page_stores_the_paper(client):
    b = builders.pmg()
    item = AgendaItemFactory(meeting=b.meeting)
    client.force_login(b.secretary)
    response = client.post(
        reverse("meetings:paper_upload", args=[item.pk]),
        {"title": "Finance report", "file": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Paper.objects.get().title == "Finance report"
    bad = client.post(
        reverse("meetings:paper_upload", args=[item.pk]),
        {"title": "x", "file": SimpleUploadedFile("r.pdf", b"not a pdf")},
    )
    assert bad.status_code == 200 and "not a PDF document" in bad.content.decode()


def test_issuing_the_agenda_emails_members_and_deputies_through_the_outbox():
    from governance.models import OutboxMessage

    b = builders.pmg()
    b.seats[0].deputy = UserFactory()
    b.seats[0].save()
    AgendaItemFactory(meeting=b.meeting)
    meeting_publish_agenda(meeting=b.meeting, by=b.secretary)
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert recipients == {
        b.seats[0].holder.email,
        b.seats[0].deputy.email,
        b.seats[1].holder.email,
    }
    assert all(
        m.subject.startswith("Agenda and papers: ") for m in OutboxMessage.objects.all()
    )
