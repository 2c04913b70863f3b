"""Demo meetings (meetings/demo.py): past and upcoming meetings for each demo
board, one inquorate meeting, an upcoming PMG meeting with draft motions;
idempotent."""

import io

import pytest
from django.core.management import call_command

from boards.demo import PMG
from meetings.models import Meeting, Motion
from meetings.quorum_snapshot import meeting_quorum

pytestmark = pytest.mark.django_db


def test_demo_meetings_are_loaded_once_with_an_inquorate_meeting():
    call_command("load_demo", stdout=io.StringIO())
    count = Meeting.objects.count()
    motions = Motion.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Meeting.objects.count() == count
    assert Motion.objects.count() == motions
    inquorate = Meeting.objects.get(board__name=PMG, status=Meeting.Status.INQUORATE)
    result = meeting_quorum(inquorate, business_type="routine")
    assert not result.quorate and "CCG" in result.unmet[0]
    assert Meeting.objects.filter(reconvenes=inquorate).exists()
    upcoming = Meeting.objects.get(board__name=PMG, status=Meeting.Status.SCHEDULED)
    drafts = Motion.objects.filter(item__meeting=upcoming, status=Motion.Status.DRAFT)
    assert drafts.count() >= 2
    assert upcoming.items.filter(papers__isnull=False).exists()
    boards_with_meetings = Meeting.objects.values("board").distinct().count()
    assert boards_with_meetings >= 5
