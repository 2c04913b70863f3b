"""Helpers shared by the decision service modules: the motion row lock and its
status transitions, and the check that the meeting is not over.
"""

from governance.exceptions import InvalidTransition, RuleViolation

from ..models import (
    Meeting,
    Motion,
)

Status = Motion.Status


def _lock(motion: Motion) -> Motion:
    """Lock: the motion row (SELECT ... FOR UPDATE) for the rest of the transaction;
    every write to a motion and its votes takes it first, so they serialise."""
    return (
        Motion.objects.select_for_update()
        .select_related("item__meeting__board")
        .get(pk=motion.pk)
    )


def _transition(motion: Motion, new: str) -> None:
    if not motion.can_become(new):
        raise InvalidTransition(
            f"A motion that is {motion.get_status_display().lower()} cannot become "
            f"{Status(new).label.lower()}.",
            rule="motion_status",
        )
    motion.status = new


def _meeting_not_over(meeting: Meeting, what: str) -> None:
    """Refuse once the meeting is finished (closed, cancelled or inquorate)."""
    if meeting.status in (
        Meeting.Status.CLOSED,
        Meeting.Status.CANCELLED,
        Meeting.Status.INQUORATE,
    ):
        raise RuleViolation(
            f"The meeting is {meeting.get_status_display().lower()}: {what}.",
            rule="meeting_status",
        )
