"""A version for each meeting and each board, bumped by every change to what a
meeting's pages show, so a rendered page can be cached under its version and
never served stale (issue 17; the cache is ``meetings/page_cache.py``).

One place: ``meeting_touch`` and ``board_touch`` (an ``UPDATE ... SET cache_version =
cache_version + 1``) are called for every save and delete of the records the pages draw,
whichever service (or the admin, or a data migration through the models) makes it:
the receivers below are connected once in ``MeetingsConfig.ready``. The update runs
in the writer's transaction, so the new version becomes visible with the change
itself: a reader that sees the new version sees the change (PostgreSQL's READ
COMMITTED reads each statement after the last commit), and a reader that saw the
old version caches under a key nobody asks for again.

Meeting-level records (attendance, items, papers, motions, votes, written
positions, escalations, declarations, actions, guests, the chair of the meeting,
agenda issues and their deliveries, the meeting itself) bump their meeting; the
board's records (seats, quorum rules, chair terms, secretaries, the board itself,
a partner's label, a person's name or register of interests, minutes shown on the
next meeting's page, actions reviewed under matters arising) bump the board, whose
version is part of every key of its meetings. ``QuerySet.update`` and
``bulk_create`` send no signals: the services that use them on these records call
the touch themselves (``services/referrals.py``).
"""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from boards.models import Board, ChairTerm, Partner, QuorumRule, Seat
from governance.models import OutboxMessage

from .models import (
    Action,
    AgendaDistribution,
    AgendaIssue,
    AgendaItem,
    Attendance,
    ChairAuthority,
    Declaration,
    Escalation,
    Guest,
    Meeting,
    MeetingChair,
    MinutesVersion,
    Motion,
    Paper,
    RegisteredInterest,
    Vote,
    WrittenPosition,
)


def meeting_touch(meeting_id: int | None) -> None:
    """Everything cached for this meeting's pages is out of date."""
    if meeting_id is not None:
        Meeting.objects.filter(pk=meeting_id).update(
            cache_version=F("cache_version") + 1
        )


def board_touch(board_id: int | None) -> None:
    """Everything cached for the pages of this board's meetings is out of date."""
    if board_id is not None:
        Board.objects.filter(pk=board_id).update(cache_version=F("cache_version") + 1)


def _meetings_where(**lookup) -> None:
    if None in lookup.values():
        return
    Meeting.objects.filter(**lookup).update(cache_version=F("cache_version") + 1)


def _boards_where(**lookup) -> None:
    if None in lookup.values():
        return
    Board.objects.filter(**lookup).update(cache_version=F("cache_version") + 1)


# How each record finds the meeting (or board) whose pages show it: a function of
# the instance, run on save and delete. Lookups through a join are one UPDATE with
# a subquery, never a read first.
_MEETING_OF = {
    Meeting: lambda o: meeting_touch(o.pk),
    AgendaItem: lambda o: meeting_touch(o.meeting_id),
    Attendance: lambda o: meeting_touch(o.meeting_id),
    Guest: lambda o: meeting_touch(o.meeting_id),
    MeetingChair: lambda o: meeting_touch(o.meeting_id),
    ChairAuthority: lambda o: meeting_touch(o.meeting_id),
    AgendaIssue: lambda o: meeting_touch(o.meeting_id),
    AgendaDistribution: lambda o: _meetings_where(agenda_issues__pk=o.issue_id),
    Paper: lambda o: _meetings_where(items__pk=o.item_id),
    Declaration: lambda o: _meetings_where(items__pk=o.item_id),
    WrittenPosition: lambda o: _meetings_where(items__pk=o.item_id),
    Motion: lambda o: _meetings_where(items__pk=o.item_id),
    Vote: lambda o: _meetings_where(items__motion__pk=o.motion_id),
    Escalation: lambda o: _meetings_where(items__motion__pk=o.motion_id),
    # An agenda's delivery state ("sent to N of M") on the secretary's page.
    OutboxMessage: lambda o: _meetings_where(
        agenda_issues__distributions__outbox_id=o.pk
    ),
}

_BOARD_OF = {
    Board: lambda o: _boards_where(),  # names in other boards' consultation lists
    Seat: lambda o: board_touch(o.board_id),
    QuorumRule: lambda o: board_touch(o.board_id),
    ChairTerm: lambda o: board_touch(o.board_id),
    # Open actions are reviewed under matters arising at the board's next meetings.
    Action: lambda o: (
        meeting_touch(o.meeting_id),
        _boards_where(meetings=o.meeting_id),
    ),
    # The previous meeting's minutes are shown (and confirmed) at the next meeting.
    MinutesVersion: lambda o: _boards_where(meetings=o.meeting_id),
    Partner: lambda o: _boards_where(seats__partner=o.pk),
    RegisteredInterest: lambda o: _person_boards(o.person_id),
    get_user_model(): lambda o: _person_boards(o.pk),
}


def _person_boards(person_id: int) -> None:
    """A person's name and register entries show on the pages of every board where
    they hold or deputise a seat."""
    _boards_where(seats__holder=person_id)
    _boards_where(seats__deputy=person_id)


# A person's own saves that change nothing a meeting page shows (signing in).
_PERSON_QUIET_FIELDS = frozenset({"last_login", "password"})


def _on_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures: nothing cached refers to them yet
        return
    if update_fields and set(update_fields) <= _PERSON_QUIET_FIELDS:
        return
    touch = _MEETING_OF.get(sender) or _BOARD_OF.get(sender)
    if touch is not None:
        touch(instance)


def _on_m2m(sender, instance, action, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Board):
        board_touch(instance.pk)
    elif isinstance(instance, Guest):
        meeting_touch(instance.meeting_id)
    elif isinstance(instance, Motion):
        _meetings_where(items__pk=instance.item_id)
    elif isinstance(instance, AgendaItem):
        meeting_touch(instance.meeting_id)
    else:  # the reverse side (a partner, a user): every board it touches
        _boards_where()


def connect() -> None:
    """Connect the receivers (``MeetingsConfig.ready``)."""
    for model in (*_MEETING_OF, *_BOARD_OF):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"version-{model}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"version-del-{model}"
        )
    for through in (
        Board.secretaries.through,
        Board.partners.through,
        Guest.items.through,
        Motion.commits.through,
    ):
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"version-{through}")
