"""Confirming minutes at the next meeting waits on no PDF: the request records the
confirmation (state, who signed, when, at which meeting, on whose authority) and
queues the same job as circulation (kind ``circulated_pdfs``), whose worker renders
the two signed PDFs from the frozen record and stores them with their SHA-256.
Until then the version's PDF is refused as being prepared (never the unsigned
circulated copy served as the record), and beat's sweep finishes a confirmation
whose job was lost or whose worker died."""

import datetime as dt
import html
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from governance.exceptions import RuleViolation
from meetings import pdf
from meetings.models import AgendaItem, Meeting, MinutesJob, MinutesVersion
from meetings.services import agenda
from meetings.services import minutes as services
from meetings.services.minutes_jobs import jobs_sweep
from tests.governance.factories import UserFactory
from tests.meetings.factories import MeetingFactory
from tests.meetings.minutes_scenario import (
    MEETING_AT,
    circulated_version,
    run_circulation_jobs,
)

pytestmark = pytest.mark.django_db
Kind = MinutesJob.Kind
Status = MinutesVersion.Status


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


@pytest.fixture
def no_rendering(monkeypatch):
    """WeasyPrint fails the test if it is called."""

    def refused(*args, **kwargs):
        raise AssertionError("a PDF was rendered in the request")

    monkeypatch.setattr(pdf, "minutes_pdf", refused)


@pytest.fixture
def following(scenario) -> Meeting:
    """The board's next meeting, under way, with its standing items; the minutes
    of the scenario's meeting circulated (PDFs stored, mails sent)."""
    meeting = MeetingFactory(
        board=scenario.board, starts_at=MEETING_AT + dt.timedelta(days=60)
    )
    agenda.agenda_standing_items_add(meeting=meeting)
    circulated_version(scenario)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.IN_PROGRESS, started_at=meeting.starts_at
    )
    meeting.refresh_from_db()
    return meeting


def minutes_item(meeting: Meeting) -> AgendaItem:
    return meeting.items.get(standing=AgendaItem.Standing.PREVIOUS_MINUTES)


def confirmed_in_the_request(scenario, following) -> MinutesVersion:
    """The request's half only: its after-commit work (the job's publish) not run."""
    services.minutes_confirm_at_meeting(item=minutes_item(following), by=scenario.chair)
    return MinutesVersion.objects.get(meeting=scenario.meeting)


def signing_job(version) -> MinutesJob:
    return MinutesJob.objects.filter(
        kind=Kind.CIRCULATED_PDFS, params__version=version.pk
    ).latest("created_at")


@pytest.mark.parametrize("through", ["page", "api"])
def test_confirming_renders_no_pdf_in_the_request(
    scenario,
    following,
    client,
    api_as,
    no_rendering,
    through,
    django_capture_on_commit_callbacks,
):
    """The chair's POST (page or API) answers with the minutes confirmed and signed
    at once and the job queued; WeasyPrint is never called in the request."""
    item = minutes_item(following)
    with django_capture_on_commit_callbacks(execute=False):
        if through == "page":
            client.force_login(scenario.chair)
            response = client.post(
                reverse("meetings:minutes_confirm_at_meeting", args=[item.pk])
            )
            assert response.status_code == 302
        else:
            response = api_as(scenario.chair).post(
                f"/api/v1/items/{item.pk}/confirm-minutes/"
            )
            assert response.status_code == 200, response.content
            assert response.json()["status"] == "confirmed"
            assert response.json()["signed_pdf_sha256"] == ""
    version = MinutesVersion.objects.get(meeting=scenario.meeting)
    assert version.status == Status.CONFIRMED
    assert version.confirmed_by == scenario.chair
    assert version.signed_by_name == scenario.chair.name
    assert version.confirmed_at_meeting == following
    assert version.confirmation_item == item
    assert not version.signed_pdf_sha256 and not version.signed_full_pdf_sha256
    assert version.pdf_sha256  # the circulated copies stay as sent
    assert signing_job(version).state == "queued"


