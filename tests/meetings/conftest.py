import pytest

from tests.meetings.minutes_scenario import Scenario, build_scenario


@pytest.fixture
def scenario(db) -> Scenario:
    """The minutes scenario (tests/meetings/minutes_scenario.py): a PMG-like board
    with officers and a closed meeting whose minutes are still to be written."""
    return build_scenario()
