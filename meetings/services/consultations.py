"""Writes for prior consultation: naming the board that must be consulted before a
motion is put, and recording that it was (Leicestershire IFPG ToR)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from boards.models import Board
from governance.exceptions import RuleViolation

from ..models import (
    Motion,
)
from .motions import Status, lock_motion


@transaction.atomic
def consultation_require(*, motion: Motion, board: Board | None, by) -> Motion:
    """Name the board that must be consulted before the motion is put (IFPG -> IE),
    or none."""
    motion = lock_motion(motion)
    if motion.status != Status.DRAFT:
        raise RuleViolation(
            "Consultation is settled before the motion is put.", rule="motion_status"
        )
    motion.consult_board = board
    motion.save(update_fields=["consult_board"])
    return motion


@transaction.atomic
def consultation_record(
    *, motion: Motion, note: str, by, now: datetime | None = None
) -> Motion:
    """Record that the board named on the motion was consulted ("no decision shall
    be taken or acted upon without prior consultation with the Integration
    Executive", Leicestershire IFPG ToR)."""
    motion = lock_motion(motion)
    if motion.consult_board_id is None:
        raise RuleViolation(
            "This motion names no board to consult.", rule="prior_consultation"
        )
    if motion.status == Status.CLOSED:
        raise RuleViolation("The motion is closed.", rule="motion_status")
    motion.consultation_recorded_at = now or timezone.now()
    motion.consultation_note = note.strip()
    motion.save(update_fields=["consultation_recorded_at", "consultation_note"])
    return motion
