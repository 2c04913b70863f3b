"""Writes for actions arising from a meeting: logged with owner and due date, and
their status as they are done (SPEC s.2)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    Action,
    AgendaItem,
    Meeting,
)


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    description: str,
    by,
    item: AgendaItem | None = None,
    owner=None,
    owner_name: str = "",
    due_on: date | None = None,
) -> Action:
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "That item is not on this meeting's agenda."})
    if not description.strip():
        raise ValidationError({"description": "Describe the action."})
    if owner is None and not owner_name.strip():
        raise ValidationError({"owner": "Name who owns the action."})
    return Action.objects.create(
        meeting=meeting,
        item=item,
        description=description,
        owner=owner,
        owner_name=owner_name or (owner.name if owner else ""),
        due_on=due_on,
    )


@transaction.atomic
def action_set_status(*, action: Action, status: str, by) -> Action:
    if status not in Action.Status.values:
        raise ValidationError({"status": "Unknown action status."})
    action.status = status
    action.save(update_fields=["status"])
    return action
