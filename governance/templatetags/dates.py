"""``{{ value|day:"D j M Y, H:i" }}``: the ``date`` filter's output for the formats
list rows use, without its per-call work (the language, the format lookup, a
``DateFormat`` and a regular expression per value: about 100 µs a value, most of
a list row's time at 50 or 100 rows a page, and a meeting page can show a
thousand vote times). The day and month names are the
``date`` filter's own (``django.utils.dates``), translated once per language.
Any format character other than ``D j d M m Y y H i s`` and any value that is not a
date falls back to Django's ``date`` filter, so the output is always its output
(``tests/governance/test_dates_filter.py`` compares them)."""

import datetime

from django import template
from django.template.defaultfilters import date as django_date
from django.utils import translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

register = template.Library()

_DATE_CHARS = frozenset("DjdMmYy")
_TIME_CHARS = frozenset("His")
_NAMES: dict[str | None, tuple[dict[int, str], dict[int, str]]] = {}


def _names() -> tuple[dict[int, str], dict[int, str]]:
    language = translation.get_language()
    names = _NAMES.get(language)
    if names is None:
        names = _NAMES[language] = (
            {k: str(v) for k, v in WEEKDAYS_ABBR.items()},
            {k: str(v).title() for k, v in MONTHS_3.items()},
        )
    return names


def _plain(fmt: str, has_time: bool) -> bool:
    """Whether ``fmt`` has only the characters formatted here (no escapes)."""
    for ch in fmt:
        if ch in _DATE_CHARS or (has_time and ch in _TIME_CHARS):
            continue
        if ch.isalpha() or ch == "\\":
            return False
    return True


@register.filter(expects_localtime=True, is_safe=False)
def day(value, arg: str):
    """The ``date`` filter's output for ``value`` in format ``arg``."""
    if value in (None, ""):
        return ""
    has_time = isinstance(value, datetime.datetime)
    if not isinstance(value, datetime.date) or not arg or not _plain(arg, has_time):
        return django_date(value, arg)
    weekdays, months = _names()
    out = []
    for ch in arg:
        if ch == "D":
            out.append(weekdays[value.weekday()])
        elif ch == "j":
            out.append(str(value.day))
        elif ch == "d":
            out.append(f"{value.day:02d}")
        elif ch == "M":
            out.append(months[value.month])
        elif ch == "m":
            out.append(f"{value.month:02d}")
        elif ch == "Y":
            out.append(f"{value.year:04d}")
        elif ch == "y":
            out.append(f"{value.year % 100:02d}")
        elif ch == "H":
            out.append(f"{value.hour:02d}")
        elif ch == "i":
            out.append(f"{value.minute:02d}")
        elif ch == "s":
            out.append(f"{value.second:02d}")
        else:
            out.append(ch)
    return "".join(out)
