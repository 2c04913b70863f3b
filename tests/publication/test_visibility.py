"""The publication rules (``publication/visibility.py``): each pure rule and its
queryset filter agree on every combination of facts, and the rules say what issue
19 and SPEC s.2 say."""

import datetime
import itertools

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, MinutesVersion, Motion, Paper
from publication import visibility as v
from publication.services.publication import board_publication_set
from tests.boards.factories import BoardFactory
from tests.governance.factories import UserFactory

STATUSES = list(Meeting.Status.values)


def test_a_board_that_does_not_publish_shows_nothing():
    f = v.Facts(
        board_published=False,
        meeting_status="closed",
        agenda_issued=True,
        motion_status="closed",
        minutes_status="confirmed",
    )
    assert not any(
        rule(f)
        for rule in (
            v.meeting_listed,
            v.agenda_public,
            v.item_public,
            v.paper_public,
            v.decision_public,
            v.minutes_public,
            v.attendance_public,
        )
    )


def test_a_confidential_item_shows_nothing_but_its_place():
    """SPEC s.2: confidential items are left out of published versions."""
    f = v.Facts(
        board_published=True,
        meeting_status="closed",
        agenda_issued=True,
        confidential=True,
        motion_status="closed",
        minutes_status="confirmed",
    )
    assert v.agenda_public(f)
    assert not (
        v.item_public(f)
        or v.paper_public(f)
        or v.decision_public(f)
        or v.minutes_public(f)
    )


@pytest.mark.parametrize(
    "issued, status, public",
    [
        (False, "scheduled", False),
        (True, "scheduled", True),
        (False, "in_progress", True),
        (False, "closed", True),
        (False, "inquorate", True),
        (False, "cancelled", False),
        (True, "cancelled", True),
    ],
)
def test_an_agenda_is_public_once_issued_or_once_the_meeting_is_held(
    issued, status, public
):
    f = v.Facts(board_published=True, meeting_status=status, agenda_issued=issued)
    assert v.agenda_public(f) is public


@pytest.mark.parametrize(
    "late, authorised, public",
    [(False, False, True), (True, False, False), (True, True, True)],
)
def test_a_late_paper_is_public_only_once_the_chair_authorised_it(
    late, authorised, public
):
    f = v.Facts(
        board_published=True,
        agenda_issued=True,
        paper_late=late,
        paper_late_authorised=authorised,
    )
    assert v.paper_public(f) is public


@pytest.mark.parametrize("status", list(MinutesVersion.Status.values))
def test_minutes_are_public_once_circulated(status):
    f = v.Facts(board_published=True, meeting_status="closed", minutes_status=status)
    assert v.minutes_public(f) is (status in ("circulated", "confirmed"))


# --- the querysets say the same as the pure rules ------------------------------

COMBINATIONS = list(
    itertools.product(
        [True, False],  # board published
        ["scheduled", "closed", "cancelled"],  # meeting status
        [True, False],  # agenda issued
        [True, False],  # confidential
    )
)


@pytest.mark.django_db
def test_item_paper_and_decision_filters_agree_with_the_rules():
    by = UserFactory()
    rows = []
    for n, (published, status, issued, confidential) in enumerate(COMBINATIONS):
        board = BoardFactory(name=f"Combination board {n}")
        board_publication_set(board=board, published=published, source="test")
        meeting = Meeting.objects.create(
            board=board,
            starts_at=timezone.now() + datetime.timedelta(days=n),
            status=status,
            agenda_published_at=timezone.now() if issued else None,
        )
        item = AgendaItem.objects.create(
            meeting=meeting, title=f"Item {n}", confidential=confidential
        )
        motion = Motion.objects.create(item=item, text="That.", status="closed")
        for late, authorised in ((False, False), (True, False), (True, True)):
            paper = Paper(
                item=item,
                title="Paper",
                uploaded_by=by,
                late=late,
                late_authorised_at=timezone.now() if authorised else None,
            )
            paper.file.save("p.pdf", ContentFile(b"%PDF-1.4"), save=False)
            paper.save()
            facts = v.Facts(
                board_published=published,
                meeting_status=status,
                agenda_issued=issued,
                confidential=confidential,
                paper_late=late,
                paper_late_authorised=authorised,
                motion_status="closed",
            )
            rows.append((facts, meeting, item, motion, paper))
    for facts, meeting, item, motion, paper in rows:
        assert Meeting.objects.filter(v.meeting_listed_q(), pk=meeting.pk).exists() is (
            v.meeting_listed(facts)
        )
        assert Meeting.objects.filter(v.agenda_public_q(), pk=meeting.pk).exists() is (
            v.agenda_public(facts)
        )
        assert AgendaItem.objects.filter(v.item_public_q(), pk=item.pk).exists() is (
            v.item_public(facts)
        ), facts
        assert Paper.objects.filter(v.paper_public_q(), pk=paper.pk).exists() is (
            v.paper_public(facts)
        ), facts
        assert Motion.objects.filter(v.decision_public_q(), pk=motion.pk).exists() is (
            v.decision_public(facts)
        ), facts
        assert Meeting.objects.filter(
            v.attendance_public_q(), pk=meeting.pk
        ).exists() is v.attendance_public(facts)


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(MinutesVersion.Status.values))
@pytest.mark.parametrize("published", [True, False])
def test_the_minutes_filter_agrees_with_the_rule(status, published):
    board = BoardFactory()
    board_publication_set(board=board, published=published, source="test")
    meeting = Meeting.objects.create(
        board=board, starts_at=timezone.now(), status="closed"
    )
    version = MinutesVersion.objects.create(
        meeting=meeting, status=status, created_by=UserFactory()
    )
    facts = v.Facts(
        board_published=published, meeting_status="closed", minutes_status=status
    )
    assert MinutesVersion.objects.filter(
        v.minutes_public_q(), pk=version.pk
    ).exists() is v.minutes_public(facts)


@pytest.mark.django_db
def test_a_board_without_a_publication_setting_does_not_publish():
    board = BoardFactory()
    meeting = Meeting.objects.create(board=board, starts_at=timezone.now())
    assert not Meeting.objects.filter(v.meeting_listed_q(), pk=meeting.pk).exists()


def test_an_exempt_item_reads_as_its_schedule_12a_paragraph():
    """With the paragraph recorded (``AgendaItem.exempt_paragraph``, issue 11/13),
    the public reads "exempt under paragraph N"; without it, that it is exempt."""
    from types import SimpleNamespace

    assert v.exempt_label(SimpleNamespace(exempt_paragraph=3)) == (
        "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"
    )
    assert v.exempt_label(SimpleNamespace()).startswith("Exempt information")
