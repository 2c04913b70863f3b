"""The generated record of a meeting: attendance, apologies, deputies, quorum
statements, declarations, votes, written positions, outcomes and actions, read from
what was recorded (SPEC s.5: "generated from the record, not typed").

``meeting_record`` returns plain data (dicts and lists of strings, JSON-safe) so a
circulated version can freeze it and the PDF templates render the same shape either
way. Confidential (exempt) items are left out when ``include_confidential`` is false:
that is the published version (and what a guest may read), each withheld item
marked with the paragraph of Schedule 12A that exempts it. The full version, with
the confidential items, is for the board's members, the partners' authorised
officers and auditors (SPEC s.2: "Authorised officers always receive the full
minutes, confidential decisions included: 'minutes of all decisions' (Portsmouth
4.5, IFPG) means all").
"""

from django.db.models import Prefetch
from django.utils import timezone

from .models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    Vote,
    WrittenPosition,
)


def _person(user) -> str:
    return (user.name or user.email) if user else ""


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _quorum_lines(snapshot) -> list[str]:
    """Words for a quorum snapshot kept with a motion (``{"quorate", "unmet"}``)."""
    if not snapshot:
        return []
    if snapshot.get("quorate"):
        return ["The meeting was quorate when the decision was taken."]
    unmet = snapshot.get("unmet") or []
    return ["The meeting was not quorate when the item was taken:", *unmet]


def _meeting_quorum(meeting) -> list[str]:
    """The quorum statement when the meeting started (routine business), from the
    meetings area's quorum adapter."""
    try:
        from .quorum_snapshot import meeting_quorum
    except ImportError:
        return []
    try:
        result = meeting_quorum(meeting, at=meeting.started_at)
    except Exception:  # noqa: BLE001 - a statement missing is better than no minutes
        return []
    quorate = getattr(result, "quorate", None)
    unmet = getattr(result, "unmet", None)
    if isinstance(result, dict):
        quorate, unmet = result.get("quorate"), result.get("unmet")
    if quorate is None:
        return []
    if quorate:
        return ["The meeting was quorate."]
    return ["The meeting was not quorate:", *list(unmet or [])]


def opening_notes(meeting: Meeting) -> list[str]:
    """What the record says about how the meeting was opened, when it was not in
    the ordinary way: started on another day than its own (with the reason given),
    or before its agenda was issued (on whose authority)."""
    notes = []
    if meeting.start_reason and meeting.started_at:
        notes.append(
            "The meeting was started on "
            f"{timezone.localtime(meeting.started_at):%A %-d %B %Y}, not the day "
            f"of its notice: {meeting.start_reason}"
        )
    if meeting.start_without_agenda_authorised_at:
        notes.append(
            "The meeting was started before its agenda was issued, on the authority "
            f"of the chair ({_person(meeting.start_without_agenda_authorised_by)} "
            "recorded it)."
        )
    return notes


def record_items(meeting: Meeting):
    """The meeting's items with everything the record needs, in a fixed number of
    queries whatever the number of items."""
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("referred_from__meeting", "motion")
        .prefetch_related(
            Prefetch(
                "declarations",
                queryset=Declaration.objects.select_related("person", "seat__partner"),
            ),
            Prefetch(
                "written_positions",
                queryset=WrittenPosition.objects.select_related("partner"),
            ),
            Prefetch(
                "motion__votes",
                queryset=Vote.objects.select_related("seat__partner").order_by(
                    "seat__order", "seat_id"
                ),
            ),
            "motion__commits",
            Prefetch("actions", queryset=Action.objects.select_related("owner")),
        )
        .order_by("order", "id")
    )


