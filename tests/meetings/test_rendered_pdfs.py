"""The record of decisions and draft minutes PDFs are rendered by the worker, once
per content of what they show, never inside a request (issues 14 and 17: the record
of a 50-motion meeting rendered in the request hit gunicorn's 30 s timeout under
load). A request for content not rendered yet gets a page saying it is being
prepared, which polls with htmx; every request after the render is served the
stored bytes."""

import pytest
from django.urls import reverse

from meetings import pdf
from meetings.models import MinutesDownload, MinutesJob
from meetings.services import minutes as minutes_services
from meetings.services.minutes_jobs import job_run

pytestmark = pytest.mark.django_db


def get(client, url, capture, **headers):
    """A GET whose after-commit work (the job's publish; eager: the render) runs
    once the response is made, as it does after a real request's commit."""
    with capture(execute=True):
        return client.get(url, **headers)


def test_the_record_of_decisions_is_rendered_once_and_then_served_stored(
    scenario, client, renders, django_capture_on_commit_callbacks
):
    url = reverse("meetings:minutes_record_pdf", args=[scenario.meeting.pk])
    client.force_login(scenario.secretary)
    first = get(client, url, django_capture_on_commit_callbacks)
    assert first["Content-Type"].startswith("text/html"), "not rendered in the request"
    page = first.content.decode()
    assert 'role="status"' in page and "hx-get" in page and "Refresh" in page
    job = MinutesJob.objects.get(kind=MinutesJob.Kind.RECORD_PDF)
    assert job.state == "done"  # the (eager) worker rendered it after commit
    assert renders["record"] == 1
    second = get(client, url, django_capture_on_commit_callbacks)
    third = get(client, url, django_capture_on_commit_callbacks)
    assert second["Content-Type"] == "application/pdf"
    assert second.content == third.content and second.content.startswith(b"%PDF")
    assert renders["record"] == 1, "the second and third requests render nothing"
    assert second["X-Content-SHA256"] == pdf.sha256(second.content)
    assert MinutesDownload.objects.filter(kind="record").count() == 2


def test_a_change_to_the_record_renders_it_again_and_drops_the_old_render(
    scenario, client, renders, django_capture_on_commit_callbacks
):
    url = reverse("meetings:minutes_record_pdf", args=[scenario.meeting.pk])
    client.force_login(scenario.secretary)
    get(client, url, django_capture_on_commit_callbacks)
    before = get(client, url, django_capture_on_commit_callbacks).content
    scenario.decision.title = "Approve the renamed section 75 budget"
    scenario.decision.save(update_fields=["title"])
    assert get(client, url, django_capture_on_commit_callbacks)["Content-Type"] != (
        "application/pdf"
    ), "never the stale PDF"
    after = get(client, url, django_capture_on_commit_callbacks)
    assert after["Content-Type"] == "application/pdf" and after.content != before
    assert renders["record"] == 2
    assert MinutesJob.objects.filter(kind=MinutesJob.Kind.RECORD_PDF).count() == 1


def test_members_and_others_get_their_own_copy_of_the_record(
    scenario, client, auditor_or_member_pair, django_capture_on_commit_callbacks
):
    """The full record (confidential items) and the shared one are rendered and
    kept apart: the key is what the asker may see."""
    url = reverse("meetings:minutes_record_pdf", args=[scenario.meeting.pk])
    jobs = set()
    for user in auditor_or_member_pair:
        client.force_login(user)
        get(client, url, django_capture_on_commit_callbacks)
        response = get(client, url, django_capture_on_commit_callbacks)
        assert response["Content-Type"] == "application/pdf"
        jobs |= set(MinutesJob.objects.values_list("params__variant", flat=True))
    assert "full" in jobs


@pytest.fixture
def auditor_or_member_pair(scenario):
    return [scenario.secretary, scenario.member]


