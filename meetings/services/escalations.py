"""Writes for escalations (SPEC s.4): a matter not agreed unanimously a second time
is escalated along the board's path, the authorised officers are e-mailed through the
outbox, and the escalation stays open until recorded as resolved."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from boards.models import AuthorisedOfficer, Board
from boards.selectors import authorised_officers_for_board
from governance.exceptions import RuleViolation
from governance.outbox import outbox_enqueue

from ..models import Escalation, Motion


def _officers(board: Board) -> list[AuthorisedOfficer]:
    """The same officers as receive the board's minutes."""
    return list(authorised_officers_for_board(board))


def escalation_open(
    *, motion: Motion, path: str, previous: Escalation | None = None
) -> Escalation:
    """Open an escalation and e-mail every active authorised officer of every
    partner of the board's agreement (outbox key ``escalation:<id>:officer:<id>``)."""
    item = motion.item
    board = item.meeting.board
    escalation = Escalation.objects.create(
        motion=motion, board=board, path=path, previous=previous
    )
    procedure = (
        board.agreement.dispute_resolution if board.agreement_id else ""
    ) or "the dispute resolution procedure of the agreement"
    if path == Escalation.Path.AUTHORISED_OFFICERS:
        ask = (
            "The matter is escalated to you as authorised officers (IFPG terms of "
            "reference). If no agreement can be reached, any partner may invoke "
            f"{procedure}."
        )
    else:
        ask = f"The matter is to be dealt with under {procedure}."
    reasons = "\n".join(f"- {r}" for r in motion.outcome_reasons)
    link = reverse("meetings:decisions-escalations")
    if item.confidential:
        # Exempt business: no title or motion text by e-mail, only the link.
        title = "a confidential item"
        matter = f"{title} ({item.meeting})"
        motion_text = "Confidential: sign in to read the motion."
    else:
        title = item.title
        matter = f'"{item.title}" ({item.meeting})'
        motion_text = motion.text
    for officer in _officers(board):
        outbox_enqueue(
            key=f"escalation:{escalation.pk}:officer:{officer.pk}",
            to=officer.email,
            subject=f"Escalation: {board.label} - {title}"[:300],
            body=(
                f"Dear {officer.name},\n\n"
                f"The {board} could not reach unanimity on {matter}, "
                "for the second time or more.\n\n"
                f"Motion: {motion_text}\n\nWhy:\n{reasons}\n\n{ask}\n\n"
                f"Open the escalation in Partnership Governance: {link}\n\n"
                "The escalation stays open on the board's dashboard until it is "
                "recorded as resolved.\n"
            ),
        )
    return escalation


@transaction.atomic
def escalation_resolve(
    *,
    escalation: Escalation,
    resolution: str,
    agreed: bool,
    by,
    now: datetime | None = None,
) -> Escalation | None:
    """Record an escalation as resolved. On the authorised officers' path, no
    agreement opens the dispute resolution step (IFPG: "If no agreement can be
    reached following escalation to the Authorised Officers, any Partner may invoke
    the Dispute Resolution procedure"); returns that next escalation, if any."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status == Escalation.Status.RESOLVED:
        raise RuleViolation(
            "This escalation is already resolved.", rule="escalation_status"
        )
    if not resolution.strip():
        raise RuleViolation(
            "Say how the escalation was resolved.", rule="escalation_resolution"
        )
    escalation.status = Escalation.Status.RESOLVED
    escalation.resolution = resolution.strip()
    escalation.agreed = agreed
    escalation.resolved_at = now or timezone.now()
    escalation.resolved_by = by
    escalation.save()
    if not agreed and escalation.path == Escalation.Path.AUTHORISED_OFFICERS:
        return escalation_open(
            motion=escalation.motion,
            path=Escalation.Path.DISPUTE_RESOLUTION,
            previous=escalation,
        )
    return None
