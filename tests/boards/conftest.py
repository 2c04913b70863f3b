import pytest

from tests.boards.factories import AgreementFactory


@pytest.fixture
def other_agreement(db):
    """An agreement of another partnership: no board the test's secretary serves is
    under it."""
    return AgreementFactory(name="Someone else's agreement")
