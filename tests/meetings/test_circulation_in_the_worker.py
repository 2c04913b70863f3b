"""Issue 17: circulating minutes changes their state in the request, with no PDF
rendered there; a worker's job renders the two circulated PDFs from the frozen
record, stores them with their SHA-256 and only then releases the officers' mails
(held outbox rows) with the PDF attached. The job is idempotent and retried, and
beat's sweep finishes a circulation whose job was lost or failed: no mail is sent
before its PDF exists, none is lost and none is sent twice."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance.models import OutboxMessage
from governance.outbox import outbox_relay
from meetings import pdf
from meetings.models import AgendaItem, Delivery, MinutesJob, MinutesVersion
from meetings.services import minutes as services
from meetings.services import minutes_jobs
from meetings.services.minutes_jobs import jobs_sweep
from tests.governance.factories import UserFactory
from tests.meetings.minutes_scenario import (
    approved_version,
    circulate,
    run_circulation_jobs,
)

pytestmark = pytest.mark.django_db
Kind = MinutesJob.Kind


def text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def circulated_in_the_request(scenario) -> MinutesVersion:
    """The request's half only: its after-commit work (the job's publish) not run."""
    version = approved_version(scenario)
    version = services.minutes_circulate(version=version, by=scenario.secretary)
    version.refresh_from_db()
    return version


def circulation_job(version) -> MinutesJob:
    return MinutesJob.objects.get(kind=Kind.CIRCULATED_PDFS, params__version=version.pk)


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.parametrize("through", ["page", "api"])
def test_circulating_renders_no_pdf_in_the_request(
    scenario, client, api_as, renders, through, django_capture_on_commit_callbacks
):
    """The page's POST and the API's circulate answer with the state changed, the
    record frozen, a delivery and a held mail per officer and the job queued, and
    WeasyPrint not called once."""
    version = approved_version(scenario)
    with django_capture_on_commit_callbacks(execute=False):
        if through == "page":
            client.force_login(scenario.secretary)
            response = client.post(
                reverse("meetings:minutes_circulate", args=[version.pk])
            )
            assert response.status_code == 302
        else:
            response = api_as(scenario.secretary).post(
                f"/api/v1/minutes/{version.pk}/circulate/"
            )
            assert response.status_code == 200
            assert response.json()["status"] == "circulated"
            assert response.json()["pdf_sha256"] == ""
    assert renders["minutes"] == 0
    version.refresh_from_db()
    assert version.status == "circulated" and version.circulated_at
    assert version.circulated_by == scenario.secretary
    assert "Better Care Fund plan" in json.dumps(version.record["shared"])
    assert not version.pdf_sha256 and not version.full_pdf_sha256
    assert circulation_job(version).state == "queued"
    deliveries = Delivery.objects.filter(version=version).select_related("outbox")
    assert len(deliveries) == len(scenario.officers)
    assert {d.outbox.state for d in deliveries} == {"held"}
    assert scenario.meeting.minutes_deadline.met_at == version.circulated_at


def test_the_job_renders_once_from_the_frozen_record(scenario, renders):
    """A change to the live meeting after circulation is not in the circulated PDF:
    the job renders the record frozen in the request, once (shared and full
    copies); a second run of the job, or another job, renders nothing more."""
    version = circulated_in_the_request(scenario)
    AgendaItem.objects.filter(pk=scenario.decision.pk).update(
        title="Renamed after circulation"
    )
    assert run_circulation_jobs() == 1
    assert renders["minutes"] == 2
    version.refresh_from_db()
    shared, full = bytes(version.pdf), bytes(version.full_pdf)
    assert "Better Care Fund plan" in text(shared)
    assert "Renamed after circulation" not in text(shared) + text(full)
    assert "Provider contract negotiation" in text(full)
    assert "Provider contract negotiation" not in text(shared)
    assert "DRAFT" not in text(shared)
    assert version.pdf_sha256 == pdf.sha256(shared)
    assert version.full_pdf_sha256 == pdf.sha256(full)
    job = circulation_job(version)
    assert job.state == "done" and job.progress == job.total == 3
    services.circulated_pdfs_finish(version_id=version.pk)
    version.refresh_from_db()
    assert renders["minutes"] == 2 and bytes(version.pdf) == shared


def test_officers_mails_wait_for_the_pdf_then_leave_once_with_it(scenario):
    """Before the job, the relay sends nothing (the rows are held, even long
    after); after it, every officer gets one mail with the full PDF attached and
    its SHA-256 in the body; relaying again sends nothing."""
    version = circulated_in_the_request(scenario)
    later = timezone.now() + timedelta(hours=1)
    assert outbox_relay(now=later) == 0 and mail.outbox == []
    run_circulation_jobs()
    assert outbox_relay() == len(scenario.officers)
    assert outbox_relay() == 0
    version.refresh_from_db()
    assert sent_to() == sorted(o.email for o in scenario.officers)
    for message in mail.outbox:
        ((name, content, mimetype),) = message.attachments
        assert name == version.pdf_name.replace(".pdf", "-confidential.pdf")
        assert content == bytes(version.full_pdf)
        assert version.full_pdf_sha256 in message.body


def test_a_retried_job_sends_no_mail_twice(scenario, renders):
    """A worker killed after the PDFs and the release committed but before the job
    was marked done: its heartbeat lapses, the sweep publishes the job again, and
    the second run renders nothing and releases nothing."""
    version = circulated_in_the_request(scenario)
    job = circulation_job(version)
    services.circulated_pdfs_finish(version_id=version.pk)  # then the worker died
    stale = timezone.now() - timedelta(minutes=5)
    MinutesJob.objects.filter(pk=job.pk).update(
        state="running", started_at=stale, heartbeat_at=stale
    )
    outbox_relay()
    assert jobs_sweep() == 1  # eager: the republished job runs here
    job.refresh_from_db()
    assert job.state == "done"
    assert renders["minutes"] == 2
    assert outbox_relay() == 0
    assert len(mail.outbox) == len(scenario.officers)
    assert OutboxMessage.objects.filter(state="sent").count() == len(scenario.officers)


def test_a_worker_killed_mid_render_leaves_the_mails_held_until_the_retry(
    scenario,
):
    """Killed while rendering: nothing stored, nothing released; the sweep runs the
    job again and the mails leave once."""
    version = circulated_in_the_request(scenario)
    stale = timezone.now() - timedelta(minutes=5)
    circulation_job(version)
    MinutesJob.objects.filter(kind=Kind.CIRCULATED_PDFS).update(
        state="running", started_at=stale, heartbeat_at=stale
    )
    assert outbox_relay() == 0
    jobs_sweep()
    assert outbox_relay() == len(scenario.officers)
    assert sent_to() == sorted(o.email for o in scenario.officers)


def test_the_sweep_finishes_a_circulation_whose_job_never_ran(
    scenario, django_capture_on_commit_callbacks
):
    """The job's message lost with the broker: the sweep publishes the queued job
    again. The job gone, or failed a while ago: the sweep makes a new one."""
    version = circulated_in_the_request(scenario)
    old = timezone.now() - timedelta(minutes=1)
    MinutesJob.objects.filter(kind=Kind.CIRCULATED_PDFS).update(created_at=old)
    jobs_sweep()
    version.refresh_from_db()
    assert version.pdf_sha256
    assert outbox_relay() == len(scenario.officers)

    other = circulated_in_the_request_of_a_correction(scenario, version)
    MinutesJob.objects.filter(
        kind=Kind.CIRCULATED_PDFS, params__version=other.pk
    ).update(state="failed", finished_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):  # the new job's publish
        assert jobs_sweep() == 1
    other.refresh_from_db()
    assert other.pdf_sha256
    assert MinutesJob.objects.filter(params__version=other.pk).count() == 2
    outbox_relay()  # (eager: already relayed on the release's commit)
    assert len(mail.outbox) == 2 * len(scenario.officers)


def circulated_in_the_request_of_a_correction(scenario, version):
    correction = services.minutes_correct(
        version=version, by=scenario.secretary, change_note="Names corrected."
    )
    services.minutes_approve(version=correction, by=scenario.chair)
    services.minutes_circulate(version=correction, by=scenario.secretary)
    correction.refresh_from_db()
    return correction


def test_a_recently_failed_job_is_not_retried_at_once(scenario):
    """A job that failed a moment ago waits before the sweep tries again."""
    version = circulated_in_the_request(scenario)
    MinutesJob.objects.filter(kind=Kind.CIRCULATED_PDFS).update(
        state="failed", finished_at=timezone.now()
    )
    assert jobs_sweep() == 0
    version.refresh_from_db()
    assert not version.pdf_sha256


def test_a_failing_circulation_is_tried_again_less_and_less_often_at_most_hourly():
    failed_at = timezone.now()
    waits = [
        minutes_jobs.circulation_retry_at(n, failed_at) - failed_at
        for n in (1, 2, 3, 5, 6, 500)
    ]
    assert waits == [timedelta(minutes=m) for m in (2, 4, 8, 32, 60, 60)]


def _failed_jobs(version, times: int, last_failed_at):
    MinutesJob.objects.filter(params__version=version.pk).delete()
    for n in range(times):
        MinutesJob.objects.create(
            kind=Kind.CIRCULATED_PDFS,
            meeting_id=version.meeting_id,
            params={"version": version.pk},
            state="failed",
            error="OSError: no font",
            requested_by_id=version.circulated_by_id,
            finished_at=last_failed_at - timedelta(hours=n),
        )


def test_the_sweep_waits_longer_after_each_failure(scenario):
    """Three failures: the next try comes eight minutes after the last, not two."""
    version = circulated_in_the_request(scenario)
    _failed_jobs(version, 3, timezone.now() - timedelta(minutes=5))
    assert jobs_sweep() == 0
    _failed_jobs(version, 3, timezone.now() - timedelta(minutes=9))
    assert jobs_sweep() == 1
    assert MinutesJob.objects.filter(params__version=version.pk).count() == 4


def test_the_minutes_page_says_when_preparing_keeps_failing(scenario, client):
    version = circulated_in_the_request(scenario)
    client.force_login(scenario.secretary)
    page = reverse("meetings:minutes_circulation", args=[version.pk])
    _failed_jobs(version, 2, timezone.now())
    assert "Preparing has failed" not in client.get(page).content.decode()
    _failed_jobs(version, 3, timezone.now())
    body = client.get(page).content.decode()
    assert "Preparing has failed 3 times." in body
    assert "have not reached the authorised officers" in body
    minutes_page = reverse("meetings:minutes", args=[version.meeting_id])
    assert "Preparing has failed 3 times." in client.get(minutes_page).content.decode()


def test_api_minutes_pdf_answers_409_while_rendering_and_200_after(scenario, api_as):
    """While the worker renders: 409 with the rule and Retry-After, JSON whatever
    the Accept header (never a 500, never the version it supersedes); after:
    the stored PDF."""
    version = circulated_in_the_request(scenario)
    api = api_as(scenario.member)
    url = f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf"
    response = api.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "5"
    assert response.json()["rule"] == "minutes_pdf_preparing"
    assert "being prepared" in response.json()["detail"]
    run_circulation_jobs()
    version.refresh_from_db()
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(version.pdf)


def test_api_minutes_pdf_still_refuses_an_outsider_while_rendering(scenario, api_as):
    """Permissions first: an outsider gets 403, not the 409 of a version rendering."""
    circulated_in_the_request(scenario)
    response = api_as(UserFactory()).get(
        f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf"
    )
    assert response.status_code == 403


def test_the_minutes_page_shows_progress_then_the_checksum(scenario, client):
    """While preparing: the page says so, names how many officers it goes to and
    polls (htmx, with a Refresh link without JS); a download link answers a page
    that polls, not a PDF of the live meeting. After: the checksum and the PDF."""
    version = circulated_in_the_request(scenario)
    client.force_login(scenario.secretary)
    page = client.get(reverse("meetings:minutes", args=[scenario.meeting.pk]))
    body = page.content.decode()
    assert "Preparing the circulated PDFs" in body
    assert f"then sent to {len(scenario.officers)} authorised officers" in body
    status_url = reverse("meetings:minutes_circulation", args=[version.pk])
    assert f'hx-get="{status_url}"' in body and "Refresh" in body
    assert "The PDFs are being prepared" in body  # the versions list: no checksum
    download = client.get(reverse("meetings:minutes_pdf", args=[version.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/html")
    assert "hx-get" in download.content.decode()
    polled = client.get(status_url, HTTP_HX_REQUEST="true")
    assert "Preparing the circulated PDFs" in polled.content.decode()

    run_circulation_jobs()
    version.refresh_from_db()
    polled = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in polled and version.pdf_sha256 in polled
    body = client.get(
        reverse("meetings:minutes", args=[scenario.meeting.pk])
    ).content.decode()
    assert "Preparing the circulated PDFs" not in body
    assert version.pdf_sha256 in body
    download = client.get(reverse("meetings:minutes_pdf", args=[version.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_the_circulation_status_is_for_those_who_read_the_minutes(scenario, client):
    """Board members may poll it; an outsider is refused (403); an unknown
    version is 404."""
    version = circulated_in_the_request(scenario)
    url = reverse("meetings:minutes_circulation", args=[version.pk])
    client.force_login(scenario.member)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    missing = reverse("meetings:minutes_circulation", args=[version.pk + 1000])
    assert client.get(missing).status_code == 404


def test_auditors_see_no_checksum_and_archives_leave_out_a_version_rendering(
    scenario, client, auditor, django_capture_on_commit_callbacks
):
    """The audit page says the PDFs are being prepared (no empty checksum); an
    archive built meanwhile leaves the version out and names it in PREPARING.txt."""
    circulated_in_the_request(scenario)
    client.force_login(auditor)
    body = client.get(reverse("meetings:minutes_audit")).content.decode()
    assert "PDFs being prepared" in body and "<code></code>" not in body
    with django_capture_on_commit_callbacks(execute=True):
        client.get(
            reverse("meetings:minutes_export"),
            {"start": "2026-03-01", "end": "2026-03-31"},
        )
    job = MinutesJob.objects.get(kind=Kind.AUDIT_EXPORT)
    assert job.state == "done", job.error
    with zipfile.ZipFile(io.BytesIO(bytes(job.result))) as archive:
        assert json.loads(archive.read("manifest.json")) == []
        preparing = archive.read("PREPARING.txt").decode()
    assert "Partnership Management Group, 2026-03-02, version 1" in preparing


def test_the_circulation_job_page_leads_to_the_minutes(scenario, client):
    """The job has no file of its own: its page and download lead to the minutes."""
    version = circulate(approved_version(scenario), by=scenario.secretary)
    job = circulation_job(version)
    client.force_login(scenario.secretary)
    minutes_url = reverse("meetings:minutes", args=[scenario.meeting.pk])
    for name in ("meetings:minutes_job", "meetings:minutes_job_download"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 302 and response.url == minutes_url