def test_the_worker_stores_both_signed_pdfs_once(scenario, following, renders):
    """The job renders the shared and full signed copies from the frozen record,
    with the signature block, and stores them with their SHA-256; the circulated
    copies are untouched; a second run renders nothing."""
    version = confirmed_in_the_request(scenario, following)
    circulated = bytes(version.pdf), version.pdf_sha256
    AgendaItem.objects.filter(pk=scenario.decision.pk).update(
        title="Renamed after confirmation"
    )
    assert renders["minutes"] == 0
    assert run_circulation_jobs() == 1
    assert renders["minutes"] == 2
    version.refresh_from_db()
    shared, full = bytes(version.signed_pdf), bytes(version.signed_full_pdf)
    assert version.signed_pdf_sha256 == pdf.sha256(shared)
    assert version.signed_full_pdf_sha256 == pdf.sha256(full)
    assert version.signed_pdf_sha256 != version.pdf_sha256
    for content in (shared, full):
        words = pdf_text(content)
        assert f"Signed: {scenario.chair.name}, chair" in words
        assert (
            "Confirmed as a true record at the meeting of "
            f"{following.starts_at:%-d %B %Y}" in words
        )
        assert "Better Care Fund plan" in words
        assert "Renamed after confirmation" not in words
    assert "Provider contract negotiation" in pdf_text(full)
    assert "Provider contract negotiation" not in pdf_text(shared)
    assert (bytes(version.pdf), version.pdf_sha256) == circulated
    job = signing_job(version)
    assert job.state == "done" and job.progress == job.total == 3
    services.circulated_pdfs_finish(version_id=version.pk)
    version.refresh_from_db()
    assert renders["minutes"] == 2 and bytes(version.signed_pdf) == shared
    served, checksum = services.stored_pdf(version, include_confidential=False)
    assert (served, checksum) == (shared, version.signed_pdf_sha256)


@pytest.mark.django_db(transaction=True)
def test_the_signed_pdfs_are_rendered_after_commit_outside_any_lock(monkeypatch):
    """WeasyPrint runs in the worker's job, after the confirmation has committed,
    with no transaction open (no row of the meeting or the version locked)."""
    from django.db import transaction

    from tests.meetings.minutes_scenario import build_scenario

    s = build_scenario()
    meeting = MeetingFactory(
        board=s.board, starts_at=MEETING_AT + dt.timedelta(days=60)
    )
    agenda.agenda_standing_items_add(meeting=meeting)
    circulated_version(s)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.IN_PROGRESS)
    real = pdf.minutes_pdf
    renders = []

    def watched(*args, **kwargs):
        renders.append(transaction.get_connection().in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf, "minutes_pdf", watched)
    services.minutes_confirm_at_meeting(item=minutes_item(meeting), by=s.chair)
    version = MinutesVersion.objects.get(meeting=s.meeting)
    assert renders == [False, False]  # shared and full copies, outside any lock
    assert version.status == Status.CONFIRMED
    assert f"Signed: {s.chair.name}, chair" in pdf_text(bytes(version.signed_pdf))


def test_while_signing_the_record_is_not_served_unsigned(scenario, following):
    """Confirmed, its signed copies not stored yet: the stored PDF is refused as
    being prepared, not the circulated copy in its place."""
    version = confirmed_in_the_request(scenario, following)
    for full in (False, True):
        with pytest.raises(RuleViolation) as refused:
            services.stored_pdf(version, include_confidential=full)
        assert refused.value.rule == "minutes_pdf_preparing"
        assert "signed PDF is still being prepared" in refused.value.message


def test_api_minutes_pdf_answers_409_while_signing_and_the_signed_pdf_after(
    scenario, following, api_as
):
    version = confirmed_in_the_request(scenario, following)
    api = api_as(scenario.member)
    url = f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf"
    for query in ("", "?full=1"):
        response = api.get(url + query, HTTP_ACCEPT="application/pdf")
        assert response.status_code == 409
        assert response["Content-Type"].startswith("application/json")
        assert response["Retry-After"] == "5"
        assert response.json()["rule"] == "minutes_pdf_preparing"
        assert "being prepared" in response.json()["detail"]
    run_circulation_jobs()
    version.refresh_from_db()
    response = api.get(url)
    assert response.status_code == 200
    assert response.content == bytes(version.signed_pdf)
    assert response["X-Content-SHA256"] == version.signed_pdf_sha256


