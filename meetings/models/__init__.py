"""Meetings, agendas, attendance, decisions and minutes. One module per area, each
owned by the part of the product it serves; import models from here."""

from .chairing import ChairAuthority, MeetingChair
from .decisions import (
    ChairElection,
    Escalation,
    Motion,
    MotionOutcome,
    Vote,
    WrittenPosition,
)
from .distribution import AgendaDistribution, AgendaIssue
from .meeting import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Guest,
    Meeting,
    Paper,
)
from .members import RegisteredInterest, RegisterReview
from .minutes import (
    Delivery,
    MinutesDeadline,
    MinutesDownload,
    MinutesEntry,
    MinutesJob,
    MinutesVersion,
)

__all__ = [
    "Action",
    "AgendaDistribution",
    "AgendaIssue",
    "AgendaItem",
    "Attendance",
    "ChairAuthority",
    "ChairElection",
    "Declaration",
    "Delivery",
    "Escalation",
    "Guest",
    "Meeting",
    "MeetingChair",
    "MinutesDeadline",
    "MinutesDownload",
    "MinutesEntry",
    "MinutesJob",
    "MinutesVersion",
    "Motion",
    "MotionOutcome",
    "Paper",
    "RegisterReview",
    "RegisteredInterest",
    "Vote",
    "WrittenPosition",
]
