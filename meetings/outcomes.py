"""The decision outcome engine (SPEC s.4). Pure: dataclasses in, an ``Outcome`` with
its reasons out; no ORM, no request, no clock.

``decide`` applies the checks in this order, and the first that bites decides:

1. **Advisory board** -- "The Group holds no formal delegated authority ... The group
   has an advisory and co-ordination role rather than a decision making role" (West
   Kent annex, System Leadership Group). Its motions are recorded as
   *recommendations*: the outcome stays in the closed set (``carried`` when the
   board's decision rule is met, ``referred`` when not, never escalated or deferred,
   because an advisory board commits nobody) and ``Outcome.recommendation`` is True.
   An inquorate advisory board makes no recommendation either.
2. **Inquorate at the moment of the vote** -- "an inquorate meeting cannot take
   place or take decisions" (Leicestershire IFPG): ``inquorate``, with every unmet
   quorum condition as a reason.
3. **Prior consultation** -- "no decision shall be taken or acted upon without prior
   consultation with the Integration Executive" (Leicestershire IFPG ToR). The
   service refuses to *open* such a motion; the engine guards it too by raising
   ``MotionCannotBePut`` (there is no outcome for a motion that may not be put).
4. **Delegated authority** -- "Where a member does not have appropriate delegated
   authority to agree to a matter under discussion the item shall be deferred to the
   next meeting and appropriate approvals sought" (Portsmouth PMG ToR 5.2): the
   financial value exceeds the limit of a voting seat of a committed partner
   represented at the vote -> ``deferred_delegated_authority``.
5. **Absent committed partner** -- "Where a Partner is not present and has not given
   prior written notification of its intended position on a matter to be discussed,
   then those present may not make or record commitments on behalf of that Partner in
   any way" (Portsmouth PMG ToR 4.4, West Kent 3.4): no voting seat of the partner
   represented and no written position -> ``deferred_absent_partner``. With a written
   position the position stands in for the partner's vote: ``support`` counts as
   ``for``; ``oppose`` and ``abstain`` break unanimity.
6. **The decision rule** -- "Decisions of the Partnership Board shall be made
   unanimously" (Portsmouth 4.3 and 6.1, West Kent 3.3, IFPG): carried only if every
   voting seat represented at the time voted ``for``; an abstention or a missing vote
   breaks it; "The Chairperson may vote but will not have a casting vote" (IFPG).
   A ``majority`` board carries a motion when more than half of the voting seats
   present (and partners standing in by written position) voted ``for``; its chair's
   casting vote, only where the board allows one, breaks an exact half.
7. **Not carried** -- "Where unanimity is not reached then the item in question will
   in the first instance be referred to the next meeting ... If no unanimity is
   reached on the second occasion it is discussed then the matter shall be dealt with
   in accordance with the dispute resolution procedure" (Portsmouth 4.3, West Kent
   3.3); IFPG: "escalated to the Authorised Officers. If no agreement can be reached
   following escalation to the Authorised Officers, any Partner may invoke the Dispute
   Resolution procedure". First failure -> ``referred``; second -> escalated along the
   board's path; a third failure on the authorised officers' path ->
   ``escalated_dispute_resolution``.

Seats whose member withdrew from the item for a declared interest are treated as not
represented for that item: they neither vote nor count in the unanimity electorate,
and a partner whose only voting representatives withdrew is an absent partner for it.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

CARRIED = "carried"
REFERRED = "referred"
ESCALATED_AUTHORISED_OFFICERS = "escalated_authorised_officers"
ESCALATED_DISPUTE_RESOLUTION = "escalated_dispute_resolution"
DEFERRED_DELEGATED_AUTHORITY = "deferred_delegated_authority"
DEFERRED_ABSENT_PARTNER = "deferred_absent_partner"
INQUORATE = "inquorate"
WITHDRAWN = "withdrawn"

OUTCOMES = (
    CARRIED,
    REFERRED,
    ESCALATED_AUTHORISED_OFFICERS,
    ESCALATED_DISPUTE_RESOLUTION,
    DEFERRED_DELEGATED_AUTHORITY,
    DEFERRED_ABSENT_PARTNER,
    INQUORATE,
    WITHDRAWN,
)
# Outcomes that count as "unanimity not reached" when an item comes back.
FAILURES = frozenset(
    {REFERRED, ESCALATED_AUTHORISED_OFFICERS, ESCALATED_DISPUTE_RESOLUTION}
)
# Outcomes that carry the item forward to the next meeting.
CARRY_FORWARD = frozenset(
    {REFERRED, DEFERRED_DELEGATED_AUTHORITY, DEFERRED_ABSENT_PARTNER}
)
ESCALATIONS = frozenset({ESCALATED_AUTHORISED_OFFICERS, ESCALATED_DISPUTE_RESOLUTION})

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
SUPPORT, OPPOSE = "support", "oppose"
POSITION_AS_VOTE = {SUPPORT: FOR, OPPOSE: AGAINST, ABSTAIN: ABSTAIN}


class MotionCannotBePut(Exception):
    """The motion may not be put at all (prior consultation not recorded)."""

    def __init__(self, reason: str, *, rule: str):
        super().__init__(reason)
        self.reason = reason
        self.rule = rule


@dataclass(frozen=True)
class BoardRules:
    decision_making: bool = True
    decision_rule: str = "unanimous"  # or "majority"
    escalation: str = "dispute_resolution"  # or "authorised_officers"
    chair_casting_vote: bool = False


@dataclass(frozen=True)
class SeatAtVote:
    """One seat of the board at the moment the vote is taken."""

    seat_id: int
    partner_id: int
    voting: bool = True
    represented: bool = False
    withdrew: bool = False
    is_chair: bool = False
    delegated_authority_limit: Decimal | None = None
    title: str = ""

    @property
    def can_vote(self) -> bool:
        return self.voting and self.represented and not self.withdrew


@dataclass(frozen=True)
class MotionFacts:
    financial_value: Decimal | None = None
    committed_partner_ids: frozenset[int] = frozenset()
    consultation_required: bool = False
    consultation_recorded: bool = False
    consult_board_name: str = "the consulted board"
    # Earlier occasions this matter failed to reach unanimity (referral chain).
    prior_failures: int = 0


@dataclass(frozen=True)
class QuorumAtVote:
    quorate: bool
    unmet: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tally:
    for_: int = 0
    against: int = 0
    abstain: int = 0
    not_voted: int = 0
    electorate: int = 0

    def as_dict(self) -> dict:
        return {
            "for": self.for_,
            "against": self.against,
            "abstain": self.abstain,
            "not_voted": self.not_voted,
            "electorate": self.electorate,
        }


@dataclass(frozen=True)
class Outcome:
    outcome: str
    reasons: tuple[str, ...]
    recommendation: bool = False
    tally: Tally = field(default_factory=Tally)


def decide(
    *,
    board: BoardRules,
    quorum: QuorumAtVote,
    motion: MotionFacts,
    seats: Iterable[SeatAtVote],
    votes: Mapping[int, str],
    positions: Mapping[int, str],
    partner_names: Mapping[int, str] | None = None,
) -> Outcome:
    """The outcome of a motion at close, with every reason in words.

    ``votes`` maps seat id to ``for``/``against``/``abstain``; votes of seats that may
    not vote (non-voting, not represented, withdrew) are ignored. ``positions`` maps
    partner id to a written position (``support``/``oppose``/``abstain``).
    """
    seats = list(seats)
    names = dict(partner_names or {})

    def name(partner_id: int) -> str:
        return names.get(partner_id, f"partner {partner_id}")

    if not board.decision_making:
        return _advisory(board=board, quorum=quorum, seats=seats, votes=votes)

    if not quorum.quorate:
        return Outcome(
            INQUORATE,
            ("the meeting was inquorate when the vote was taken", *quorum.unmet),
        )

    if motion.consultation_required and not motion.consultation_recorded:
        raise MotionCannotBePut(
            f"prior consultation with {motion.consult_board_name} has not been "
            "recorded: the motion cannot be put (Leicestershire IFPG ToR)",
            rule="prior_consultation",
        )

    voters = [s for s in seats if s.can_vote]
    committed = sorted(motion.committed_partner_ids)

    if motion.financial_value is not None:
        lacking = [
            s
            for s in voters
            if s.partner_id in motion.committed_partner_ids
            and s.delegated_authority_limit is not None
            and motion.financial_value > s.delegated_authority_limit
        ]
        if lacking:
            return Outcome(
                DEFERRED_DELEGATED_AUTHORITY,
                tuple(
                    f"{s.title or 'a seat'} of {name(s.partner_id)} has delegated "
                    f"authority up to £{s.delegated_authority_limit:,.2f}; the motion "
                    f"commits £{motion.financial_value:,.2f} (Portsmouth PMG ToR 5.2)"
                    for s in lacking
                ),
            )

    present_partners = {s.partner_id for s in voters}
    absent = [p for p in committed if p not in present_partners]
    absent_silent = [p for p in absent if p not in positions]
    if absent_silent:
        return Outcome(
            DEFERRED_ABSENT_PARTNER,
            tuple(
                f"{name(p)} is not represented and gave no prior written position: "
                "no commitment may be made on its behalf (Portsmouth PMG ToR 4.4, "
                "West Kent 3.4)"
                for p in absent_silent
            ),
        )

    # The electorate: each voting seat represented, plus each absent committed partner
    # standing in by its written position.
    ballots: list[str | None] = [votes.get(s.seat_id) for s in voters]
    stand_ins = [(p, POSITION_AS_VOTE[positions[p]]) for p in absent]
    ballots.extend(choice for _, choice in stand_ins)
    tally = Tally(
        for_=ballots.count(FOR),
        against=ballots.count(AGAINST),
        abstain=ballots.count(ABSTAIN),
        not_voted=ballots.count(None),
        electorate=len(ballots),
    )
    position_notes = tuple(
        f"{name(p)} was absent; its written position ({positions[p]}) counted as "
        f"'{choice}'"
        for p, choice in stand_ins
    )

    carried, rule_reasons = _rule_met(board, tally, voters, votes)
    if carried:
        return Outcome(CARRIED, (*rule_reasons, *position_notes), tally=tally)

    return Outcome(
        _failure_outcome(board, motion.prior_failures),
        (*rule_reasons, *position_notes, _failure_reason(board, motion.prior_failures)),
        tally=tally,
    )


def _rule_met(
    board: BoardRules, tally: Tally, voters: list[SeatAtVote], votes: Mapping[int, str]
) -> tuple[bool, tuple[str, ...]]:
    if tally.electorate == 0:
        return False, ("no voting seat was represented to vote",)
    if board.decision_rule == "majority":
        if 2 * tally.for_ > tally.electorate:
            return True, (
                f"carried by a majority: {tally.for_} of {tally.electorate} for",
            )
        chair_for = any(s.is_chair and votes.get(s.seat_id) == FOR for s in voters)
        if (
            board.chair_casting_vote
            and 2 * tally.for_ == tally.electorate
            and chair_for
        ):
            return True, (
                f"{tally.for_} of {tally.electorate} for: an exact half, carried on "
                "the chair's casting vote",
            )
        return False, (
            f"no majority: {tally.for_} of {tally.electorate} voting seats present "
            "voted for",
        )
    if tally.for_ == tally.electorate:
        return True, (f"carried unanimously: all {tally.electorate} for",)
    reasons = ["unanimity not reached (the chair has no casting vote)"]
    if tally.against:
        reasons.append(f"{tally.against} against")
    if tally.abstain:
        reasons.append(f"{tally.abstain} abstained: an abstention breaks unanimity")
    if tally.not_voted:
        reasons.append(f"{tally.not_voted} represented voting seat(s) did not vote")
    return False, tuple(reasons)


def _failure_outcome(board: BoardRules, prior_failures: int) -> str:
    if prior_failures <= 0:
        return REFERRED
    if board.escalation == "authorised_officers" and prior_failures == 1:
        return ESCALATED_AUTHORISED_OFFICERS
    return ESCALATED_DISPUTE_RESOLUTION


def _failure_reason(board: BoardRules, prior_failures: int) -> str:
    outcome = _failure_outcome(board, prior_failures)
    if outcome == REFERRED:
        return "first occasion: referred to the next meeting (Portsmouth PMG ToR 4.3)"
    if outcome == ESCALATED_AUTHORISED_OFFICERS:
        return "second occasion: escalated to the authorised officers (IFPG ToR)"
    if board.escalation == "authorised_officers":
        return (
            "no agreement following escalation to the authorised officers: dispute "
            "resolution procedure of the agreement (IFPG ToR)"
        )
    return (
        "second occasion: dealt with under the dispute resolution procedure of the "
        "agreement (Portsmouth PMG ToR 4.3, West Kent 3.3)"
    )


def _advisory(
    *,
    board: BoardRules,
    quorum: QuorumAtVote,
    seats: list[SeatAtVote],
    votes: Mapping[int, str],
) -> Outcome:
    note = (
        "advisory board: recorded as a recommendation, not a decision (it holds no "
        "delegated authority)"
    )
    if not quorum.quorate:
        return Outcome(
            INQUORATE,
            ("the meeting was inquorate when the vote was taken", *quorum.unmet, note),
            recommendation=True,
        )
    voters = [s for s in seats if s.can_vote]
    ballots = [votes.get(s.seat_id) for s in voters]
    tally = Tally(
        for_=ballots.count(FOR),
        against=ballots.count(AGAINST),
        abstain=ballots.count(ABSTAIN),
        not_voted=ballots.count(None),
        electorate=len(ballots),
    )
    met, reasons = _rule_met(board, tally, voters, votes)
    if met:
        return Outcome(
            CARRIED, (note, "recommended", *reasons), recommendation=True, tally=tally
        )
    return Outcome(
        REFERRED,
        (note, "not recommended: referred to the next meeting", *reasons),
        recommendation=True,
        tally=tally,
    )


def prior_failures(chain_outcomes: Iterable[str]) -> int:
    """How many earlier occasions in an item's referral chain failed to reach
    unanimity (deferrals and inquorate meetings do not count: the matter was not
    decided on them)."""
    return sum(1 for outcome in chain_outcomes if outcome in FAILURES)
