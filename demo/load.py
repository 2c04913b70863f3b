"""Load the demo: one YAML file per reference document under ``demo/data/``, through
the services of each app (validation and audit history on). ``load_demo`` and the
tests call ``load``; running it twice changes nothing.

Order: the logins, then every file's partners, agreements, boards and their
constitutions, then the meetings (replayed in time order across every board), then
the pooled funds (whose approved returns go onto the boards' next meetings), then the
minutes deadline sweep, the boards' duties (with evidence from the meetings held)
and the members' registers of interests, and the mail relay, so `make run` leaves the
circulated minutes under var/mail.
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from governance.models import User
from governance.outbox import outbox_relay
from meetings.services import minutes

from . import constitution, files, history, publication
from .funds import load_funds
from .obligations import load_interests, load_obligations
from .when import Clock

SECRETARY = "secretary@demo.example"
ADMINISTRATOR = "admin@demo.example"


@contextmanager
def changes_by(user: User):
    """Record ``user`` as the author of the audit history written meanwhile (as the
    history middleware does for a request)."""
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


@transaction.atomic
def load(*, meetings: bool = True, funds: bool = True, directory=files.DATA):
    """Load every demo file; returns the demo logins. ``meetings=False`` loads the
    constitution (and funds) only, ``funds=False`` leaves out the pooled funds:
    tests that need only part of the demo load only that part."""
    data = files.read_all(directory)
    context = constitution.Context(clock=Clock(today=timezone.localdate()))
    logins = constitution.load_logins(data.shared)
    administrator = User.objects.get(email=ADMINISTRATOR)
    secretary = User.objects.get(email=SECRETARY)
    with changes_by(administrator):
        constitution.load_partners(data, context)
        constitution.load_agreements(data, context)
        constitution.load_boards(data, context)
        constitution.load_constitutions(data, context)
        publication.load_publication(data, context)
    with changes_by(secretary):
        if meetings:
            history.load_meetings(data, context, secretary=secretary)
        if funds:
            load_funds(data, context)
        if meetings:
            minutes.minutes_deadlines_scan()
            publication.index_record()
        load_obligations(data, context, secretary=secretary, meetings=meetings)
        load_interests(data.shared, context, secretary=secretary)
    outbox_relay()
    return logins


def board(key: str):
    """The demo board a demo file gives ``key`` ("pmg", "ifpg", "wk_s75", ...)."""
    from boards.models import Board

    return Board.objects.get(name=board_names()[key])


def board_names(directory=files.DATA) -> dict[str, str]:
    """Demo board keys and names, in file order."""
    return {spec["key"]: spec["name"] for _, spec in files.read_all(directory).boards}


def logins(directory=files.DATA) -> tuple[str, list[dict]]:
    """The demo password and logins as the files give them (for printing)."""
    shared = files.read_all(directory).shared
    return shared["password"], shared["logins"]
