"""Writes for a board's publication setting (a rule of its constitution, with its
source)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from boards.models import Board

from ..models import BoardPublication


@transaction.atomic
def board_publication_set(
    *,
    board: Board,
    published: bool,
    source: str = "",
    decided_by: str = "",
    decided_on: date | None = None,
    by=None,
) -> BoardPublication:
    """Publish (or stop publishing) a board's records. The rule carries its source:
    a document and paragraph, or local practice with who decided it and when (SPEC
    s.1). Stopping takes every page, feed and search result of the board off the
    public site at once; nothing is deleted. Saving the same setting again changes
    nothing."""
    source, decided_by = source.strip(), decided_by.strip()
    if published and not source and not (decided_by and decided_on):
        raise ValidationError(
            {
                "source": "Give the document and paragraph that says the board "
                "publishes, or record it as local practice: who decided, and when."
            }
        )
    row = BoardPublication.objects.select_for_update().filter(
        board=board
    ).first() or BoardPublication(board=board)
    wanted = (published, source, decided_by, decided_on)
    if row.pk and (row.published, row.source, row.decided_by, row.decided_on) == wanted:
        return row  # unchanged: no new line in the audit history
    row.published = published
    row.source = source
    row.decided_by = decided_by
    row.decided_on = decided_on
    row.full_clean()
    row.save()
    return row
