"""Standing items (issue 13): every agenda gets apologies, declarations of interest,
minutes of the previous meeting, matters arising and the action log, and any other
business last, made when the meeting is scheduled; later items, referred items and
their papers go before any other business."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.models import AgendaItem, Meeting, Motion, Paper
from meetings.services import agenda, lifecycle
from meetings.services.referrals import carry_forward
from tests.boards.factories import BoardFactory
from tests.governance.factories import UserFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

OPENING = ["apologies", "declarations", "previous_minutes", "matters_arising"]


def standings(meeting: Meeting) -> list[str]:
    return list(
        meeting.items.order_by("order", "id").values_list("standing", flat=True)
    )


def titles(meeting: Meeting) -> list[str]:
    return list(meeting.items.order_by("order", "id").values_list("title", flat=True))


@pytest.fixture
def scheduled():
    board = BoardFactory()
    by = UserFactory()
    meeting = lifecycle.meeting_schedule(
        board=board,
        kind=Meeting.Kind.ORDINARY,
        starts_at=timezone.now() + datetime.timedelta(days=40),
        by=by,
    )
    return meeting, by


def test_scheduling_a_meeting_gives_its_agenda_the_standing_items_in_order(scheduled):
    meeting, _ = scheduled
    assert standings(meeting) == [*OPENING, "aob"]
    assert titles(meeting) == [
        "Apologies for absence",
        "Declarations of interest",
        "Minutes of the previous meeting",
        "Matters arising and the action log",
        "Any other business",
    ]
    assert list(meeting.items.order_by("order").values_list("order", flat=True)) == [
        0,
        1,
        2,
        3,
        4,
    ]


def test_an_extraordinary_meeting_is_scheduled_without_any_other_business():
    """An extraordinary meeting takes only the matters its notice named (Portsmouth
    PMG ToR 4.6), so its agenda has no "Any other business"."""
    secretary = UserFactory()
    meeting = lifecycle.meeting_schedule(
        board=BoardFactory(secretaries=[secretary]),
        kind=Meeting.Kind.EXTRAORDINARY,
        starts_at=timezone.now() + datetime.timedelta(days=10),
        by=secretary,
    )
    assert standings(meeting) == OPENING


def test_adding_standing_items_twice_adds_nothing(scheduled):
    meeting, _ = scheduled
    assert agenda.agenda_standing_items_add(meeting=meeting) == []
    assert meeting.items.count() == 5


def test_an_item_added_later_goes_before_any_other_business(scheduled):
    meeting, by = scheduled
    first = agenda.item_add(meeting=meeting, title="Scheme review", by=by)
    second = agenda.item_add(meeting=meeting, title="Risk register", by=by)
    assert titles(meeting)[4:] == [
        "Scheme review",
        "Risk register",
        "Any other business",
    ]
    assert (first.order, second.order) == (4, 5)


def test_business_moves_within_the_business_only(scheduled):
    meeting, by = scheduled
    first = agenda.item_add(meeting=meeting, title="Scheme review", by=by)
    second = agenda.item_add(meeting=meeting, title="Risk register", by=by)
    agenda.item_move(item=second, by=by, up=False)  # not below AOB
    agenda.item_move(item=first, by=by, up=True)  # not above matters arising
    assert titles(meeting)[3:] == [
        "Matters arising and the action log",
        "Scheme review",
        "Risk register",
        "Any other business",
    ]
    agenda.item_move(item=second, by=by, up=True)
    assert titles(meeting)[4:6] == ["Risk register", "Scheme review"]


def test_a_reconvened_meeting_gets_one_set_of_standing_items(scheduled):
    meeting, by = scheduled
    agenda.item_add(meeting=meeting, title="Scheme review", by=by)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.INQUORATE)
    meeting.refresh_from_db()
    again = lifecycle.meeting_schedule(
        board=meeting.board,
        kind=Meeting.Kind.RECONVENED,
        starts_at=meeting.starts_at + datetime.timedelta(days=7),
        reconvenes=meeting,
        by=by,
    )
    assert standings(again) == [*OPENING, "", "aob"]
    assert titles(again)[4] == "Scheme review"


def test_a_referred_item_goes_before_aob_with_its_papers(scheduled):
    following, by = scheduled
    agenda.item_add(meeting=following, title="Already planned", by=by)
    held = MeetingFactory(
        board=following.board,
        starts_at=following.starts_at - datetime.timedelta(days=30),
        status=Meeting.Status.CLOSED,
    )
    item = AgendaItem.objects.create(
        meeting=held, title="Care home fees", kind=AgendaItem.Kind.DECISION
    )
    paper = Paper(item=item, title="Fees report", uploaded_by=by, size=4)
    paper.file.save("fees.pdf", ContentFile(b"%PDF"), save=False)
    paper.save()
    motion = Motion.objects.create(item=item, text="That the fees are agreed.")
    new = carry_forward(motion=motion, reason="Referred: a partner objected.")
    assert new.meeting == following
    assert titles(following)[4:] == [
        "Already planned",
        "Care home fees",
        "Any other business",
    ]
    carried = list(new.papers.all())
    assert [(p.title, p.file.name) for p in carried] == [
        ("Fees report", paper.file.name)
    ]
    assert new.referred_from == item


def test_a_provisional_meeting_made_for_a_referral_has_standing_items():
    board = BoardFactory()
    held = MeetingFactory(
        board=board,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=Meeting.Status.CLOSED,
    )
    item = AgendaItem.objects.create(meeting=held, title="Fees", kind="decision")
    motion = Motion.objects.create(item=item, text="That the fees are agreed.")
    new = carry_forward(motion=motion, reason="Deferred.")
    assert standings(new.meeting) == [*OPENING, "", "aob"]


def test_the_api_and_the_agenda_pack_show_the_order(scheduled):
    """The API lists the items in agenda order with their standing kind; the pack's
    agenda lists them in the same order, any other business last."""
    import io

    from pypdf import PdfReader
    from rest_framework.test import APIClient

    from meetings import pdf
    from meetings.services.minutes_jobs import pack_items, pack_meeting

    meeting, by = scheduled
    agenda.item_add(meeting=meeting, title="Scheme review", by=by)
    admin = UserFactory(role="administrator")
    client = APIClient()
    client.force_authenticate(admin)
    answer = client.get(f"/api/v1/meetings/{meeting.pk}/items/")
    assert answer.status_code == 200, answer.content
    rows = answer.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [r["standing"] for r in rows] == [*OPENING, "", "aob"]
    assert [r["order"] for r in rows] == [0, 1, 2, 3, 4, 5]
    content = pdf.agenda_pack(pack_meeting(meeting), pack_items(meeting))
    cover = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    places = [
        cover.index(title)
        for title in (
            "Apologies for absence",
            "Declarations of interest",
            "Minutes of the previous meeting",
            "Matters arising and the action log",
            "Scheme review",
            "Any other business",
        )
    ]
    assert places == sorted(places)
