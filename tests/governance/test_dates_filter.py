"""The ``day`` filter (``governance/templatetags/dates.py``) renders what Django's
``date`` filter renders, for every format the list pages use, in summer and winter
time, for dates and datetimes, and for values it leaves to ``date``."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
FORMATS = [
    "D j M Y, H:i",
    "H:i:s",
    "D j M Y",
    "j M Y",
    "j M Y H:i",
    "j M H:i",
    "Y-m-d",
    "d/m/y",
    "l j F Y",  # not formatted here: left to the date filter
    r"j \o\f M",  # escapes: left to the date filter
]
VALUES = [
    datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),  # BST: 2 Jul 00:30
    datetime.datetime(2026, 1, 9, 8, 5, tzinfo=datetime.UTC),
    datetime.datetime(2025, 10, 26, 0, 59, tzinfo=LONDON),
    datetime.date(2026, 3, 5),
    None,
    "",
    "not a date",
]


def render(name: str, fmt: str, value) -> str:
    source = "{% load dates %}{{ v|" + name + ':"' + fmt + '" }}'
    return Template(source).render(Context({"v": value}))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", VALUES)
def test_day_renders_what_the_date_filter_renders(fmt, value):
    with timezone.override(LONDON):
        if type(value) is datetime.date and "H" in fmt:
            # The date filter refuses a time of day on a date; so does day.
            for name in ("date", "day"):
                with pytest.raises(TypeError):
                    render(name, fmt, value)
            return
        assert render("day", fmt, value) == render("date", fmt, value)


def test_day_converts_to_the_current_time_zone_as_date_does():
    value = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(LONDON):
        assert render("day", "D j M Y, H:i", value) == "Thu 2 Jul 2026, 00:30"
