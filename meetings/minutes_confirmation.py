"""When minutes may be confirmed as a true record (SPEC s.5; issue 13). Pure:
plain data in, a refusal (rule code and reason) or None out.

"Confirmation happens at the next meeting, through its standing item 'Minutes of the
previous meeting', never straight after circulation": so only under that item, only
while that meeting is in progress, and only minutes that were circulated (a version
already confirmed is not confirmed twice). Who may sign (whoever chairs, or the
secretary on the chair's written authority) is the chair-only act check
(meetings/services/chairing.py ``chair_act_check``).
"""

from dataclasses import dataclass

PREVIOUS_MINUTES = "previous_minutes"


@dataclass(frozen=True)
class Refusal:
    rule: str
    reason: str


def confirmation_refusal(
    *,
    item_standing: str,
    item_title: str,
    meeting_status: str,
    meeting_status_label: str,
    minutes_status: str | None,
    previous_meeting_on: str = "",
) -> Refusal | None:
    """Why the previous minutes may not be confirmed under this item now, if not.

    ``minutes_status``: the status of the previous meeting's newest minutes version
    (None when there is none or no previous meeting); ``previous_meeting_on``: its
    date in words, for the reason."""
    if item_standing != PREVIOUS_MINUTES:
        return Refusal(
            "minutes_confirmation_item",
            "Minutes are confirmed under the item “Minutes of the previous meeting”, "
            f"not under “{item_title}”.",
        )
    if meeting_status != "in_progress":
        return Refusal(
            "minutes_confirm_next_meeting",
            "The previous minutes are confirmed during this meeting, while it is in "
            f"progress; it is {meeting_status_label.lower()}.",
        )
    if minutes_status == "confirmed":
        return Refusal(
            "minutes_workflow",
            "The minutes of the previous meeting"
            + (f" ({previous_meeting_on})" if previous_meeting_on else "")
            + " are already confirmed as a true record.",
        )
    if minutes_status != "circulated":
        return Refusal(
            "minutes_not_circulated",
            "There are no circulated minutes of the previous meeting to confirm"
            + (f" ({previous_meeting_on})." if previous_meeting_on else "."),
        )
    return None
