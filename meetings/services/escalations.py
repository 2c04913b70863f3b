"""Writes for escalations (SPEC s.4): a matter not agreed unanimously a second time
is escalated along the board's path, the authorised officers are e-mailed through the
outbox, and the escalation stays open until recorded as resolved."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from boards import citations
from boards.models import AuthorisedOfficer, Board
from boards.selectors import authorised_officers_for_board, board_sources
from governance.exceptions import RuleViolation
from governance.links import absolute_url
from governance.mail import render_mail
from governance.outbox import outbox_enqueue

from ..models import Escalation, Motion


def _officers(board: Board) -> list[AuthorisedOfficer]:
    """The same officers as receive the board's minutes."""
    return list(authorised_officers_for_board(board))


def escalation_open(
    *, motion: Motion, path: str, previous: Escalation | None = None
) -> Escalation:
    """Open an escalation and e-mail every active authorised officer of every
    partner of the board's agreement (outbox key ``escalation:<id>:officer:<id>``).

    The mail names the item, confidential or not: authorised officers receive the
    minutes of all decisions, so they are entitled to it (a confidential item is
    marked with its Schedule 12A paragraph); it cites the board's own clause and
    links to the escalation with an absolute address (``SITE_URL``)."""
    item = motion.item
    board = item.meeting.board
    escalation = Escalation.objects.create(
        motion=motion, board=board, path=path, previous=previous
    )
    source = board_sources(board).get("escalation")
    context = {
        "board": board,
        "item": item,
        "meeting": item.meeting,
        "motion": motion,
        "escalation": escalation,
        "to_officers": path == Escalation.Path.AUTHORISED_OFFICERS,
        "procedure": (
            board.agreement.dispute_resolution if board.agreement_id else ""
        ).strip(),
        "citation": citations.cite(source),
        "citation_stated": source is not None,
        "citation_quote": " ".join(source.quote.split()) if source else "",
        "link": absolute_url(
            reverse("meetings:decisions-escalations") + f"#escalation-{escalation.pk}"
        ),
    }
    for officer in _officers(board):
        subject, body = render_mail("emails/escalation", context | {"officer": officer})
        outbox_enqueue(
            key=f"escalation:{escalation.pk}:officer:{officer.pk}",
            to=officer.email,
            subject=subject,
            body=body,
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
