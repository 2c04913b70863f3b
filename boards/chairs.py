"""Who chairs a board, and when the next election or rotation falls (SPEC s.1).

Pure: plain dataclasses in, dates and ids out; no ORM, no clock (pass ``today``).

- **Elected** (Leicestershire IFPG): "At the first meeting ... the members will elect
  from their number, by unanimous agreement, a Chairperson. Thereafter, there will be a
  re-election at the next meeting following each anniversary of the first meeting."
  The next election is due at the first meeting on or after the anniversary of the
  current term's start (``term_months``, 12 by default).
- **Rotation** (Leicestershire JCG 7): "The Chair will rotate between the LA and the
  CCG(s) every six months." The next chair comes from a partner of a different kind
  from the current chair's partner when the board has one (LA -> CCG -> LA ...); among
  several such partners, the one that chaired least recently (or never) goes next.
- **Alternation** (Leicestershire IE): "The Chair shall alternate every two years
  between the Clinical Chair of West Leicestershire CCG and the Clinical Vice Chair of
  East Leicestershire and Rutland CCG." The named seats are the board's seats flagged
  *alternate chair*; the next is the flagged seat that chaired least recently.
- **Alternate chairs** (Portsmouth PMG 1.1) and **appointed** chairs have no fixed term:
  no next change is computed unless the board sets a term length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

ELECTED = "elected"
ROTATION = "rotation"
ALTERNATION = "alternation"
ALTERNATE_CHAIRS = "alternate_chairs"
APPOINTED = "appointed"

DEFAULT_TERM_MONTHS = {ELECTED: 12, ROTATION: 6, ALTERNATION: 24}


@dataclass(frozen=True)
class Term:
    person_id: int
    starts_on: date
    ends_on: date | None = None
    seat_id: int | None = None
    partner_id: int | None = None


@dataclass(frozen=True)
class PartnerRef:
    id: int
    kind: str


@dataclass(frozen=True)
class NextChange:
    """When the chair next changes hands and, where the rule says, to whom."""

    due_on: date
    what: str  # "election", "rotation" or "alternation"
    partner_id: int | None = None
    seat_id: int | None = None
    overdue: bool = False


def term_covering(terms: list[Term], on: date) -> Term | None:
    """The term in force on ``on`` (the latest started, if terms overlap)."""
    current = [
        t for t in terms if t.starts_on <= on and (t.ends_on is None or t.ends_on >= on)
    ]
    return max(current, key=lambda t: t.starts_on) if current else None


def term_months_for(arrangement: str, term_months: int | None) -> int | None:
    return term_months or DEFAULT_TERM_MONTHS.get(arrangement)


def next_change(
    *,
    arrangement: str,
    term_months: int | None,
    terms: list[Term],
    today: date,
    partners: list[PartnerRef] = (),
    alternate_seat_ids: list[int] = (),
) -> NextChange | None:
    """When the next election, rotation or alternation is due, and who is next.

    ``None`` when the board has no chair now or its arrangement has no fixed term.
    """
    months = term_months_for(arrangement, term_months)
    current = term_covering(terms, today)
    if current is None or months is None:
        return None
    due = current.starts_on + relativedelta(months=months)
    overdue = due < today
    if arrangement == ROTATION:
        return NextChange(
            due,
            "rotation",
            partner_id=next_partner(current, terms, partners),
            overdue=overdue,
        )
    if arrangement == ALTERNATION:
        return NextChange(
            due,
            "alternation",
            seat_id=next_seat(current, terms, alternate_seat_ids),
            overdue=overdue,
        )
    if arrangement == ELECTED:
        return NextChange(due, "election", overdue=overdue)
    return NextChange(due, "appointment", overdue=overdue)


def _last_chaired(terms: list[Term], key: str, value: int) -> date:
    dates = [t.starts_on for t in terms if getattr(t, key) == value]
    return max(dates) if dates else date.min


def next_partner(
    current: Term, terms: list[Term], partners: list[PartnerRef]
) -> int | None:
    """The partner whose turn is next: a different kind from the current chair's
    partner when there is one, else any other partner; least recently chaired first,
    ties broken by the board's partner order."""
    if not partners:
        return None
    kinds = {p.id: p.kind for p in partners}
    current_kind = kinds.get(current.partner_id)
    others = [p for p in partners if p.id != current.partner_id]
    other_kind = [p for p in others if p.kind != current_kind]
    candidates = other_kind or others
    if not candidates:
        return current.partner_id
    order = {p.id: i for i, p in enumerate(partners)}
    best = min(
        candidates,
        key=lambda p: (_last_chaired(terms, "partner_id", p.id), order[p.id]),
    )
    return best.id


def next_seat(current: Term, terms: list[Term], seat_ids: list[int]) -> int | None:
    """The named seat whose turn is next: the other flagged seat that chaired least
    recently (or never)."""
    others = [s for s in seat_ids if s != current.seat_id]
    if not others:
        return current.seat_id
    order = {s: i for i, s in enumerate(seat_ids)}
    return min(others, key=lambda s: (_last_chaired(terms, "seat_id", s), order[s]))


# --- who chairs a meeting ---------------------------------------------------------

DESIGNATED, ALTERNATE, DEPUTISING = "designated", "alternate", "deputising"


@dataclass(frozen=True)
class ChairChoice:
    """The seat proposed to chair a meeting, as attended."""

    represented: bool
    by_deputy: bool
    is_chair_seat: bool
    is_alternate_chair_seat: bool


@dataclass(frozen=True)
class ChairDecision:
    capacity: str | None
    refusal: str = ""
    rule: str = ""


def chair_capacity(choice: ChairChoice, *, deputising_allowed: bool) -> ChairDecision:
    """In what capacity the person in the seat chairs the meeting (SPEC s.1), or why
    they may not:

    - the designated chair's seat, its holder attending: ``designated``;
    - an alternate chair's seat (Portsmouth PMG 1.1 "alternate Chair"), its holder
      attending: ``alternate``;
    - anyone else present (another member, or a deputy sitting for a chair's seat):
      ``deputising``, only where the board's terms allow it ("Deputising, in the case
      of absence of the designated Chair, can be provided from either organisation",
      Leicestershire JCG 7);
    - a seat not represented chairs nothing.
    """
    if not choice.represented:
        return ChairDecision(
            None,
            "that seat is not represented at the meeting: whoever chairs must be "
            "present",
            "chair_not_represented",
        )
    if choice.is_chair_seat and not choice.by_deputy:
        return ChairDecision(DESIGNATED)
    if choice.is_alternate_chair_seat and not choice.by_deputy:
        return ChairDecision(ALTERNATE)
    if deputising_allowed:
        return ChairDecision(DEPUTISING)
    return ChairDecision(
        None,
        "the board's terms provide for no deputising chair: only the designated "
        "chair or an alternate chair, in person, may chair",
        "chair_not_allowed",
    )
