"""Writes for versioned terms of reference and the reminder before a review falls
due (at least every three years, Portsmouth PMG ToR)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.links import absolute_url
from governance.models import OutboxMessage
from governance.outbox import outbox_enqueue

from .. import terms as terms_rules
from ..models import (
    Board,
    TermsOfReference,
)


@transaction.atomic
def terms_add(
    *,
    board: Board,
    version: str,
    summary: str = "",
    reviewed_by: str = "",
    reviewed_on: date | None = None,
    approved_by: str = "",
    approved_on: date | None = None,
    review_due: date | None = None,
    source: str = "",
) -> TermsOfReference:
    """Record a version of the terms. Without a review date the review falls due three
    years after the version was reviewed or approved (Portsmouth PMG ToR: "at least
    every three years")."""
    if board.terms.filter(version=version).exists():
        raise ValidationError({"version": ["This version is already recorded."]})
    if review_due is None:
        review_due = terms_rules.default_review_due(
            reviewed_on=reviewed_on, approved_on=approved_on, today=timezone.localdate()
        )
    return TermsOfReference.objects.create(
        board=board,
        version=version,
        summary=summary,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        approved_by=approved_by,
        approved_on=approved_on,
        review_due=review_due,
        source=source.strip(),
    )


def tor_review_reminders_send(*, today: date | None = None) -> int:
    """E-mail each secretary of a board whose current terms of reference fall due for
    review within 60 days (or are overdue). Idempotent per (terms version, review
    date, secretary): the outbox key is the same on every run, so a version is
    reminded once; a new review date on a new version reminds again."""
    from ..selectors import current_terms_due_by

    today = today or timezone.localdate()
    queued = 0
    for terms in current_terms_due_by(terms_rules.reminder_window(today)):
        with transaction.atomic():
            for secretary in terms.board.secretaries.all():
                key = f"tor-review:{terms.pk}:{terms.review_due:%Y%m%d}:{secretary.pk}"
                if OutboxMessage.objects.filter(key=key).exists():
                    continue
                outbox_enqueue(
                    key=key,
                    to=secretary.email,
                    subject=f"Terms of reference review due: {terms.board.name}",
                    body=(
                        f"The terms of reference of {terms.board.name} (version "
                        f"{terms.version}) are due for review on "
                        f"{terms.review_due:%d %B %Y}.\n\nRecord the reviewed version "
                        "on the board's page once the board has agreed it: "
                        f"{absolute_url(terms.board)}\n"
                    ),
                )
                queued += 1
    return queued
