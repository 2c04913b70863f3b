"""The secretary's meeting page is one request (issue 17): each decision panel is
drawn in the page, the same panel the htmx endpoint answers, and the page's queries
do not grow with decision items or votes."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Motion, Vote
from tests.meetings import builders
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MotionFactory,
)

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _decisions(b, n, *, status=Motion.Status.OPEN, carried_forward=False):
    for seat in b.seats:
        AttendanceFactory(meeting=b.meeting, seat=seat, status="present")
    for _ in range(n):
        item = AgendaItemFactory(meeting=b.meeting, kind=AgendaItem.Kind.DECISION)
        motion = MotionFactory(item=item, status=status)
        if carried_forward:
            # Not agreed: on the agenda of a later meeting, named in the panel.
            later = MeetingFactory(
                board=b.board, starts_at=b.meeting.starts_at + timedelta(days=30)
            )
            motion.referred_to_item = AgendaItemFactory(meeting=later)
            motion.save()
        for seat in b.seats:
            Vote.objects.create(
                motion=motion, seat=seat, choice="for", cast_by=seat.holder
            )


def _section(html, item_pk):
    match = re.search(
        rf'<section id="decision-{item_pk}"[^>]*>(.*?)</section>', html, re.S
    )
    return match


def test_panels_are_drawn_in_the_page_as_the_endpoint_draws_them(client):
    b = builders.pmg(seats_per_partner=2)
    _decisions(b, 2)
    client.force_login(b.secretary)
    html = client.get(reverse("meetings:run", args=[b.meeting.pk])).content.decode()
    for item in AgendaItem.objects.filter(meeting=b.meeting):
        section = _section(html, item.pk)
        assert section and 'hx-trigger="load"' not in section.group(0)
        assert "Votes cast: 4 of 4 voting seats" in section.group(1)
        alone = client.get(reverse("meetings:decisions-item", args=[item.pk]))
        assert CSRF.sub("", section.group(1)).strip() == (
            CSRF.sub("", alone.content.decode()).strip()
        )


@pytest.mark.parametrize(
    "status, carried_forward",
    [
        (Motion.Status.DRAFT, False),
        (Motion.Status.OPEN, False),
        (Motion.Status.CLOSED, True),
    ],
)
def test_run_page_queries_do_not_grow_with_decisions_or_votes(
    client, status, carried_forward
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = builders.pmg(seats_per_partner=1)
    _decisions(small, 1, status=status, carried_forward=carried_forward)
    big = builders.pmg(seats_per_partner=6)
    _decisions(big, 12, status=status, carried_forward=carried_forward)
    big.board.secretaries.add(small.secretary)
    client.force_login(small.secretary)
    counts = []
    for b in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(reverse("meetings:run", args=[b.meeting.pk])).status_code
                == 200
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
