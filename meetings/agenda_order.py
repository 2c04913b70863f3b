"""The order of an agenda (SPEC s.5; issue 13): the standing items every agenda
gets, and where everything else goes. Pure: plain data in, plain data out.

Every agenda opens with apologies, declarations of interest, the minutes of the
previous meeting (confirming them is that item's decision) and matters arising with
the action log; then the business of the meeting; any other business comes last.
Items added later, items referred from an earlier meeting and approved pooled fund
returns are business, so they go before any other business. Within a section the
secretary's order stands.
"""

from collections.abc import Sequence
from dataclasses import dataclass

APOLOGIES = "apologies"
DECLARATIONS = "declarations"
PREVIOUS_MINUTES = "previous_minutes"
MATTERS_ARISING = "matters_arising"
BUSINESS = ""  # not a standing item: the business of the meeting
AOB = "aob"

# (standing kind, title), in agenda order; business sits between matters arising
# and any other business.
STANDING_ITEMS: tuple[tuple[str, str], ...] = (
    (APOLOGIES, "Apologies for absence"),
    (DECLARATIONS, "Declarations of interest"),
    (PREVIOUS_MINUTES, "Minutes of the previous meeting"),
    (MATTERS_ARISING, "Matters arising and the action log"),
    (AOB, "Any other business"),
)
SECTIONS: tuple[str, ...] = (
    APOLOGIES,
    DECLARATIONS,
    PREVIOUS_MINUTES,
    MATTERS_ARISING,
    BUSINESS,
    AOB,
)


@dataclass(frozen=True)
class Slot:
    """An item as the order sees it: its id, standing kind ("" for business) and
    the order the secretary gave it."""

    id: int
    standing: str = BUSINESS
    order: int = 0


def section_rank(standing: str) -> int:
    """Where a section sits: apologies 0 ... business 4, any other business 5. An
    unknown kind is business."""
    return SECTIONS.index(standing) if standing in SECTIONS else SECTIONS.index("")


def agenda_order(slots: Sequence[Slot]) -> list[int]:
    """The ids in agenda order: by section, then the secretary's order, then id
    (the older item first)."""
    ranked = sorted(slots, key=lambda s: (section_rank(s.standing), s.order, s.id))
    return [s.id for s in ranked]


def missing_standing(
    present: Sequence[str], *, extraordinary: bool = False
) -> list[tuple[str, str]]:
    """The standing items an agenda still needs, (kind, title) in order.

    An extraordinary meeting takes only the matters its notice named, so it has no
    any other business: the Portsmouth PMG's terms give notice "of the matters to be
    discussed" (ToR 4.6); for boards whose terms say nothing of extraordinary
    meetings this is local practice."""
    have = set(present)
    if extraordinary:
        have.add(AOB)
    return [(kind, title) for kind, title in STANDING_ITEMS if kind not in have]


def moved(slots: Sequence[Slot], item_id: int, *, up: bool) -> list[int]:
    """The agenda order after moving one item up or down a place. Only business
    moves, and only within business: standing items keep their places, so nothing
    moves above the minutes or below any other business."""
    ids = agenda_order(slots)
    by_id = {s.id: s for s in slots}
    index = ids.index(item_id)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ids):
        return ids
    if by_id[item_id].standing != BUSINESS or by_id[ids[other]].standing != BUSINESS:
        return ids
    ids[index], ids[other] = ids[other], ids[index]
    return ids