def test_a_draft_is_rendered_by_the_worker_once_per_text_of_the_draft(
    scenario, client, renders, django_capture_on_commit_callbacks
):
    version = minutes_services.minutes_start(
        meeting=scenario.meeting, by=scenario.secretary
    )
    url = reverse("meetings:minutes_pdf", args=[version.pk])
    client.force_login(scenario.secretary)
    assert get(client, url, django_capture_on_commit_callbacks)["Content-Type"] != (
        "application/pdf"
    )
    first = get(client, url, django_capture_on_commit_callbacks)
    assert first["Content-Type"] == "application/pdf"
    assert get(client, url, django_capture_on_commit_callbacks).content == (
        first.content
    )
    assert renders["minutes"] == 1
    minutes_services.minutes_entry_save(
        version=version, item=scenario.decision, text="Agreed.", by=scenario.secretary
    )
    get(client, url, django_capture_on_commit_callbacks)
    edited = get(client, url, django_capture_on_commit_callbacks)
    assert edited["Content-Type"] == "application/pdf"
    assert edited.content != first.content
    assert renders["minutes"] == 2
    assert MinutesDownload.objects.filter(kind="draft", version=version).count() == 3


def test_the_page_polls_until_the_worker_is_done_then_offers_the_download(
    scenario, client, renders
):
    """No worker yet (the publish is not run): the page says "preparing" and its
    htmx poll keeps polling; once a worker has rendered it, the poll answers a
    download link (never the PDF itself into the page), and the link the PDF."""
    url = reverse("meetings:minutes_record_pdf", args=[scenario.meeting.pk])
    client.force_login(scenario.secretary)
    page = client.get(url)
    assert page.status_code == 200 and "Preparing" in page.content.decode()
    poll = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" in poll and "Preparing" in poll
    assert MinutesJob.objects.count() == 1, "polling asks for no second render"
    job = MinutesJob.objects.get()
    assert job_run(job_id=job.pk) is True
    poll = client.get(url, HTTP_HX_REQUEST="true")
    assert poll["Content-Type"].startswith("text/html")
    assert "hx-get" not in poll.content.decode()
    assert "Download the PDF" in poll.content.decode()
    download = client.get(url)
    assert download["Content-Type"] == "application/pdf"
    assert renders["record"] == 1


def test_the_worker_renders_the_same_pdf_the_request_used_to(scenario):
    """The worker renders from the record as plain data (JSON): the text is the
    record rendered directly."""
    from meetings.record import meeting_record
    from meetings.services.minutes_jobs import rendered_pdf_content, rendered_pdf_job
    from tests.meetings.test_pdf import texts

    record = meeting_record(scenario.meeting, include_confidential=True)
    job = rendered_pdf_job(
        kind=MinutesJob.Kind.RECORD_PDF,
        meeting=scenario.meeting,
        source={"record": record},
        variant="full",
        by=scenario.secretary,
    )
    job_run(job_id=job.pk)
    stored = rendered_pdf_content(job)
    assert texts(stored) == texts(pdf.record_of_decisions_pdf(record))


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_record_while_the_page_polls(
    celery_app, celery_worker, client
):
    """Through Redis and a worker subprocess (not eager): the request answers the
    "being prepared" page at once, the worker renders, the poll offers the
    download and the next request gets the PDF."""
    import time

    from governance import outbox
    from tests.meetings.minutes_scenario import build_scenario

    scenario = build_scenario()
    celery_worker().start()
    url = reverse("meetings:minutes_record_pdf", args=[scenario.meeting.pk])
    client.force_login(scenario.secretary)
    started = time.monotonic()
    first = client.get(url)
    assert first["Content-Type"].startswith("text/html")
    assert time.monotonic() - started < 5
    outbox.kicks_wait(timeout=10)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        poll = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        if "Download the PDF" in poll:
            break
        time.sleep(0.5)
    assert "Download the PDF" in poll, MinutesJob.objects.values("state", "error")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert MinutesJob.objects.get().state == "done"