def test_outsiders_are_still_refused_while_signing(scenario, following, api_as, client):
    """Permissions first: an outsider gets 403 (not the 409 of a PDF being
    prepared) from the API and the page; an unknown meeting or version is 404."""
    version = confirmed_in_the_request(scenario, following)
    api = api_as(UserFactory())
    assert (
        api.get(f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf").status_code
        == 403
    )
    missing = f"/api/v1/meetings/{scenario.meeting.pk + 1000}/minutes.pdf"
    assert api_as(scenario.member).get(missing).status_code == 404
    client.force_login(UserFactory())
    for name in ("meetings:minutes_pdf", "meetings:minutes_circulation"):
        assert client.get(reverse(name, args=[version.pk])).status_code == 403
    client.force_login(scenario.member)
    for name in ("meetings:minutes_pdf", "meetings:minutes_circulation"):
        assert client.get(reverse(name, args=[version.pk + 1000])).status_code == 404


def test_the_minutes_page_says_the_signed_copy_is_being_prepared(
    scenario, following, client
):
    """While the worker renders: the page says the signed PDFs are being prepared
    and polls; a download answers a page that polls, not the unsigned copy. After:
    the signed checksum, and the download is the signed PDF."""
    version = confirmed_in_the_request(scenario, following)
    client.force_login(scenario.member)
    minutes_url = reverse("meetings:minutes", args=[scenario.meeting.pk])
    body = client.get(minutes_url).content.decode()
    assert "Preparing the signed PDFs" in body
    assert f"signed by {escape(scenario.chair.name)}" in body
    status_url = reverse("meetings:minutes_circulation", args=[version.pk])
    assert f'hx-get="{status_url}"' in body and "Refresh" in body
    assert "The signed PDFs are being prepared" in body  # the versions list
    download = client.get(reverse("meetings:minutes_pdf", args=[version.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/html")
    page = download.content.decode()
    assert "Signed minutes, version 1" in page and "being prepared" in page
    assert "hx-get" in page
    polled = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Preparing the signed PDFs" in polled

    run_circulation_jobs()
    version.refresh_from_db()
    polled = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in polled
    assert "The signed PDFs are ready" in polled and version.signed_pdf_sha256 in polled
    body = client.get(minutes_url).content.decode()
    assert "Preparing the signed PDFs" not in body
    assert "The signed PDFs are being prepared" not in body
    assert version.signed_pdf_sha256 in body
    download = client.get(
        reverse("meetings:minutes_pdf", args=[version.pk]) + "?full=1"
    )
    assert download["Content-Type"] == "application/pdf"
    assert download.content == bytes(version.signed_full_pdf)


def test_the_sweep_finishes_a_confirmation_whose_worker_died(scenario, following):
    """Killed mid-render: nothing stored; the heartbeat lapses and the sweep
    publishes the job again, which stores the signed PDFs."""
    version = confirmed_in_the_request(scenario, following)
    stale = timezone.now() - timedelta(minutes=5)
    MinutesJob.objects.filter(pk=signing_job(version).pk).update(
        state="running", started_at=stale, heartbeat_at=stale
    )
    assert jobs_sweep() == 1  # eager: the republished job runs here
    version.refresh_from_db()
    assert version.signed_pdf_sha256 == pdf.sha256(bytes(version.signed_pdf))


def test_the_sweep_requeues_a_confirmed_version_without_signed_pdfs(
    scenario, following, django_capture_on_commit_callbacks
):
    """Its job failed a while ago, or is gone (a database restored without it):
    the sweep makes a new job, which stores the signed PDFs; one failed a moment
    ago waits before it is tried again."""
    version = confirmed_in_the_request(scenario, following)
    jobs = MinutesJob.objects.filter(
        kind=Kind.CIRCULATED_PDFS, params__version=version.pk
    )
    jobs.filter(state="queued").update(state="failed", finished_at=timezone.now())
    assert jobs_sweep() == 0
    jobs.update(finished_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):  # the new job's publish
        assert jobs_sweep() == 1
    version.refresh_from_db()
    assert version.signed_pdf_sha256
    assert jobs_sweep() == 0  # finished: nothing more to do

    MinutesVersion.objects.filter(pk=version.pk).update(
        signed_pdf=None,
        signed_pdf_sha256="",
        signed_full_pdf=None,
        signed_full_pdf_sha256="",
    )
    jobs.delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_sweep() == 1
    version.refresh_from_db()
    assert version.signed_pdf_sha256
    assert signing_job(version).requested_by == scenario.chair


def test_auditors_are_told_the_signed_copy_is_being_prepared(
    scenario, following, client, auditor, django_capture_on_commit_callbacks
):
    """The audit page says the signed copy is being prepared; an archive built
    meanwhile holds the circulated copies and names the version in PREPARING.txt;
    built again after the worker, it holds the signed copies too."""
    version = confirmed_in_the_request(scenario, following)
    client.force_login(auditor)
    body = client.get(reverse("meetings:minutes_audit")).content.decode()
    assert "Signed copy being prepared" in body and "<code></code>" not in body

    def archive() -> zipfile.ZipFile:
        with django_capture_on_commit_callbacks(execute=True):
            client.get(
                reverse("meetings:minutes_export"),
                {"start": "2026-03-01", "end": "2026-03-31"},
            )
        job = MinutesJob.objects.filter(kind=Kind.AUDIT_EXPORT).latest("created_at")
        assert job.state == "done", job.error
        return zipfile.ZipFile(io.BytesIO(bytes(job.result)))

    with archive() as built:
        manifest = json.loads(built.read("manifest.json"))
        assert {m["sha256"] for m in manifest} == {
            version.pdf_sha256,
            version.full_pdf_sha256,
        }
        preparing = built.read("PREPARING.txt").decode()
    assert "signed copy being prepared" in preparing
    assert "Partnership Management Group, 2026-03-02, version 1" in preparing

    run_circulation_jobs()
    version.refresh_from_db()
    body = client.get(reverse("meetings:minutes_audit")).content.decode()
    assert "Signed copy being prepared" not in body
    assert version.signed_pdf_sha256 in body
    with archive() as built:
        manifest = json.loads(built.read("manifest.json"))
        assert version.signed_pdf_sha256 in {m["sha256"] for m in manifest}
        assert "PREPARING.txt" not in built.namelist()


def test_each_audit_download_is_the_copy_whose_checksum_it_shows(
    scenario, following, client, auditor
):
    """On the audit page each checksum has its own download, and the file served is
    the one with that checksum: the circulated copies (as the officers received
    them) and, once confirmed, the signed ones; while signing, the circulated copy
    is still served as circulated."""
    version = confirmed_in_the_request(scenario, following)
    client.force_login(auditor)
    as_circulated = reverse("meetings:minutes_pdf", args=[version.pk])
    while_signing = client.get(as_circulated, {"copy": "circulated"})
    assert pdf.sha256(while_signing.content) == version.pdf_sha256
    run_circulation_jobs()
    version.refresh_from_db()
    body = client.get(reverse("meetings:minutes_audit")).content.decode()
    pairs = re.findall(r"<code>([0-9a-f]{64})</code> — <a href=\"([^\"]+)\"", body)
    served = {
        checksum: pdf.sha256(client.get(html.unescape(link)).content)
        for checksum, link in pairs
    }
    assert set(served) == {
        version.pdf_sha256,
        version.full_pdf_sha256,
        version.signed_pdf_sha256,
        version.signed_full_pdf_sha256,
    }
    assert all(checksum == got for checksum, got in served.items()), served
    # The minutes page's list of versions: the same, for the circulated and the
    # signed checksum of each version.
    client.force_login(scenario.secretary)
    body = client.get(
        reverse("meetings:minutes", args=[version.meeting_id])
    ).content.decode()
    pairs = re.findall(r"<code>([0-9a-f]{64})</code>\. <a href=\"([^\"]+)\"", body)
    assert {checksum for checksum, _ in pairs} == {
        version.pdf_sha256,
        version.signed_pdf_sha256,
    }
    for checksum, link in pairs:
        assert pdf.sha256(client.get(html.unescape(link)).content) == checksum
