"""The demo constitution (issue 3): every board of the reference documents, loaded
idempotently, with every SPEC s.3 quorum row configured."""

import pytest
from django.core.management import call_command

from boards import demo
from boards.models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    ChairTerm,
    Partner,
    QuorumRule,
    Schedule,
    Seat,
    TermsOfReference,
)
from governance.models import User

pytestmark = pytest.mark.django_db

MODELS = [Partner, Agreement, Schedule, AuthorisedOfficer, Board, Seat, QuorumRule,
          TermsOfReference, ChairTerm, User]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_boards_demo_load_is_idempotent():
    """Loading the boards demo twice leaves the same number of every row."""
    call_command("load_demo", verbosity=0) if False else demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    assert first["Board"] == len(demo.BOARDS)
