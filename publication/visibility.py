"""What the public may see: the one place that says it (issue 19; SPEC s.2).

A board publishes only when its constitution says so (``BoardPublication``). For a
board that publishes:

- its meetings are listed (date, place, kind, status), cancelled ones included,
  since the time and place of a meeting are public notice (Local Government Act 1972
  s.100A(6)(a));
- an agenda is public once issued ("at issue"), or once the meeting has been held
  (an item taken at a meeting held in public is public even if the agenda was never
  formally issued);
- a confidential (exempt) item shows only "Exempt under paragraph N": never its
  title, recommendation, papers, minutes, decision or votes (s.100A(4), Schedule 12A);
- a paper is public once issued to members: its agenda issued and, if it was late,
  the chair's authority recorded (``meetings.services.papers.paper_issued``);
- a decision is public once its motion has closed with an outcome;
- minutes are public once approved and circulated (the newest circulated or
  confirmed version, marked "to be confirmed" until confirmed at the next meeting):
  a circulated version never changes, so what is published stays true to it;
- attendance is public once the meeting has been held.

A board that does not publish shows nothing at all: its pages answer 404.

Each rule exists twice, deliberately side by side: a pure function over plain facts
(read by views for one object) and a ``Q`` for querysets (lists, feeds, exports,
search). ``tests/publication/test_visibility.py`` checks the two agree on every
combination of facts.
"""

from dataclasses import dataclass

from django.db.models import Q

from meetings.models import Meeting, MinutesVersion, Motion

HELD = frozenset(
    {Meeting.Status.IN_PROGRESS, Meeting.Status.CLOSED, Meeting.Status.INQUORATE}
)
FINISHED = frozenset({Meeting.Status.CLOSED, Meeting.Status.INQUORATE})
MINUTES_PUBLISHED = frozenset(
    {MinutesVersion.Status.CIRCULATED, MinutesVersion.Status.CONFIRMED}
)


@dataclass(frozen=True)
class Facts:
    """What the rules read about one record and the meeting it belongs to."""

    board_published: bool
    meeting_status: str = Meeting.Status.SCHEDULED
    agenda_issued: bool = False
    confidential: bool = False
    paper_late: bool = False
    paper_late_authorised: bool = False
    motion_status: str = ""
    minutes_status: str = ""


# --- pure rules ---------------------------------------------------------------


def meeting_listed(f: Facts) -> bool:
    return f.board_published


def agenda_public(f: Facts) -> bool:
    return f.board_published and (f.agenda_issued or f.meeting_status in HELD)


def item_public(f: Facts) -> bool:
    return agenda_public(f) and not f.confidential


def paper_public(f: Facts) -> bool:
    return (
        f.board_published
        and f.agenda_issued
        and not f.confidential
        and (not f.paper_late or f.paper_late_authorised)
    )


def decision_public(f: Facts) -> bool:
    return (
        f.board_published
        and not f.confidential
        and f.motion_status == Motion.Status.CLOSED
    )


def minutes_public(f: Facts) -> bool:
    """Minutes of an item (or a version's opening summary, ``confidential`` false)."""
    return (
        f.board_published
        and not f.confidential
        and f.minutes_status in MINUTES_PUBLISHED
    )


def attendance_public(f: Facts) -> bool:
    return f.board_published and f.meeting_status in FINISHED


# --- the same rules as querysets filters ---------------------------------------
# ``board``, ``meeting``, ``item``, ``paper``, ``motion`` and ``version`` are the
# lookup paths from the model being filtered to each record ("" for the model
# itself, e.g. ``meeting="item__meeting__"``).


def board_published_q(board: str) -> Q:
    return Q(**{f"{board}publication__published": True})


def meeting_listed_q(meeting: str = "") -> Q:
    return board_published_q(f"{meeting}board__")


def agenda_public_q(meeting: str = "") -> Q:
    return meeting_listed_q(meeting) & (
        Q(**{f"{meeting}agenda_published_at__isnull": False})
        | Q(**{f"{meeting}status__in": sorted(HELD)})
    )


def item_public_q(item: str = "") -> Q:
    return agenda_public_q(f"{item}meeting__") & Q(**{f"{item}confidential": False})


def paper_public_q(paper: str = "") -> Q:
    meeting = f"{paper}item__meeting__"
    return (
        meeting_listed_q(meeting)
        & Q(**{f"{meeting}agenda_published_at__isnull": False})
        & Q(**{f"{paper}item__confidential": False})
        & (
            Q(**{f"{paper}late": False})
            | Q(**{f"{paper}late_authorised_at__isnull": False})
        )
    )


def decision_public_q(motion: str = "") -> Q:
    return (
        meeting_listed_q(f"{motion}item__meeting__")
        & Q(**{f"{motion}item__confidential": False})
        & Q(**{f"{motion}status": Motion.Status.CLOSED})
    )


def minutes_public_q(version: str = "") -> Q:
    return meeting_listed_q(f"{version}meeting__") & Q(
        **{f"{version}status__in": sorted(MINUTES_PUBLISHED)}
    )


def attendance_public_q(meeting: str = "") -> Q:
    return meeting_listed_q(meeting) & Q(**{f"{meeting}status__in": sorted(FINISHED)})


def exempt_label(item) -> str:
    """What the public reads in place of a confidential item (Schedule 12A)."""
    paragraph = getattr(item, "exempt_paragraph", None)
    if paragraph:
        return (
            f"Exempt under paragraph {paragraph} of Schedule 12A to the Local "
            "Government Act 1972"
        )
    return "Exempt information: not for publication (Schedule 12A to the Local Government Act 1972)"
