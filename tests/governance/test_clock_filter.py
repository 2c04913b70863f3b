"""``hms`` draws a moment as Django's ``time:"H:i:s"`` does, in UK time."""

from datetime import UTC, datetime

import pytest
from django.template import engines

from governance.templatetags.clock import hms


def _django_time(moment) -> str:
    """Django's filter as a template applies it (converted to UK time first)."""
    template = engines["django"].from_string('{{ moment|time:"H:i:s" }}')
    return template.render({"moment": moment})


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 15, 9, 5, 7, tzinfo=UTC),  # GMT
        datetime(2026, 7, 15, 23, 59, 59, tzinfo=UTC),  # BST: the next day in London
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the hour the clocks go forward
    ],
)
def test_hms_is_django_time_filter_in_uk_time(moment):
    assert hms(moment) == _django_time(moment)


def test_hms_of_nothing_is_empty():
    assert hms(None) == ""
