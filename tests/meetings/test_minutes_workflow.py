"""Minutes workflow (SPEC s.5): draft -> approved for circulation -> circulated ->
confirmed as a true record at the next meeting; circulated versions are immutable
and a correction is a new version that says what changed; the record is generated."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from governance.exceptions import RuleViolation
from meetings.models import Meeting, MinutesVersion
from meetings.pdf import sha256
from meetings.permissions import can_approve_minutes
from meetings.record import meeting_record
from meetings.services import minutes as services
from tests.meetings.factories import MeetingFactory
from tests.meetings.minutes_scenario import (
    MEETING_AT,
    approved_version,
    circulate,
    circulated_version,
)

Status = MinutesVersion.Status


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_record_is_generated_from_attendance_votes_and_outcomes(scenario):
    """Attendance, votes, quorum statements and outcomes come from the record."""
    record = meeting_record(scenario.meeting, include_confidential=True)
    assert len(record["attendance"]["present"]) == 2
    motion = record["items"][0]["motion"]
    assert motion["outcome_label"] == "Carried"
    assert motion["tally"]["For"] == 2
    assert motion["quorum"] == ["The meeting was quorate when the decision was taken."]
    assert [d["title"] for d in record["decisions"]] == [
        "Better Care Fund plan 2026/27"
    ]


def test_shared_record_leaves_out_confidential_items(scenario):
    """SPEC s.2: shared versions of the minutes leave confidential items out."""
    shared = meeting_record(scenario.meeting, include_confidential=False)
    assert [i["title"] for i in shared["items"]] == ["Better Care Fund plan 2026/27"]
    assert shared["confidential_withheld"] == 1


def test_workflow_draft_approved_circulated(scenario):
    """A draft is approved by the chair, then circulated; PDFs and checksums are
    stored and the record frozen."""
    version = approved_version(scenario)
    assert version.status == Status.APPROVED and version.approved_by == scenario.chair
    version = circulate(version, by=scenario.secretary)
    assert version.status == Status.CIRCULATED
    assert version.pdf_sha256 == sha256(bytes(version.pdf))
    assert version.full_pdf_sha256 == sha256(bytes(version.full_pdf))
    assert version.pdf_sha256 != version.full_pdf_sha256
    shared_text = pdf_text(bytes(version.pdf))
    assert "Better Care Fund plan" in shared_text
    assert "Provider contract negotiation" not in shared_text
    assert "Provider contract negotiation" in pdf_text(bytes(version.full_pdf))
    assert "DRAFT" not in shared_text


def test_only_a_held_meeting_has_its_minutes_approved(scenario):
    """Minutes are approved once the meeting has closed."""
    Meeting.objects.filter(pk=scenario.meeting.pk).update(
        status=Meeting.Status.SCHEDULED
    )
    scenario.meeting.refresh_from_db()
    version = services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    with pytest.raises(RuleViolation):
        services.minutes_approve(version=version, by=scenario.secretary)


def test_draft_pdf_carries_a_draft_watermark(scenario):
    """Draft PDFs carry a DRAFT watermark."""
    version = services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    content = services.version_pdf(version, include_confidential=True)
    assert "DRAFT" in pdf_text(content)


def test_circulated_version_is_immutable(scenario):
    """A circulated version never changes: editing it is refused."""
    version = circulated_version(scenario)
    with pytest.raises(RuleViolation) as refused:
        services.minutes_entry_save(
            version=version,
            item=scenario.decision,
            text="Changed",
            by=scenario.secretary,
        )
    assert refused.value.rule == "minutes_immutable"
    with pytest.raises(RuleViolation):
        services.minutes_circulate(version=version, by=scenario.secretary)


def test_correction_is_a_new_version_that_says_what_changed(scenario):
    """A correction makes a new version with a change note; when circulated it
    supersedes the old one, which keeps its PDF and checksum."""
    first = circulated_version(scenario)
    with pytest.raises(RuleViolation):
        services.minutes_correct(version=first, by=scenario.secretary, change_note=" ")
    second = services.minutes_correct(
        version=first, by=scenario.secretary, change_note="Item 1: figure corrected."
    )
    assert second.number == 2 and second.status == Status.DRAFT
    assert second.entries.count() == 2
    services.minutes_entry_save(
        version=second,
        item=scenario.decision,
        text="Corrected text.",
        by=scenario.chair,
    )
    services.minutes_approve(version=second, by=scenario.chair)
    second = circulate(second, by=scenario.secretary)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert first.pdf_sha256 == sha256(bytes(first.pdf))
    assert "Item 1: figure corrected." in pdf_text(bytes(second.pdf))
    with pytest.raises(RuleViolation):
        services.minutes_correct(version=first, by=scenario.secretary, change_note="x")


def test_confirmed_as_a_true_record_at_the_next_meeting(scenario):
    """Circulating links the minutes to the next meeting's standing item "Minutes of
    the previous meeting"; they are confirmed there, by its chair, once it is under
    way, never directly (tests/meetings/test_minutes_confirmation.py has the rest)."""
    following = MeetingFactory(
        board=scenario.board, starts_at=MEETING_AT + dt.timedelta(days=60)
    )
    version = circulated_version(scenario)
    item = version.confirmation_item
    assert item.meeting == following and item.standing == "previous_minutes"
    with pytest.raises(RuleViolation) as refused:
        services.minutes_confirm(version=version, by=scenario.chair)
    assert refused.value.rule == "minutes_confirmed_at_standing_item"
    Meeting.objects.filter(pk=following.pk).update(status=Meeting.Status.IN_PROGRESS)
    version = services.minutes_confirm_at_meeting(item=item, by=scenario.chair)
    assert version.status == Status.CONFIRMED
    assert version.confirmed_at_meeting == following


def test_only_chair_or_secretary_approves(scenario):
    """Approval for circulation is for the chair or the secretary, not a member."""
    assert can_approve_minutes(scenario.chair, scenario.meeting)
    assert can_approve_minutes(scenario.secretary, scenario.meeting)
    assert not can_approve_minutes(scenario.member, scenario.meeting)


def test_circulating_meets_the_deadline(scenario):
    """Circulating records the deadline as met, on time when on or before the day."""
    version = approved_version(scenario)
    services.minutes_circulate(
        version=version, by=scenario.secretary, now=MEETING_AT + dt.timedelta(days=3)
    )
    deadline = scenario.meeting.minutes_deadline
    assert deadline.status == "sent_on_time"
    assert deadline.due_on == dt.date(2026, 3, 9)


def test_superseding_a_version_leaves_a_history_row(scenario):
    """Circulating a correction supersedes the version it corrects, with history."""
    first = circulated_version(scenario)
    second = services.minutes_correct(
        version=first, by=scenario.secretary, change_note="Names corrected."
    )
    services.minutes_approve(version=second, by=scenario.chair)
    services.minutes_circulate(version=second, by=scenario.secretary)
    assert first.history.filter(status=MinutesVersion.Status.SUPERSEDED).exists()


@pytest.mark.django_db(transaction=True)
def test_the_circulated_pdfs_are_rendered_after_commit_outside_any_lock(monkeypatch):
    """Issue 17: WeasyPrint runs in the worker's job, after the circulation has
    committed, with no transaction open (so no row lock is held while it
    renders); the job then stores what it rendered."""
    from django.db import transaction

    from tests.meetings.minutes_scenario import build_scenario

    s = build_scenario()
    version = approved_version(s)
    real = services.pdf.minutes_pdf
    renders = []

    def watched(*args, **kwargs):
        renders.append(transaction.get_connection().in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(services.pdf, "minutes_pdf", watched)
    version = services.minutes_circulate(version=version, by=s.secretary)
    version.refresh_from_db()
    assert renders == [False, False]  # shared and full copies, outside any lock
    assert version.status == Status.CIRCULATED
    assert "Better Care Fund plan" in pdf_text(bytes(version.pdf))
    assert version.pdf_sha256 == sha256(bytes(version.pdf))


def test_approval_keeps_the_chairs_written_authority_until_reopened(scenario):
    """Approved by the secretary on the chair's written authority, the version
    keeps that authority (the record says whose it was); back to draft, it is
    cleared, and approval by the chair in person has none."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.models import ChairAuthority
    from meetings.services import chairing

    version = services.minutes_start(meeting=scenario.meeting, by=scenario.secretary)
    authority = chairing.chair_act(
        meeting=scenario.meeting,
        act=ChairAuthority.Act.MINUTES_APPROVAL,
        target=version,
        by=scenario.secretary,
        chair_name="Carol Chair",
        evidence=SimpleUploadedFile("chair.eml", b"Approved for circulation."),
    )
    version.refresh_from_db()
    assert version.approved_by == scenario.secretary
    assert version.approval_authority == authority
    version = services.minutes_reopen(version=version, by=scenario.secretary)
    version.refresh_from_db()
    assert version.status == Status.DRAFT and version.approval_authority is None
    services.minutes_approve(version=version, by=scenario.chair)
    version.refresh_from_db()
    assert version.approved_by == scenario.chair and version.approval_authority is None
