"""iCalendar (RFC 5545) for meetings: one event per meeting, with the board, the
location and the agenda published so far. Read-only; times carry their zone.

The UID is stable per meeting so calendar apps update the same event when a
meeting moves; a cancelled meeting is sent with STATUS:CANCELLED so it disappears
from subscribers' calendars rather than lingering.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from icalendar import Calendar, Event

from .models import Meeting

log = logging.getLogger(__name__)
DEFAULT_LENGTH = timedelta(hours=2)
PRODID = "-//Partnership Governance//Meetings//EN"


def _event(meeting: Meeting, base_url: str, shows_item, url_for) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@partnership-governance")
    event.add("dtstamp", timezone.now())
    start = timezone.localtime(meeting.starts_at)
    end = (
        timezone.localtime(meeting.ends_at)
        if meeting.ends_at
        else start + DEFAULT_LENGTH
    )
    event.add("dtstart", start)
    event.add("dtend", end)
    title = f"{meeting.board.label}: {meeting.get_kind_display()} meeting"
    event.add("summary", title)
    if meeting.location:
        event.add("location", meeting.location)
    lines = []
    if meeting.purpose:
        lines.append(meeting.purpose)
    # Numbered as on the agenda; a confidential item's title never travels in a
    # calendar: its exemption (the paragraph of Schedule 12A) stands in its place.
    items = [
        (n, item) for n, item in enumerate(meeting.items.all(), 1) if shows_item(item)
    ]
    if meeting.agenda_published_at and items:
        lines.append("Agenda:")
        lines += [
            f"{n}. {capfirst(item.exemption) if item.confidential else item.title}"
            for n, item in items
        ]
    if base_url:
        url = base_url.rstrip("/") + url_for(meeting)
        event.add("url", url)
        lines.append(url)
    if lines:
        event.add("description", "\n".join(lines))
    status = "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
    event.add("status", status)
    return event


def calendar_for(
    meetings, *, name: str, base_url: str = "", shows_item=None, url_for=None
) -> bytes:
    """An iCalendar file with one event per meeting. ``meetings`` should prefetch
    ``items`` and select ``board``. ``shows_item(item)`` limits the agenda text
    (a guest's feed lists only their items); a confidential item shows only its
    exemption (the paragraph of Schedule 12A), never its title.
    ``url_for(meeting)`` is each event's link (default: the meeting's page)."""
    shows_item = shows_item or (lambda item: True)
    url_for = url_for or (lambda meeting: meeting.get_absolute_url())
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        try:
            cal.add_component(_event(meeting, base_url, shows_item, url_for))
        except (OverflowError, ValueError):
            # A date a calendar cannot hold (year 9999 and two hours on): left
            # out of the feed rather than breaking it for every other meeting.
            log.warning("meeting %s left out of a feed: date out of range", meeting.pk)
    try:
        cal.add_missing_timezones()
    except (OverflowError, ValueError):
        log.warning("calendar %r: time zone transitions out of range", name)
    return cal.to_ical()
