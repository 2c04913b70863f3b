"""Scheduling rules (meetings/scheduling.py): pure, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance import calendar
from meetings import scheduling
from meetings.scheduling import ReportingCycle


@pytest.mark.parametrize(
    "notice, meeting, required, working_only, lawful, earliest",
    [
        # Portsmouth PMG ToR 4.6: three clear days; Mon notice -> Fri is lawful.
        (date(2026, 11, 23), date(2026, 11, 27), 3, True, True, date(2026, 11, 27)),
        (date(2026, 11, 23), date(2026, 11, 26), 3, True, False, date(2026, 11, 27)),
        # Thursday notice: the weekend does not count (Elitestone, 1993).
        (date(2026, 11, 26), date(2026, 12, 1), 3, True, False, date(2026, 12, 2)),
        (date(2026, 11, 26), date(2026, 12, 1), 3, False, True, date(2026, 11, 30)),
        # Christmas 2026: 25 and 28 Dec are bank holidays.
        (date(2026, 12, 23), date(2026, 12, 29), 3, True, False, date(2026, 12, 31)),
        (date(2026, 12, 23), date(2026, 12, 31), 3, True, True, date(2026, 12, 31)),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (date(2026, 4, 1), date(2026, 4, 7), 3, True, False, date(2026, 4, 9)),
        (date(2026, 4, 2), date(2026, 4, 6), 3, False, True, date(2026, 4, 6)),
        # The day of the meeting itself never counts.
        (date(2026, 11, 23), date(2026, 11, 23), 3, True, False, date(2026, 11, 27)),
    ],
)
def test_extraordinary_notice_needs_clear_days(
    notice, meeting, required, working_only, lawful, earliest
):
    """Extraordinary meeting notice (Portsmouth PMG ToR 4.6): refused with the
    earliest lawful date when too short."""
    check = scheduling.extraordinary_notice(
        notice_given=notice,
        meeting_on=meeting,
        required_clear_days=required,
        working_days_only=working_only,
    )
    assert check.lawful is lawful
    assert check.earliest == earliest
    if not lawful:
        assert scheduling.fmt(earliest) in check.message


@given(
    notice=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    required=st.integers(min_value=0, max_value=10),
    working_only=st.booleans(),
)
def test_the_earliest_lawful_date_is_lawful_and_the_day_before_is_not(
    notice, required, working_only
):
    earliest = scheduling.extraordinary_notice(
        notice_given=notice,
        meeting_on=notice,
        required_clear_days=required,
        working_days_only=working_only,
    ).earliest
    at = scheduling.extraordinary_notice(
        notice_given=notice,
        meeting_on=earliest,
        required_clear_days=required,
        working_days_only=working_only,
    )
    assert at.lawful
    before = scheduling.extraordinary_notice(
        notice_given=notice,
        meeting_on=earliest - timedelta(days=1),
        required_clear_days=required,
        working_days_only=working_only,
    )
    assert not before.lawful or earliest - timedelta(days=1) <= notice


@pytest.mark.parametrize(
    "inquorate, within, deadline",
    [
        # Leicestershire IFPG: reconvened within one month.
        (date(2026, 1, 31), 31, date(2026, 2, 28)),
        (date(2028, 1, 31), 31, date(2028, 2, 29)),
        (date(2026, 11, 23), 31, date(2026, 12, 23)),
        (date(2026, 12, 15), 31, date(2027, 1, 15)),
        # A board that sets fewer days.
        (date(2026, 11, 23), 14, date(2026, 12, 7)),
    ],
)
def test_reconvene_deadline_is_one_month(inquorate, within, deadline):
    """An inquorate meeting must be reconvened within one month (IFPG)."""
    assert scheduling.reconvene_deadline(inquorate, within_days=within) == deadline


@pytest.mark.parametrize(
    "today, last, upcoming, months, behind",
    [
        (date(2026, 11, 23), date(2026, 10, 1), None, 2, False),
        (date(2026, 11, 23), date(2026, 9, 1), None, 2, True),
        (date(2026, 11, 23), date(2026, 9, 1), date(2026, 11, 30), 2, True),
        (date(2026, 11, 23), date(2026, 10, 1), date(2026, 11, 30), 2, False),
        (date(2026, 11, 23), date(2026, 10, 1), date(2027, 1, 15), 2, True),
        (date(2026, 11, 23), date(2026, 8, 1), date(2026, 10, 31), 3, False),
        (date(2026, 11, 23), None, None, 2, True),
        (date(2026, 11, 23), None, date(2026, 12, 1), 2, False),
    ],
)
def test_behind_frequency_warning(today, last, upcoming, months, behind):
    """A board is behind when no meeting is held or scheduled within its
    frequency after the last one (SPEC s.2)."""
    warning = scheduling.behind_frequency(
        today=today,
        last_meeting_on=last,
        next_meeting_on=upcoming,
        frequency_months=months,
    )
    assert (warning is not None) is behind


@pytest.mark.parametrize(
    "last, months, reporting, first",
    [
        # Bi-monthly from 14 Oct: 14 Dec 2026 (a Monday).
        (date(2026, 10, 14), 2, None, date(2026, 12, 14)),
        # A target on a Saturday moves back to the Friday.
        (date(2026, 11, 16), 2, None, date(2027, 1, 15)),
        # Christmas: 26 Oct + 2 months = Sat 26 Dec -> back past 25 Dec to 24 Dec.
        (date(2026, 10, 26), 2, None, date(2026, 12, 24)),
        # Monthly returns due on the 15th (PMG): after the December return due 15
        # January, with room for 4 working days' papers: 5 working days later.
        (date(2026, 11, 30), 2, ReportingCycle(1, 15), date(2027, 1, 22)),
        # Quarterly returns (IFPG): October-December return due 15 January.
        (date(2026, 11, 10), 3, ReportingCycle(3, 15), date(2027, 1, 22)),
        # No return falls due late enough in the interval: the frequency rules.
        (date(2026, 9, 30), 3, ReportingCycle(3, 15), date(2026, 12, 30)),
    ],
)
def test_next_ordinary_dates_follow_frequency_and_reporting(
    last, months, reporting, first
):
    proposals = scheduling.propose_ordinary_dates(
        today=date(2026, 9, 1),
        last_meeting_on=last,
        frequency_months=months,
        reporting=reporting,
    )
    assert proposals[0] == first
    assert len(proposals) == 3


@given(
    today=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    gap=st.integers(min_value=0, max_value=400),
    months=st.sampled_from([1, 2, 3]),
    reporting=st.sampled_from([None, ReportingCycle(1, 15), ReportingCycle(3, 10)]),
)
def test_proposals_are_working_days_in_order_and_leave_time_for_papers(
    today, gap, months, reporting
):
    last = today - timedelta(days=gap)
    proposals = scheduling.propose_ordinary_dates(
        today=today, last_meeting_on=last, frequency_months=months, reporting=reporting
    )
    earliest = scheduling.earliest_ordinary_date(today, 4)
    assert all(calendar.is_working_day(d) for d in proposals)
    assert proposals == sorted(proposals) and len(set(proposals)) == 3
    assert all(d >= earliest for d in proposals)
    # Never later than the frequency allows after the previous meeting, unless the
    # board is already behind (then as soon as papers can go out).
    previous = last
    for day in proposals:
        due = calendar.add_months(previous, months)
        assert day <= max(due, scheduling._next_working_day(earliest)) + timedelta(
            days=3
        )
        previous = day


def test_report_due_dates_follow_the_financial_year_quarters():
    due = scheduling.report_due_dates(
        ReportingCycle(3, 15), date(2026, 1, 1), date(2026, 12, 31)
    )
    assert due == [
        date(2026, 1, 15),
        date(2026, 4, 15),
        date(2026, 7, 15),
        date(2026, 10, 15),
    ]
    monthly = scheduling.report_due_dates(
        ReportingCycle(1, 20), date(2026, 1, 1), date(2026, 3, 31)
    )
    assert monthly == [date(2026, 1, 20), date(2026, 2, 20), date(2026, 3, 20)]


@pytest.mark.parametrize(
    "day, papers_working_days, ready",
    [
        # Thursday 26 Nov 2026, five working days' papers: a day to write, then five.
        (date(2026, 11, 26), 5, date(2026, 12, 4)),
        # Terms stating no papers deadline count none: the next working day.
        (date(2026, 11, 26), None, date(2026, 11, 27)),
        (date(2026, 11, 26), 0, date(2026, 11, 27)),
        # Over a weekend and the Christmas bank holidays (25 and 28 Dec 2026).
        (date(2026, 12, 24), 1, date(2026, 12, 30)),
    ],
)
def test_a_paper_is_ready_for_a_meeting_after_a_writing_day_and_the_papers_period(
    day, papers_working_days, ready
):
    assert scheduling.paper_ready_on(day, papers_working_days) == ready
    assert scheduling.earliest_ordinary_date(day, papers_working_days) == ready
