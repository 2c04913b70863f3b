"""The forward plan as iCalendar (RFC 5545): each coming meeting (a proposed date as
a tentative all-day event) with what the plan expects there, and each duty's next
due date as an all-day event. UIDs are stable so calendar apps update events in
place. Confidential items never appear (they would leave the site)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from governance.links import absolute_url

PRODID = "-//Partnership Governance//Forward plan//EN"
DEFAULT_LENGTH = timedelta(hours=2)


def _meeting_event(board, planned, meeting) -> Event:
    event = Event()
    day = planned.meeting.on
    if meeting is not None:
        event.add("uid", f"meeting-{meeting.pk}@partnership-governance")
        start = timezone.localtime(meeting.starts_at)
        event.add("dtstart", start)
        event.add("dtend", start + DEFAULT_LENGTH)
        event.add("status", "CONFIRMED")
        event.add("url", absolute_url(meeting))
        if meeting.location:
            event.add("location", meeting.location)
        summary = f"{board.label}: meeting"
    else:
        event.add("uid", f"forward-plan-{board.pk}-{day:%Y%m%d}@partnership-governance")
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("status", "TENTATIVE")
        summary = f"{board.label}: proposed meeting date"
    event.add("summary", summary)
    event.add("dtstamp", timezone.now())
    lines = []
    if planned.on_agenda:
        lines.append("On the agenda:")
        # A calendar travels: a confidential item's title stays out, its
        # exemption (the Schedule 12A paragraph) stands in its place.
        lines += [
            f"- Exempt item: {e.exemption}"
            if e.confidential
            else f"- {e.title} ({e.note})"
            for e in planned.on_agenda
        ]
    if planned.proposals:
        lines.append("Proposed by the forward plan:")
        lines += [
            f"- {p.expected.title} [{p.expected.source}]"
            + (" (late)" if p.late else "")
            for p in planned.proposals
        ]
    if lines:
        event.add("description", "\n".join(lines))
    return event


def _due_event(board, row) -> Event:
    obligation, state = row.obligation, row.state
    event = Event()
    event.add(
        "uid",
        f"obligation-{obligation.pk}-{state.due:%Y%m%d}@partnership-governance",
    )
    event.add("dtstamp", timezone.now())
    event.add("dtstart", state.due)
    event.add("dtend", state.due + timedelta(days=1))
    event.add("summary", f"{board.label} due: {obligation.title}")
    event.add(
        "description",
        f"{obligation.source}"
        + (f"\n“{obligation.quote}”" if obligation.quote else "")
        + f"\nStatus: {state.status.replace('_', ' ')}",
    )
    event.add("url", absolute_url(reverse("planning:obligations", args=[board.pk])))
    event.add("transp", "TRANSPARENT")
    return event


def forward_plan_calendar(board_plan, rows) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{board_plan.board.label} forward plan")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for planned, meeting, _ in board_plan.rows():
        cal.add_component(_meeting_event(board_plan.board, planned, meeting))
    for row in rows:
        if row.state.due is not None and row.obligation.dated:
            cal.add_component(_due_event(board_plan.board, row))
    cal.add_missing_timezones()
    return cal.to_ical()
