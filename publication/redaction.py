"""The public version of a meeting's minutes, made from the record frozen when the
minutes were circulated (``MinutesVersion.record``): pure, over plain data.

SPEC s.2: "Published (public) versions of the agenda and minutes leave [confidential
items] out". Officers' and members' copies may carry confidential items (issue 11),
so the public version never trusts a copy to be clean: it keeps only the fields named
here (anything a later version of the record adds is left out until named), drops
every item that was confidential when circulated *or is confidential now*, puts
"exempt under paragraph N" in its place, and rebuilds the decision log and the
action list from what is left.
"""

from collections.abc import Mapping

RECORD_FIELDS = ("board", "board_label", "meeting", "kind", "starts_at", "location")
ITEM_FIELDS = (
    "id",
    "title",
    "kind",
    "narrative",
    "referred_from",
    "declarations",
    "positions",
    "actions",
)
MOTION_FIELDS = (
    "text",
    "financial_value",
    "commits",
    "status",
    "outcome",
    "outcome_label",
    "reasons",
    "quorum",
    "votes",
    "tally",
    "votes_by_choice",
)
ATTENDANCE_GROUPS = ("present", "deputies", "apologies", "absent")
ATTENDANCE_FIELDS = ("seat", "partner", "voting", "person", "times", "for", "notified")


def _pick(data: Mapping, fields) -> dict:
    return {key: data[key] for key in fields if key in data}


def _item_actions(items) -> list:
    return [action for item in items for action in item.get("actions") or []]


def _general_actions(record: Mapping) -> list:
    """Actions not raised on any item: the record's list less every item's."""
    rest = list(record.get("actions") or [])
    for action in _item_actions(record.get("items") or []):
        if action in rest:
            rest.remove(action)
    return rest


def public_minutes(
    record: Mapping,
    *,
    confidential_ids: set[int],
    exempt_labels: Mapping[int, str],
    default_exempt: str,
) -> dict:
    """The public minutes: ``confidential_ids`` are the items confidential now;
    ``exempt_labels`` says what stands in place of each (Schedule 12A paragraph)."""
    items = []
    for number, item in enumerate(record.get("items") or [], start=1):
        exempt = bool(item.get("confidential")) or item.get("id") in confidential_ids
        if exempt:
            label = exempt_labels.get(item.get("id"), default_exempt)
            items.append({"number": number, "exempt": True, "exempt_label": label})
            continue
        entry = _pick(item, ITEM_FIELDS) | {"number": number, "exempt": False}
        motion = item.get("motion")
        entry["motion"] = _pick(motion, MOTION_FIELDS) if motion else None
        items.append(entry)
    kept = [item for item in items if not item["exempt"]]
    attendance = record.get("attendance") or {}
    return _pick(record, RECORD_FIELDS) | {
        "summary": record.get("summary", ""),
        "quorum": list(record.get("quorum") or []),
        "attendance": {
            group: [_pick(row, ATTENDANCE_FIELDS) for row in attendance.get(group, [])]
            for group in ATTENDANCE_GROUPS
        },
        "items": items,
        "decisions": [
            {
                "number": item["number"],
                "title": item.get("title", ""),
                "motion": item["motion"].get("text", ""),
                "outcome": item["motion"].get("outcome_label")
                or item["motion"].get("status", ""),
                "tally": item["motion"].get("tally", {}),
            }
            for item in kept
            if item["motion"]
        ],
        "actions": _item_actions(kept) + _general_actions(record),
        "exempt_items": len(items) - len(kept),
    }
