"""Beat reminders for duties due and overdue, through the outbox (as the returns'
and terms of reference reminders)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from boards.models import Board
from governance.links import absolute_url
from governance.models import OutboxMessage
from governance.outbox import outbox_enqueue

from .. import due

# Duties reminded by the product elsewhere: the minutes deadlines (meetings) and
# the terms of reference review (boards). The forward plan is never due.
REMINDED_ELSEWHERE = ("minutes", "terms_review", "forward_plan")


def obligation_reminders_send(*, today: date | None = None) -> int:
    """E-mail each secretary of the board (and the duty's named owner) when a duty
    falls due (``planning.due.DUE_SOON_DAYS`` before its date) and again when it is
    overdue. Once per (duty, due date, due or overdue, person): the outbox key is
    the same on every run, so running twice sends nothing more. Returns how many
    messages were queued."""
    from ..selectors.obligations import obligation_rows

    today = today or timezone.localdate()
    boards = Board.objects.filter(active=True, obligations__active=True).distinct()
    queued = 0
    for row in obligation_rows(boards, today=today):
        obligation = row.obligation
        kind = due.reminder_due(row.state)
        if kind is None or obligation.kind in REMINDED_ELSEWHERE:
            continue
        if row.planned_for is not None and kind == due.DUE:
            continue  # on a coming agenda already: nothing to chase yet
        people = {p.pk: p for p in obligation.board.secretaries.all()}
        if obligation.owner_person is not None:
            people[obligation.owner_person.pk] = obligation.owner_person
        with transaction.atomic():
            for person in people.values():
                if not (person.email and person.is_active):
                    continue
                key = (
                    f"obligation:{obligation.pk}:{row.state.due:%Y%m%d}:"
                    f"{kind}:{person.pk}"
                )
                if OutboxMessage.objects.filter(key=key).exists():
                    continue
                outbox_enqueue(
                    key=key,
                    to=person.email,
                    subject=_subject(obligation, kind, row.state.due),
                    body=_body(obligation, kind, row.state.due),
                )
                queued += 1
    return queued


def _subject(obligation, kind: str, due_on: date) -> str:
    if kind == due.OVERDUE:
        return f"Overdue since {due_on:%-d %B %Y}: {obligation.title} ({obligation.board.label})"
    return f"Due {due_on:%-d %B %Y}: {obligation.title} ({obligation.board.label})"


def _body(obligation, kind: str, due_on: date) -> str:
    words = "was due" if kind == due.OVERDUE else "falls due"
    return (
        f"{obligation.title} {words} on {due_on:%A %-d %B %Y} for the "
        f"{obligation.board.name}.\n\n"
        f"Source: {obligation.source}"
        + (f"\n“{obligation.quote}”" if obligation.quote else "")
        + "\n\nPut it on an agenda from the forward plan, or record what discharged "
        f"it: {absolute_url(reverse('planning:obligations', args=[obligation.board_id]))}"
    )
