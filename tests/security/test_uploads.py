"""File uploads are checked by type (content, not just the name) and size, stored
privately, and served only as attachments with nosniff (OWASP ASVS 5.0 V5; issue 8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from boards.models import Board
from governance.models import User
from meetings.models import AgendaItem, MinutesVersion, Paper
from tests.demo_copy import load_demo
from tests.documents import blank_pdf

PDF = blank_pdf()  # a real one: papers are opened with pypdf at upload


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media = tmp_path_factory.mktemp("upload-media")
    with override_settings(MEDIA_ROOT=media):
        with django_db_blocker.unblock(), transaction.atomic():
            load_demo()
            yield media
            transaction.set_rollback(True)


@pytest.fixture
def secretary(_demo, db, settings, client):
    settings.MEDIA_ROOT = _demo
    user = User.objects.get(email="secretary@demo.example")
    client.force_login(user)
    return user


@pytest.fixture
def item(secretary):
    board = Board.objects.get(name__contains="Partnership Management Group")
    return (
        AgendaItem.objects.filter(meeting__board=board, meeting__status="scheduled")
        .order_by("-pk")
        .first()
    )


def upload(client, item, name, content, content_type="application/pdf"):
    return client.post(
        f"/meetings/items/{item.pk}/papers/new/",
        {"title": "A paper", "file": SimpleUploadedFile(name, content, content_type)},
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>"),  # HTML named .pdf
        ("report.exe", b"MZ\x90\x00" + b"\x00" * 100),  # a program
        ("report.html", b"<html></html>"),
        ("report.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
    ],
)
def test_a_paper_of_the_wrong_type_is_refused_and_nothing_saved(
    client, item, name, content
):
    """The type is judged by the content as well as the name; nothing is stored."""
    before = Paper.objects.count()
    response = upload(client, item, name, content)
    assert response.status_code == 200  # the form again, with the error
    assert Paper.objects.count() == before


def test_a_paper_over_the_size_limit_is_refused(client, item, settings):
    settings.PAPER_MAX_BYTES = 1024
    before = Paper.objects.count()
    response = upload(client, item, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 200
    assert "at most" in response.content.decode()
    assert Paper.objects.count() == before


def test_a_paper_is_served_as_an_attachment_with_nosniff(client, item):
    """A valid PDF is stored and comes back only as a download: Content-Disposition
    attachment, its own content type, nosniff; never from a public media URL."""
    response = upload(client, item, "good.pdf", PDF)
    assert response.status_code == 302, response.content.decode()[-3000:]
    paper = Paper.objects.filter(item=item).order_by("-pk").first()
    download = client.get(f"/meetings/papers/{paper.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_papers_are_not_reachable_under_a_media_url(client, secretary, settings):
    assert settings.MEDIA_URL in (None, "")
    assert client.get("/media/").status_code == 404


def test_circulated_minutes_are_served_as_an_attachment(client, secretary):
    version = MinutesVersion.objects.filter(status="circulated").first()
    response = client.get(f"/meetings/minutes/{version.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"


def test_a_return_file_of_the_wrong_type_is_refused(client, secretary):
    """Pooled fund returns accept only the .csv / .xlsx template."""
    finance = User.objects.get(email="finance@demo.example")
    client.force_login(finance)
    from pooled_funds.models import PooledFund, Return

    fund = PooledFund.objects.first()
    before = Return.objects.count()
    response = client.post(
        f"/funds/{fund.pk}/returns/upload/",
        {"file": SimpleUploadedFile("return.html", b"<html></html>", "text/html")},
    )
    assert response.status_code == 200
    assert "csv" in response.content.decode().lower()
    assert Return.objects.count() == before
