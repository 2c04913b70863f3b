"""The demo calendar (issue 13): boards meet on their own days and hours, each at its
stated frequency, so whatever day the demo is loaded the dashboard shows a
believable week and no board is behind its frequency."""

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from demo import files
from demo.load import load
from demo.when import Clock, moment_of
from governance import calendar
from meetings import scheduling
from meetings.selectors.meetings import board_schedules


def plans_on(today: datetime.date) -> dict[str, list[datetime.datetime]]:
    """Each board's meeting starts as the demo files give them, loaded on ``today``."""
    starts = defaultdict(list)
    for _, spec in files.read_all(files.DATA).meetings:
        starts[spec["board"]].append(moment_of(spec["starts_at"], Clock(today=today)))
    return starts


def frequencies() -> dict[str, int]:
    from boards.models import Board

    default = Board._meta.get_field("meeting_frequency_months").default
    return {
        spec["key"]: (spec.get("settings") or {}).get(
            "meeting_frequency_months", default
        )
        for _, spec in files.read_all(files.DATA).boards
    }


# Every day of a year, bank holidays and the turn of the year included.
DAYS = [datetime.date(2026, 1, 1) + datetime.timedelta(days=n) for n in range(366)]


@pytest.mark.parametrize("today", DAYS[::3] + [datetime.date(2026, 12, 24)])
def test_whatever_day_it_is_loaded_no_board_is_behind_and_next_meetings_spread(today):
    now = datetime.datetime.combine(
        today, datetime.time(12), tzinfo=timezone.get_default_timezone()
    )
    every = frequencies()
    next_starts = []
    for board, starts in plans_on(today).items():
        held = [s for s in starts if s < now]
        coming = [s for s in starts if s >= now]
        assert coming, f"{board}: no next meeting"
        following = min(coming)
        next_starts.append(following)
        warning = scheduling.behind_frequency(
            today=today,
            last_meeting_on=max(held).date() if held else None,
            next_meeting_on=following.date(),
            frequency_months=every[board],
        )
        assert warning is None, f"{board} on {today}: {warning}"
        assert following.date() <= calendar.add_months(today, 1)
    local = [timezone.localtime(s) for s in next_starts]
    assert len({s.date() for s in local}) >= len(local) - 2, local
    assert len({s.time() for s in local}) == len(local), local
    # Bank holidays move a meeting to the next working day, so allow some overlap.
    assert len({s.weekday() for s in local}) >= 3
    assert all(calendar.is_working_day(s.date()) for s in local)
    # A believable week: some board meets within the coming seven days.
    assert any(s.date() <= today + datetime.timedelta(days=7) for s in local)


@pytest.mark.django_db
def test_the_loaded_demo_dashboard_shows_a_believable_week_and_nobody_behind():
    """The demo secretary's dashboard: no "Boards behind their meeting frequency"
    panel, and the upcoming meetings on different days and hours."""
    from boards.models import Board
    from governance.models import User
    from meetings.selectors.meetings import dashboard_panels

    load(funds=False)
    secretary = User.objects.get(email="secretary@demo.example")
    panels = dashboard_panels(secretary)
    assert [p["title"] for p in panels] == ["Your upcoming meetings"]
    schedules = board_schedules(Board.objects.filter(secretaries=secretary))
    assert len(schedules) >= 5
    assert [s.board.name for s in schedules if s.warning] == []
    starts = [timezone.localtime(s.next.starts_at) for s in schedules]
    assert len({(s.date(), s.hour, s.minute) for s in starts}) == len(starts)
    assert len({s.date() for s in starts}) > 1
    assert len({(s.hour, s.minute) for s in starts}) > 1
