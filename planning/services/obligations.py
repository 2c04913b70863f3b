"""Writes for the obligations register: duties from the documents (with their
clause) and the evidence that discharged them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from boards.models import Board
from governance.exceptions import RuleViolation
from meetings.models import AgendaItem

from ..models import Frequency, Obligation, ObligationEvidence

FIELDS = {
    "title",
    "source",
    "quote",
    "kind",
    "frequency",
    "frequency_source",
    "cycle",
    "first_due",
    "first_due_source",
    "owner",
    "owner_person",
    "reports_to",
    "business_type",
    "motion_text",
    "order",
    "active",
}


def _check(obligation: Obligation) -> None:
    """A duty names its clause; a dated duty has its first due date; a report
    sent names where it goes."""
    errors = {}
    if not obligation.source.strip():
        errors["source"] = (
            'Name the document and clause ("Portsmouth PMG ToR 2.1.5"), or '
            '"local practice" with who decided it.'
        )
    if obligation.dated and obligation.first_due is None:
        errors["first_due"] = "Give the date it first falls due."
    if obligation.kind == Obligation.Kind.MINUTES and (
        obligation.frequency != Frequency.EACH_MEETING
    ):
        errors["frequency"] = "What the minutes record is due at every meeting."
    if (
        obligation.kind == Obligation.Kind.SUBMIT_REPORT
        and obligation.reports_to_id is None
    ):
        errors["reports_to"] = "Name the body the report goes to."
    if obligation.reports_to_id and obligation.reports_to_id == obligation.board_id:
        errors["reports_to"] = "A board does not report to itself."
    if errors:
        raise ValidationError(errors)
    obligation.full_clean(exclude=["board", "owner_person", "reports_to"])


@transaction.atomic
def obligation_create(*, board: Board, by=None, **fields) -> Obligation:
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    obligation = Obligation(board=board, **fields)
    _check(obligation)
    obligation.save()
    return obligation


@transaction.atomic
def obligation_update(*, obligation: Obligation, by=None, **fields) -> Obligation:
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    for name, value in fields.items():
        setattr(obligation, name, value)
    _check(obligation)
    obligation.save()
    return obligation


@transaction.atomic
def evidence_record(
    *,
    obligation: Obligation,
    kind: str,
    done_on: date,
    description: str,
    by,
    agenda_item: AgendaItem | None = None,
    due_on: date | None = None,
) -> ObligationEvidence:
    """Record what discharged the duty's next occurrence (or ``due_on``): a report
    sent, a paper on an agenda, a decision, another record. Duties whose evidence
    the product keeps itself (the minutes' decision log, the terms of reference,
    the forward plan) take none here.

    Lock: the obligation row, so two records cannot both claim the same
    occurrence."""
    from ..selectors.obligations import obligation_rows

    obligation = (
        Obligation.objects.select_for_update()
        .select_related("board")
        .get(pk=obligation.pk)
    )
    if not obligation.dated:
        raise RuleViolation(
            "This duty's evidence is kept by the product itself "
            f"({obligation.get_kind_display().lower()}).",
            rule="obligation_evidence",
        )
    if kind not in ObligationEvidence.Kind.values:
        raise ValidationError({"kind": "Choose what discharged the duty."})
    if not description.strip():
        raise ValidationError({"description": "Say what was done."})
    if agenda_item is not None and agenda_item.meeting.board_id not in (
        obligation.board_id,
        obligation.reports_to_id,
    ):
        raise ValidationError(
            {"agenda_item": "That item is not on this board's agenda."}
        )
    if due_on is None:
        rows = obligation_rows(
            Board.objects.filter(pk=obligation.board_id), today=done_on
        )
        row = next(r for r in rows if r.obligation.pk == obligation.pk)
        due_on = row.state.due
    return ObligationEvidence.objects.create(
        obligation=obligation,
        kind=kind,
        done_on=done_on,
        due_on=due_on,
        description=description.strip(),
        agenda_item=agenda_item,
        recorded_by=by,
    )
