"""The minutes pages and API: the secretary's buttons, per-item drafting with htmx,
PDF downloads recorded in the audit history, the deadline dashboard, the auditors'
page and archive, and GET /api/v1/meetings/{id}/minutes.pdf (SPEC s.5, s.8)."""

import datetime
import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from governance.models import Role
from meetings.models import (
    ChairAuthority,
    MinutesDownload,
    MinutesJob,
    MinutesVersion,
    Paper,
)
from meetings.pdf import html_to_pdf, sha256
from meetings.selectors import minutes as minutes_selectors
from meetings.services import minutes as services
from meetings.services.minutes_jobs import pack_items
from tests.governance.factories import UserFactory
from tests.meetings.decisions_world import build
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.meetings.minutes_scenario import (
    MEETING_AT,
    approved_version,
    circulated_version,
)


@pytest.fixture
def auditor_user(db):
    return UserFactory(role=Role.AUDITOR)


def test_secretary_drafts_approves_and_circulates_through_the_page(scenario, client):
    """Start drafting, save an item's minutes with htmx, approve, circulate."""
    client.force_login(scenario.secretary)
    page = reverse("meetings:minutes", args=[scenario.meeting.pk])
    assert "Start drafting" in client.get(page).content.decode()
    client.post(reverse("meetings:minutes_start", args=[scenario.meeting.pk]))
    version = MinutesVersion.objects.get()
    response = client.post(
        reverse("meetings:minutes_entry", args=[version.pk, scenario.decision.pk]),
        {"text": "Agreed after discussion."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "Saved." in response.content.decode()
    assert version.entries.get().text == "Agreed after discussion."
    # Approval is the chair's: the secretary records it on the chair's written
    # authority, with the chair's e-mail attached (SPEC s.1).
    assert "Approve on the chair's written authority" in (
        client.get(page).content.decode()
    )
    refused = client.post(reverse("meetings:minutes_approve", args=[version.pk]))
    assert refused.status_code == 302
    version.refresh_from_db()
    assert version.status == "draft"
    authority_url = (
        reverse(
            "meetings:chair_authority", args=[scenario.meeting.pk, "minutes_approval"]
        )
        + f"?id={version.pk}"
    )
    assert client.get(authority_url).status_code == 200
    response = client.post(
        authority_url,
        {
            "chair_name": scenario.chair.name,
            "evidence": SimpleUploadedFile(
                "chair-approval.eml", b"From: chair\n\nApproved for circulation."
            ),
            "note": "Approved by e-mail.",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "approved" and version.approved_by == scenario.secretary
    authority = ChairAuthority.objects.get(minutes_version=version)
    assert authority.chair_name == scenario.chair.name and authority.evidence
    assert version.approval_authority == authority
    body = client.get(page).content.decode()
    assert "Circulate" in body
    # The record says whose authority the secretary approved them on.
    assert (
        f"by {scenario.secretary} on the chair's written authority "
        f"({escape(scenario.chair.name)})" in body
    )
    client.post(reverse("meetings:minutes_circulate", args=[version.pk]))
    body = client.get(page).content.decode()
    version.refresh_from_db()
    assert version.status == "circulated"
    assert version.pdf_sha256 in body
    assert "Correct" in body and "Confirm as a true record" not in body
    assert "To be confirmed as a true record at the next meeting" in body


def test_refused_action_is_a_message_not_an_error(scenario, client):
    """Circulating a draft is refused with a message."""
    client.force_login(scenario.secretary)
    version = services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    response = client.post(
        reverse("meetings:minutes_circulate", args=[version.pk]), follow=True
    )
    assert "cannot become circulated" in response.content.decode()


def test_a_member_cannot_approve(scenario, client):
    """Only the chair or secretary approves minutes."""
    version = services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    client.force_login(scenario.member)
    response = client.post(reverse("meetings:minutes_approve", args=[version.pk]))
    assert response.status_code == 403


def test_every_download_is_recorded(scenario, client, auditor_user):
    """A PDF download records who, when, which version and the checksum."""
    version = circulated_version(scenario)
    client.force_login(auditor_user)
    response = client.get(reverse("meetings:minutes_pdf", args=[version.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert sha256(response.content) == version.pdf_sha256
    response = client.get(
        reverse("meetings:minutes_pdf", args=[version.pk]) + "?full=1"
    )
    assert sha256(response.content) == version.full_pdf_sha256
    downloads = list(MinutesDownload.objects.order_by("at"))
    assert [(d.user, d.kind, d.version) for d in downloads] == [
        (auditor_user, "shared", version),
        (auditor_user, "full", version),
    ]
    assert MinutesDownload.history.count() == 2


def test_auditors_page_lists_every_circulated_version_with_checksums(
    scenario, client, auditor_user, django_assert_max_num_queries
):
    """The auditors' page shows each circulated version, its checksums and its
    deliveries, in a fixed number of queries."""
    first = circulated_version(scenario)
    second = services.minutes_correct(
        version=first, by=scenario.secretary, change_note="x"
    )
    services.minutes_approve(version=second, by=scenario.chair)
    services.minutes_circulate(version=second, by=scenario.secretary)
    client.force_login(auditor_user)
    url = reverse("meetings:minutes_audit")
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    first.refresh_from_db()
    assert first.pdf_sha256 in body and "Superseded" in body
    assert scenario.officers[0].email in body


def test_minutes_page_query_count_does_not_grow_with_items(
    scenario, client, django_assert_max_num_queries
):
    """The minutes page's queries do not grow with items, versions or deliveries."""

    version = circulated_version(scenario)
    client.force_login(scenario.secretary)
    url = reverse("meetings:minutes", args=[scenario.meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    limit = len(few.captured_queries)
    AgendaItemFactory.create_batch(10, meeting=scenario.meeting)
    services.minutes_correct(version=version, by=scenario.secretary, change_note="x")
    # The first request after a change reads the user's board role again (cached
    # under the board's version, which the change bumped): compare warm with warm.
    client.get(url)
    with django_assert_max_num_queries(limit):
        client.get(url)


def test_audit_export_is_a_job_with_a_zip_and_a_manifest_of_checksums(
    scenario, client, auditor_user, django_capture_on_commit_callbacks
):
    """An auditor asks for an archive of a date range; a worker builds one zip with
    every circulated version and a manifest of SHA-256; the download is recorded."""
    version = circulated_version(scenario)
    client.force_login(auditor_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("meetings:minutes_export"),
            {"start": "2026-03-01", "end": "2026-03-31"},
        )
    job = MinutesJob.objects.get(kind="audit_export")
    assert response.url == reverse("meetings:minutes_job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done", job.error
    poll = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "Download" in poll and 'role="status"' in poll
    archive = client.get(reverse("meetings:minutes_job_download", args=[job.pk]))
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for entry in manifest:
            assert sha256(zf.read(entry["file"])) == entry["sha256"]
        assert "SHA256SUMS" in zf.namelist() and "manifest.csv" in zf.namelist()
    assert {e["sha256"] for e in manifest} == {
        version.pdf_sha256,
        version.full_pdf_sha256,
    }
    assert MinutesDownload.objects.filter(kind="export", user=auditor_user).count() == 1


def test_export_outside_the_range_is_empty(scenario, client, auditor_user):
    """Meetings outside the range are not in the archive."""
    circulated_version(scenario)
    client.force_login(auditor_user)
    client.get(
        reverse("meetings:minutes_export"), {"start": "2026-04-01", "end": "2026-04-30"}
    )
    from meetings.services.minutes_jobs import job_run

    job = MinutesJob.objects.get(kind="audit_export")
    job_run(job_id=job.pk)
    job.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(bytes(job.result))) as zf:
        assert json.loads(zf.read("manifest.json")) == []


def test_a_duplicated_job_task_runs_once(scenario):
    """The job is claimed queued -> running: a second delivery does nothing."""
    from meetings.services.minutes_jobs import job_request, job_run

    job = job_request(
        kind=MinutesJob.Kind.AGENDA_PACK,
        by=scenario.secretary,
        meeting=scenario.meeting,
    )
    assert job_run(job_id=job.pk) is True
    assert job_run(job_id=job.pk) is False


def test_agenda_pack_job_merges_uploaded_papers(
    scenario, client, django_capture_on_commit_callbacks
):
    """The agenda pack is built by a worker: cover and agenda then the papers."""
    paper_pdf = html_to_pdf("<h1>Paper</h1><p>BCF plan</p>")
    paper = Paper(
        item=scenario.decision,
        title="BCF plan",
        uploaded_by=scenario.secretary,
        content_type="application/pdf",
    )
    paper.file.save("bcf.pdf", ContentFile(paper_pdf), save=True)
    client.force_login(scenario.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:agenda_pack", args=[scenario.meeting.pk])
        )
    job = MinutesJob.objects.get()
    assert response.url == reverse("meetings:minutes_job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.result_mimetype == "application/pdf"


def test_deadline_dashboard_shows_each_meetings_status(scenario, client):
    """The deadline dashboard shows sent on time, sent late, due or overdue."""
    services.minutes_deadlines_scan(now=MEETING_AT + dt.timedelta(days=1))
    client.force_login(scenario.secretary)
    body = client.get(reverse("meetings:minutes_deadlines")).content.decode()
    assert str(scenario.meeting) in body
    assert "Overdue" in body or "Due" in body
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Minutes deadlines" in dashboard


# --- API ---------------------------------------------------------------------------


def test_api_minutes_pdf_is_the_latest_circulated_version(scenario, api_as):
    """GET /api/v1/meetings/{id}/minutes.pdf answers the latest circulated minutes."""
    version = circulated_version(scenario)
    response = api_as(scenario.member).get(
        f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert sha256(response.content) == version.pdf_sha256
    assert MinutesDownload.objects.get().kind == "api"


def test_api_minutes_pdf_is_404_with_a_json_reason_if_none_circulated(scenario, api_as):
    """No circulated version: 404 with a JSON reason, whatever the Accept header."""
    approved_version(scenario)
    response = api_as(scenario.member).get(
        f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf",
        HTTP_ACCEPT="application/pdf",
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "circulated" in response.json()["detail"]


def test_api_minutes_pdf_refuses_an_outsider(scenario, api_as):
    """A person with no access to the meeting gets 403."""
    circulated_version(scenario)
    outsider = UserFactory()
    response = api_as(outsider).get(
        f"/api/v1/meetings/{scenario.meeting.pk}/minutes.pdf"
    )
    assert response.status_code == 403


def test_api_workflow_uses_the_same_services(scenario, api_as):
    """The API approves, circulates and corrects; a refused step answers 409."""
    api = api_as(scenario.secretary)
    created = api.post(f"/api/v1/meetings/{scenario.meeting.pk}/minutes/")
    assert created.status_code == 201
    version_id = created.json()["id"]
    refused = api.post(f"/api/v1/minutes/{version_id}/circulate/")
    assert refused.status_code == 409 and refused.json()["rule"] == "minutes_workflow"
    # The secretary does not chair: approval needs the chair's written authority.
    refused = api.post(f"/api/v1/minutes/{version_id}/approve/")
    assert refused.status_code == 409
    assert refused.json()["rule"] == "chair_authority_required"
    approved = api.post(
        f"/api/v1/meetings/{scenario.meeting.pk}/chair-authority/",
        {
            "act": "minutes_approval",
            "target": version_id,
            "chair_name": scenario.chair.name,
            "evidence": SimpleUploadedFile("chair.eml", b"Approved."),
        },
        format="multipart",
    )
    assert approved.status_code == 201, approved.content
    assert approved.json()["minutes_version"] == version_id
    assert (
        api_as(scenario.chair)
        .post(f"/api/v1/minutes/{version_id}/approve/")
        .status_code
        == 409
    )  # already approved
    circulated = api.post(f"/api/v1/minutes/{version_id}/circulate/").json()
    assert circulated["status"] == "circulated"
    assert len(circulated["deliveries"]) == len(scenario.officers)
    assert api.post(f"/api/v1/minutes/{version_id}/correct/", {}).status_code == 400
    corrected = api.post(
        f"/api/v1/minutes/{version_id}/correct/", {"change_note": "Typo."}
    )
    assert corrected.status_code == 201 and corrected.json()["number"] == 2
    listed = api.get(f"/api/v1/meetings/{scenario.meeting.pk}/minutes/").json()
    assert listed["count"] == 2
    assert [v["number"] for v in listed["results"]] == [2, 1]


def test_deadline_dashboard_query_count_does_not_grow_with_meetings(
    scenario, client, django_assert_max_num_queries
):
    """The deadline dashboard reads every deadline in a fixed number of queries."""

    services.minutes_deadlines_scan(now=MEETING_AT + dt.timedelta(days=1))
    client.force_login(scenario.secretary)
    url = reverse("meetings:minutes_deadlines")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for days in range(1, 6):
        MeetingFactory(
            board=scenario.board,
            starts_at=MEETING_AT - dt.timedelta(days=30 * days),
            status="closed",
        )
    services.minutes_deadlines_scan(now=MEETING_AT + dt.timedelta(days=1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("Sent late") + body.count("Overdue") >= 5


def test_minutes_page_shows_the_deadline_before_beat_made_its_row(scenario, client):
    """A closed meeting's deadline shows at once, computed by the same rule."""
    client.force_login(scenario.secretary)
    body = client.get(reverse("meetings:minutes", args=[scenario.meeting.pk])).content
    assert "Monday 9 March 2026" in body.decode()


def test_pack_puts_authorised_late_papers_in_the_supplement_only(scenario):
    """A late paper joins the pack (as a supplement) once the chair authorised it."""
    from django.utils import timezone

    from meetings.services.minutes_jobs import pack_items

    content = html_to_pdf("<p>Late</p>")
    late = Paper(
        item=scenario.decision,
        title="Late addendum",
        uploaded_by=scenario.secretary,
        content_type="application/pdf",
        late=True,
    )
    late.file.save("late.pdf", ContentFile(content), save=True)
    scenario.meeting.agenda_published_at = timezone.now()
    assert pack_items(scenario.meeting)[0].papers == []
    Paper.objects.filter(pk=late.pk).update(late_authorised_at=timezone.now())
    [paper] = pack_items(scenario.meeting)[0].papers
    assert paper.late and paper.content == content


def test_minutes_dates_are_local(monkeypatch, client, auditor):
    """The minutes audit page and the deadlines panel use timezone.localdate()."""
    day = datetime.date(2031, 3, 30)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    client.force_login(auditor)
    html = client.get(reverse("meetings:minutes_audit")).content.decode()
    assert 'value="2031-03-30"' in html
    secretary = UserFactory(role=Role.SECRETARY)
    board = build().board
    board.secretaries.add(secretary)
    panels = minutes_selectors.dashboard_panels(secretary)
    assert panels and panels[0]["today"] == day


def test_pack_leaves_out_papers_before_the_agenda_is_issued(scenario):
    """As for the paper download, a paper joins the agenda pack only once the
    agenda is issued (paper_issued)."""
    content = html_to_pdf("<p>Plan</p>")
    paper = Paper(
        item=scenario.decision,
        title="BCF plan",
        uploaded_by=scenario.secretary,
        content_type="application/pdf",
    )
    paper.file.save("plan.pdf", ContentFile(content), save=True)
    assert pack_items(scenario.meeting)[0].papers == []
    scenario.meeting.agenda_published_at = timezone.now()
    [packed] = pack_items(scenario.meeting)[0].papers
    assert packed.content == content
