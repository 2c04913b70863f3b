"""When minutes may be confirmed (meetings/minutes_confirmation.py; SPEC s.5): only
under the next meeting's item "Minutes of the previous meeting", while that meeting
is in progress, and only circulated minutes, once."""

import pytest

from meetings.minutes_confirmation import confirmation_refusal


@pytest.mark.parametrize(
    "standing, meeting_status, minutes_status, rule",
    [
        ("previous_minutes", "in_progress", "circulated", None),
        # Under another item, even during the meeting.
        ("apologies", "in_progress", "circulated", "minutes_confirmation_item"),
        ("", "in_progress", "circulated", "minutes_confirmation_item"),
        ("aob", "in_progress", "circulated", "minutes_confirmation_item"),
        # Not before the next meeting starts, nor after it ends.
        ("previous_minutes", "scheduled", "circulated", "minutes_confirm_next_meeting"),
        ("previous_minutes", "closed", "circulated", "minutes_confirm_next_meeting"),
        ("previous_minutes", "inquorate", "circulated", "minutes_confirm_next_meeting"),
        ("previous_minutes", "cancelled", "circulated", "minutes_confirm_next_meeting"),
        # Only circulated minutes; never twice.
        ("previous_minutes", "in_progress", None, "minutes_not_circulated"),
        ("previous_minutes", "in_progress", "draft", "minutes_not_circulated"),
        ("previous_minutes", "in_progress", "approved", "minutes_not_circulated"),
        ("previous_minutes", "in_progress", "superseded", "minutes_not_circulated"),
        ("previous_minutes", "in_progress", "confirmed", "minutes_workflow"),
    ],
)
def test_confirmation_refusal(standing, meeting_status, minutes_status, rule):
    refusal = confirmation_refusal(
        item_standing=standing,
        item_title="An item",
        meeting_status=meeting_status,
        meeting_status_label=meeting_status.replace("_", " ").title(),
        minutes_status=minutes_status,
        previous_meeting_on="2 March 2026",
    )
    assert (refusal.rule if refusal else None) == rule
    if refusal is not None:
        assert refusal.reason.endswith(".")
