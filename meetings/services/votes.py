"""Writes for votes: one per voting seat, changeable until the motion closes."""

from datetime import datetime

from django.db import IntegrityError, transaction

from boards.models import Seat
from governance.exceptions import RuleViolation

from ..models import (
    Motion,
    Vote,
)
from ..selectors.eligibility import vote_refusal
from .motions import Status, ensure_meeting_not_over, lock_motion


@transaction.atomic
def vote_cast(
    *, motion: Motion, seat: Seat, choice: str, by, now: datetime | None = None
) -> Vote:
    """Cast (or change) the vote of ``seat``. One vote per seat: the database's
    unique (motion, seat) constraint has the last word.

    Lock: the motion row (``lock_motion``), so concurrent votes on one motion serialise
    and the motion cannot close between the check and the write. Should an insert
    still meet the unique constraint, the existing row is updated instead.
    """
    motion = lock_motion(motion)
    if choice not in Vote.Choice.values:
        raise RuleViolation(
            f"A vote is for, against or abstain, not {choice!r}.", rule="vote_choice"
        )
    if motion.status == Status.CLOSED:
        raise RuleViolation(
            "Voting has closed: a vote cannot be cast or changed after the motion "
            "closes.",
            rule="motion_closed",
        )
    ensure_meeting_not_over(motion.item.meeting, "no vote can be cast or changed")
    if motion.status != Status.OPEN:
        raise RuleViolation(
            "The motion has not been put to the vote yet.", rule="motion_not_open"
        )
    refusal = vote_refusal(user=by, motion=motion, seat=seat, now=now)
    if refusal is not None:
        raise RuleViolation(refusal.reason, rule=refusal.rule)
    by_secretary = seat.holder_id != by.pk and seat.deputy_id != by.pk
    fields = {"choice": choice, "cast_by": by, "recorded_by_secretary": by_secretary}
    vote = Vote.objects.filter(motion=motion, seat=seat).first()
    if vote is None:
        try:
            with transaction.atomic():
                return Vote.objects.create(motion=motion, seat=seat, **fields)
        except IntegrityError:
            vote = Vote.objects.get(motion=motion, seat=seat)
    for name, value in fields.items():
        setattr(vote, name, value)
    vote.save()
    return vote
