"""A paper that claims to be a PDF must be one (issue 14, finding 3): a file that
starts with ``%PDF-`` but is not a PDF was accepted, and then every agenda pack of
the meeting failed. Papers are opened with pypdf at upload and refused if they do
not parse, are encrypted or have no page; a pack skips (and lists) a stored paper
it cannot read instead of failing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import MinutesJob, Paper
from meetings.services.minutes_jobs import job_request, job_run
from meetings.services.papers import paper_upload
from tests.documents import blank_pdf
from tests.meetings.builders import pmg
from tests.meetings.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

NOT_A_PDF = [
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    b"%PDF-" + b"\x00garbage" * 100,
    blank_pdf(2)[:-200],  # truncated
    b"%PDF-1.7\n" + b"A" * 5000,
]


@pytest.fixture
def item():
    built = pmg()
    item = AgendaItemFactory(meeting=built.meeting)
    item.secretary = built.secretary
    return item


def upload(item, content, name="paper.pdf"):
    return paper_upload(
        item=item,
        title="Paper",
        upload=SimpleUploadedFile(name, content, "application/pdf"),
        by=item.secretary,
    )


@pytest.mark.parametrize("content", NOT_A_PDF, ids=["fake", "junk", "cut", "text"])
def test_a_file_that_starts_like_a_pdf_but_does_not_parse_is_refused(item, content):
    with pytest.raises(ValidationError, match="not a readable PDF"):
        upload(item, content)
    assert not Paper.objects.exists()


def test_an_encrypted_pdf_is_refused(item):
    """The pack cannot merge a PDF it cannot open without a password."""
    with pytest.raises(ValidationError, match="password"):
        upload(item, blank_pdf(1, password="secret"))
    assert not Paper.objects.exists()


def test_a_real_pdf_is_stored_with_its_page_count(item):
    paper = upload(item, blank_pdf(3))
    assert paper.page_count == 3
    assert paper.file.read(5) == b"%PDF-"


def test_the_upload_page_shows_the_reason(item, client):
    client.force_login(item.secretary)
    response = client.post(
        reverse("meetings:paper_upload", args=[item.pk]),
        {"title": "P", "file": SimpleUploadedFile("p.pdf", NOT_A_PDF[0])},
    )
    assert response.status_code == 200
    assert "not a readable PDF" in response.content.decode()
    assert not Paper.objects.exists()


def test_a_pack_skips_a_stored_paper_it_cannot_read(item):
    """A paper stored before this check (or one pypdf cannot merge) is listed in the
    pack without its pages; the pack of the other papers is still built."""
    meeting = item.meeting
    meeting.agenda_published_at = timezone.now()
    meeting.save(update_fields=["agenda_published_at"])
    good = upload(item, blank_pdf(2))
    bad = Paper(
        item=item,
        title="Broken",
        uploaded_by=item.secretary,
        content_type="application/pdf",
    )
    bad.file.save("broken.pdf", ContentFile(NOT_A_PDF[0]), save=True)
    job = job_request(
        kind=MinutesJob.Kind.AGENDA_PACK, by=item.secretary, meeting=meeting
    )
    assert job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert good.page_count == 2
