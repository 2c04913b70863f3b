import pytest

from meetings import pdf
from tests.meetings.minutes_scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db) -> Scenario:
    """The minutes scenario (tests/meetings/minutes_scenario.py): a PMG-like board
    with officers and a closed meeting whose minutes are still to be written."""
    return build_scenario()


@pytest.fixture
def renders(monkeypatch):
    """How many times each PDF (minutes, record of decisions) was rendered."""
    counts = {"record": 0, "minutes": 0}
    record, minutes = pdf.record_of_decisions_pdf, pdf.minutes_pdf

    def count_record(*args, **kwargs):
        counts["record"] += 1
        return record(*args, **kwargs)

    def count_minutes(*args, **kwargs):
        counts["minutes"] += 1
        return minutes(*args, **kwargs)

    monkeypatch.setattr(pdf, "record_of_decisions_pdf", count_record)
    monkeypatch.setattr(pdf, "minutes_pdf", count_minutes)
    return counts