def _attendance(meeting: Meeting) -> dict:
    rows = (
        Attendance.objects.filter(meeting=meeting)
        .select_related("seat__partner", "seat__holder", "seat__deputy", "attendee")
        .order_by("seat__order", "seat_id")
    )
    present, deputies, apologies, absent = [], [], [], []
    for row in rows:
        seat = row.seat
        times = []
        if row.arrived_at:
            times.append(f"arrived {_time(row.arrived_at)}")
        if row.left_at:
            times.append(f"left {_time(row.left_at)}")
        entry = {
            "seat": seat.title,
            "partner": seat.partner.label,
            "voting": seat.voting,
            "person": _person(row.attendee or seat.holder),
            "times": ", ".join(times),
        }
        if row.status == Attendance.Status.PRESENT:
            present.append(entry)
        elif row.status == Attendance.Status.DEPUTY:
            entry["person"] = _person(row.attendee or seat.deputy)
            entry["for"] = _person(seat.holder)
            entry["notified"] = row.deputy_notified
            deputies.append(entry)
        elif row.status == Attendance.Status.APOLOGIES:
            apologies.append(entry)
        else:
            absent.append(entry)
    return {
        "present": present,
        "deputies": deputies,
        "apologies": apologies,
        "absent": absent,
    }


def chaired_by(meeting: Meeting) -> str:
    """Who chaired the meeting, in the minutes' words: the person recorded as
    chairing it, with the capacity, else the designated chair in office if they
    were present in person (a deputy attending for the chair's seat does not chair
    by that alone), else nobody: the minutes then say no chair was recorded."""
    chairing = getattr(meeting, "chairing", None)
    if chairing is not None:
        return (
            f"{_person(chairing.person)} ({chairing.get_capacity_display().lower()}, "
            f"{chairing.seat.title})"
        )
    from boards.models import Seat

    seat = (
        Seat.objects.filter(board_id=meeting.board_id, is_chair=True, active=True)
        .select_related("holder")
        .first()
    )
    if seat is None or seat.holder is None:
        return ""
    in_person = meeting.attendance.filter(
        seat=seat, status=Attendance.Status.PRESENT
    ).exists()
    if not in_person:
        return ""
    return f"{_person(seat.holder)} (designated chair, {seat.title})"


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y") if moment else ""


def previous_minutes_lines(meeting: Meeting) -> list[str]:
    """What the meeting did with the previous minutes (its standing item "Minutes
    of the previous meeting"): each version confirmed here, who signed it; or that
    the previous meeting's minutes were not confirmed at this meeting."""
    from .models import MinutesVersion

    confirmed = (
        MinutesVersion.objects.filter(confirmed_at_meeting=meeting)
        .select_related("meeting")
        .order_by("meeting__starts_at", "number")
    )
    lines = [
        f"The minutes of the meeting of {_day(v.meeting.starts_at)} (version "
        f"{v.number}) were confirmed as a true record and signed by "
        f"{v.signed_by_name or 'the chair'}"
        + (" (on the chair's written authority)" if v.confirmation_authority_id else "")
        + "."
        for v in confirmed
    ]
    if lines or not meeting.items.filter(standing="previous_minutes").exists():
        return lines
    previous = meeting.preceding()
    if previous is None:
        return ["There were no previous minutes to confirm."]
    return [
        f"The minutes of the meeting of {_day(previous.starts_at)} were not "
        "confirmed at this meeting."
    ]


