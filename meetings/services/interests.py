"""Writes for members' standing registers of interests and their yearly review, and
a declaration on an item made from a register entry (issue 18; rules in
``meetings/interests.py``). Entries are never deleted: an interest that ends is
given an end date."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from boards.models import Seat
from governance.calendar import local_date
from governance.exceptions import RuleViolation

from ..models import (
    AgendaItem,
    Declaration,
    Meeting,
    RegisteredInterest,
    RegisterReview,
)
from .declarations import declaration_record


def _check(entry: RegisteredInterest) -> None:
    errors = {}
    if entry.category not in RegisteredInterest.Category.values:
        errors["category"] = "Choose the kind of interest."
    if not entry.organisation.strip():
        errors["organisation"] = "Name the body or company the interest is in."
    if not entry.description.strip():
        errors["description"] = "Say what the interest is."
    if entry.ended_on and entry.ended_on < entry.declared_on:
        errors["ended_on"] = "An interest ends on or after the day it was declared."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interest_register(
    *,
    person,
    category: str,
    organisation: str,
    description: str,
    declared_on: date,
    by,
) -> RegisteredInterest:
    entry = RegisteredInterest(
        person=person,
        category=category,
        organisation=organisation.strip(),
        description=description.strip(),
        declared_on=declared_on,
        recorded_by=by,
    )
    _check(entry)
    entry.save()
    return entry


@transaction.atomic
def interest_update(
    *,
    entry: RegisteredInterest,
    category: str,
    organisation: str,
    description: str,
    declared_on: date,
    by,
) -> RegisteredInterest:
    entry = RegisteredInterest.objects.select_for_update().get(pk=entry.pk)
    if entry.ended_on is not None:
        raise RuleViolation(
            "An interest that has ended stays as it was recorded.",
            rule="interest_ended",
        )
    entry.category = category
    entry.organisation = organisation.strip()
    entry.description = description.strip()
    entry.declared_on = declared_on
    _check(entry)
    entry.save()
    return entry


@transaction.atomic
def interest_end(
    *, entry: RegisteredInterest, ended_on: date, by
) -> RegisteredInterest:
    entry = RegisteredInterest.objects.select_for_update().get(pk=entry.pk)
    if entry.ended_on is not None:
        raise RuleViolation("This interest has already ended.", rule="interest_ended")
    entry.ended_on = ended_on
    _check(entry)
    entry.save(update_fields=["ended_on"])
    return entry


@transaction.atomic
def register_review(*, person, reviewed_on: date, by, note: str = "") -> RegisterReview:
    """The person's register confirmed complete and correct (a nil return when it
    holds nothing)."""
    return RegisterReview.objects.create(
        person=person, reviewed_on=reviewed_on, reviewed_by=by, note=note.strip()
    )


@transaction.atomic
def declaration_from_register(
    *,
    item: AgendaItem,
    seat: Seat,
    entry: RegisteredInterest,
    withdrew: bool,
    by,
) -> Declaration:
    """Declare a register entry on an item, for the seat its holder (or the deputy
    attending) sits in. Refused for an entry that is not current on the meeting's
    day or is someone else's, and a second time on the same item."""
    if item.meeting.status in (Meeting.Status.CLOSED, Meeting.Status.CANCELLED):
        raise RuleViolation(
            "Declarations are taken before or during the meeting.",
            rule="meeting_status",
        )
    on = local_date(item.meeting.starts_at)
    if entry.declared_on > on or (entry.ended_on and entry.ended_on < on):
        raise RuleViolation(
            "That interest was not on the register on the day of the meeting.",
            rule="interest_not_current",
        )
    if seat.holder_id != entry.person_id and seat.deputy_id != entry.person_id:
        raise ValidationError({"seat": "That interest is not the seat holder's."})
    if Declaration.objects.filter(item=item, registered_interest=entry).exists():
        raise RuleViolation(
            "This interest is already declared on this item.",
            rule="interest_declared",
        )
    declaration = declaration_record(
        item=item,
        seat=seat,
        interest=entry.declaration_text,
        withdrew=withdrew,
        by=by,
        person=entry.person,
    )
    declaration.registered_interest = entry
    declaration.save(update_fields=["registered_interest"])
    return declaration