def _item(item: AgendaItem, narrative: str) -> dict:
    motion = getattr(item, "motion", None)
    entry = {
        "id": item.pk,
        "number": None,
        "standing": item.standing,
        "title": item.title,
        "kind": item.get_kind_display(),
        "confidential": item.confidential,
        "exemption": item.exemption,
        "narrative": narrative,
        "referred_from": (
            f"Carried forward from {item.referred_from.meeting}"
            if item.referred_from_id
            else ""
        ),
        "declarations": [
            {
                "person": _person(d.person),
                "seat": d.seat.title,
                "interest": d.interest,
                "withdrew": d.withdrew,
            }
            for d in item.declarations.all()
        ],
        "positions": [
            {
                "partner": p.partner.label,
                "position": p.get_position_display(),
                "text": p.text,
            }
            for p in item.written_positions.all()
        ],
        "actions": [
            {
                "description": a.description,
                "owner": a.owner_name or _person(a.owner),
                "due_on": a.due_on.isoformat() if a.due_on else "",
            }
            for a in item.actions.all()
        ],
        "motion": None,
    }
    if motion is not None:
        votes = list(motion.votes.all())
        entry["motion"] = {
            "text": motion.text,
            "financial_value": (
                f"£{motion.financial_value:,.2f}" if motion.financial_value else ""
            ),
            "commits": [p.label for p in motion.commits.all()],
            "status": motion.get_status_display(),
            "outcome": motion.outcome,
            "outcome_label": (
                ("Recommendation agreed" if motion.outcome == "carried" else "")
                if motion.recommendation
                else ""
            )
            or (motion.get_outcome_display() if motion.outcome else ""),
            "recommendation": motion.recommendation,
            "reasons": [str(r) for r in (motion.outcome_reasons or [])],
            "quorum": _quorum_lines(motion.quorum_snapshot),
            "votes": [
                {
                    "seat": v.seat.title,
                    "partner": v.seat.partner.label,
                    "choice": v.get_choice_display(),
                    "show_of_hands": v.recorded_by_secretary,
                }
                for v in votes
            ],
            "tally": {
                choice.label: sum(1 for v in votes if v.choice == choice)
                for choice in Vote.Choice
            },
            "votes_by_choice": [
                {
                    "choice": choice.label,
                    "seats": [
                        f"{v.seat.title} ({v.seat.partner.label})"
                        + (", show of hands" if v.recorded_by_secretary else "")
                        for v in votes
                        if v.choice == choice
                    ],
                }
                for choice in Vote.Choice
            ],
        }
    return entry


def meeting_record(
    meeting: Meeting,
    *,
    include_confidential: bool,
    narratives: dict[int, str] | None = None,
    summary: str = "",
) -> dict:
    """The whole record of one meeting as plain data."""
    narratives = narratives or {}
    items, withheld = [], []
    for item in record_items(meeting):
        if item.confidential and not include_confidential:
            withheld.append(item.exemption)
            continue
        items.append(_item(item, narratives.get(item.pk, "")))
    for number, entry in enumerate(items, start=1):
        entry["number"] = number
    decisions = [
        {
            "number": entry["number"],
            "title": entry["title"],
            "motion": entry["motion"]["text"],
            "outcome": entry["motion"]["outcome_label"] or entry["motion"]["status"],
            "tally": entry["motion"]["tally"],
        }
        for entry in items
        if entry["motion"]
    ]
    general_actions = [
        {
            "description": a.description,
            "owner": a.owner_name or _person(a.owner),
            "due_on": a.due_on.isoformat() if a.due_on else "",
        }
        for a in Action.objects.filter(
            meeting=meeting, item__isnull=True
        ).select_related("owner")
    ]
    board = meeting.board
    previous_minutes = previous_minutes_lines(meeting)
    for entry in items:
        if entry["standing"] == AgendaItem.Standing.PREVIOUS_MINUTES:
            entry["confirmation"] = previous_minutes
    return {
        "board": board.name,
        "board_label": board.label,
        "meeting": str(meeting),
        "kind": meeting.get_kind_display(),
        "starts_at": timezone.localtime(meeting.starts_at).strftime(
            "%A %-d %B %Y, %H:%M"
        ),
        "location": meeting.location,
        "chaired_by": chaired_by(meeting),
        "opened_at": _time(meeting.started_at),
        "closed_at": _time(meeting.closed_at),
        "previous_minutes": previous_minutes,
        "previous_minutes_in_items": any("confirmation" in e for e in items),
        "summary": summary,
        "attendance": _attendance(meeting),
        "quorum": _meeting_quorum(meeting),
        "opening_notes": opening_notes(meeting),
        "items": items,
        "decisions": decisions,
        "actions": [a for e in items for a in e["actions"]] + general_actions,
        "confidential_withheld": len(withheld),
        "withheld_exemptions": withheld,
        "confidential_included": sum(1 for e in items if e["confidential"]),
        "include_confidential": include_confidential,
    }
