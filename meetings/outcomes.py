"""The decision outcome engine (SPEC s.4). Pure: dataclasses in, an ``Outcome`` with
its reasons out; no ORM, no request, no clock.

Each board's rules are the rules its own terms state (SPEC s.1): the absent-partner
rule and the delegated-authority rule bind only a board whose terms carry them
(``BoardRules``), and every reason cites the board's own clause where one is recorded
(``BoardRules.citations``), else the clause the rule comes from in the reference
documents.

``decide`` applies the checks in this order, and the first that bites decides:

1. **Advisory board** -- "The Group holds no formal delegated authority ... The group
   has an advisory and co-ordination role rather than a decision making role" (West
   Kent annex, System Leadership Group). It holds no formal votes, so every member
   present takes part, voting flag or not: a recommendation is agreed by consensus of
   the members present (``carried``, ``Outcome.recommendation`` True) unless one of
   them objects (``referred``, back to the next meeting); never deferred or
   escalated, because an advisory board commits nobody. An inquorate advisory board
   makes no recommendation either.
2. **Inquorate at the moment of the vote** -- "an inquorate meeting cannot take
   place or take decisions" (Leicestershire IFPG): ``inquorate``, with every unmet
   quorum condition as a reason.
3. **Prior consultation** -- "no decision shall be taken or acted upon without prior
   consultation with the Integration Executive" (Leicestershire IFPG ToR). The
   service refuses to *open* such a motion; the engine guards it too by raising
   ``MotionCannotBePut`` (there is no outcome for a motion that may not be put).
4. **Delegated authority** (only where the board's terms carry the rule) -- "Where a
   member does not have appropriate delegated authority to agree to a matter under
   discussion the item shall be deferred to the next meeting and appropriate
   approvals sought" (Portsmouth PMG ToR 5.2): the financial value exceeds the limit
   of a voting seat of a committed partner represented at the vote, or that seat has
   no limit recorded (no recorded authority, never unlimited authority) ->
   ``deferred_delegated_authority``.
5. **Absent committed partner** (only where the board's terms carry the rule) --
   "Where a Partner is not present and has not given prior written notification of
   its intended position on a matter to be discussed, then those present may not make
   or record commitments on behalf of that Partner in any way" (Portsmouth PMG ToR
   4.4, West Kent 3.4): no voting seat of the partner represented and no written
   position -> ``deferred_absent_partner``. With a written position the position
   stands in for the partner's vote: ``support`` counts as ``for``; ``oppose`` and
   ``abstain`` break unanimity. On a board without the rule an absent partner is
   simply absent.
6. **The decision rule** -- "Decisions of the Partnership Board shall be made
   unanimously" (Portsmouth 4.3 and 6.1, West Kent 3.3, IFPG): carried only if every
   voting seat represented at the time voted ``for``; an abstention or a missing vote
   breaks it; "The Chairperson may vote but will not have a casting vote" (IFPG).
   A ``majority`` board carries a motion when more than half of the voting seats
   present (and partners standing in by written position) voted ``for``; its chair's
   casting vote, only where the board allows one, breaks an exact half. A
   ``consensus`` board (the IE and JCG documents state no decision rule; SPEC s.4)
   carries a motion unless a member present objects (votes ``against``); abstentions
   and silence do not block.
7. **Not carried** -- a ``consensus`` board refers the item to the next meeting, every
   time: it is not an s75 decision body, so nothing is escalated under an
   agreement's dispute procedure. Otherwise: "Where unanimity is not reached then the
   item in question will
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


# The clause each rule comes from in the reference documents, used where a board has
# no source of its own recorded.
DEFAULT_CITATIONS = {
    "decision_rule": "Portsmouth PMG ToR 4.3",
    "escalation": "Portsmouth PMG ToR 4.3",
    "absent_partner_rule": "Portsmouth PMG ToR 4.4, West Kent 3.4",
    "delegated_authority_rule": "Portsmouth PMG ToR 5.2",
    "decision_scope": "West Kent 4.1",
}


@dataclass(frozen=True)
class BoardRules:
    decision_making: bool = True
    decision_rule: str = "unanimous"  # "majority" or "consensus"
    escalation: str = "dispute_resolution"  # or "authorised_officers"
    chair_casting_vote: bool = False
    # Applied only where the board's terms state them (a new board has neither).
    absent_partner_rule: bool = False
    delegated_authority_rule: bool = False
    # Rule key -> the board's own clause ("West Kent 3.4"), where recorded.
    citations: Mapping[str, str] = field(default_factory=dict)

    def cite(self, rule: str) -> str:
        """The board's own clause for a rule, else the reference documents'."""
        own = self.citations.get(rule, "")
        if own and not own.startswith("local practice") and not own.startswith("not"):
            return own
        return DEFAULT_CITATIONS.get(rule, "")


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

    if board.delegated_authority_rule and motion.financial_value is not None:
        lacking = authority_lacking(voters, motion)
        if lacking:
            clause = board.cite("delegated_authority_rule")
            return Outcome(
                DEFERRED_DELEGATED_AUTHORITY,
                tuple(_authority_reason(s, motion, name, clause) for s in lacking),
            )

    present_partners = {s.partner_id for s in voters}
    absent = []
    if board.absent_partner_rule:
        absent = [p for p in committed if p not in present_partners]
    absent_silent = [p for p in absent if p not in positions]
    if absent_silent:
        clause = board.cite("absent_partner_rule")
        return Outcome(
            DEFERRED_ABSENT_PARTNER,
            tuple(
                f"{name(p)} is not represented and gave no prior written position: "
                f"no commitment may be made on its behalf ({clause})"
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


def authority_lacking(
    voters: list[SeatAtVote], motion: MotionFacts
) -> list[SeatAtVote]:
    """Voting seats of committed partners present whose recorded authority does not
    cover the motion's value: a seat with no limit recorded has none."""
    value = motion.financial_value
    return [
        s
        for s in voters
        if s.partner_id in motion.committed_partner_ids
        and (s.delegated_authority_limit is None or value > s.delegated_authority_limit)
    ]


def _authority_reason(seat: SeatAtVote, motion: MotionFacts, name, clause) -> str:
    who = f"{seat.title or 'a seat'} of {name(seat.partner_id)}"
    value = f"£{motion.financial_value:,.2f}"
    if seat.delegated_authority_limit is None:
        return (
            f"{who} has no delegated authority recorded; the motion commits {value} "
            f"({clause})"
        )
    return (
        f"{who} has delegated authority up to £{seat.delegated_authority_limit:,.2f}; "
        f"the motion commits {value} ({clause})"
    )


def _consensus(tally: Tally) -> tuple[bool, tuple[str, ...]]:
    """Carried unless a member present objects; abstentions do not block."""
    if tally.electorate == 0:
        return False, ("no member was present to agree",)
    if tally.against:
        return False, (
            f"no consensus: {tally.against} member{'s' if tally.against != 1 else ''} "
            "present objected",
        )
    reasons = ["agreed by consensus: no member present objected"]
    if tally.abstain:
        reasons.append(f"{tally.abstain} abstained (an abstention does not block)")
    return True, tuple(reasons)


def _rule_met(
    board: BoardRules, tally: Tally, voters: list[SeatAtVote], votes: Mapping[int, str]
) -> tuple[bool, tuple[str, ...]]:
    if board.decision_rule == "consensus":
        return _consensus(tally)
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
    if prior_failures <= 0 or board.decision_rule == "consensus":
        return REFERRED
    if board.escalation == "authorised_officers" and prior_failures == 1:
        return ESCALATED_AUTHORISED_OFFICERS
    return ESCALATED_DISPUTE_RESOLUTION


def _failure_reason(board: BoardRules, prior_failures: int) -> str:
    outcome = _failure_outcome(board, prior_failures)
    if board.decision_rule == "consensus":
        return (
            "not agreed: referred to the next meeting (never escalated: the board is "
            "not an s75 decision body)"
        )
    if outcome == REFERRED:
        return (
            f"first occasion: referred to the next meeting ({board.cite('escalation')})"
        )
    if outcome == ESCALATED_AUTHORISED_OFFICERS:
        return "second occasion: escalated to the authorised officers (IFPG ToR)"
    if board.escalation == "authorised_officers":
        return (
            "no agreement following escalation to the authorised officers: dispute "
            "resolution procedure of the agreement (IFPG ToR)"
        )
    return (
        "second occasion: dealt with under the dispute resolution procedure of the "
        f"agreement ({board.cite('escalation')})"
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
    # No formal votes: every member present takes part, voting flag or not.
    members = [s for s in seats if s.represented and not s.withdrew]
    ballots = [votes.get(s.seat_id) for s in members]
    tally = Tally(
        for_=ballots.count(FOR),
        against=ballots.count(AGAINST),
        abstain=ballots.count(ABSTAIN),
        not_voted=ballots.count(None),
        electorate=len(ballots),
    )
    met, reasons = _consensus(tally)
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


@dataclass(frozen=True)
class Scope:
    """What a board may decide at all (SPEC s.4), from its terms: the kinds of
    decision they allow (empty: not limited), and whether commitments must be in
    accordance with the agreement's risk-sharing arrangements."""

    kinds: frozenset[str] = frozenset()
    risk_share_only: bool = False
    citation: str = ""


SCOPE_WORDS = {
    "scheme_contract": "a contract for services under an Individual Scheme",
    "redistribution": "a redistribution between schemes",
    "commitment": "a commitment of money",
    "plan": "how to give effect to the plan",
    "timescales": "revised timescales for a scheme",
    "variation": "a variation of the agreement",
    "other": "other business",
}


def scope_refusal(
    scope: Scope,
    *,
    decision_kind: str,
    financial_value: Decimal | None,
    within_risk_share: bool,
) -> str | None:
    """Why the motion is outside what the board may decide, or None. Checked when
    the motion is put:

    - West Kent 4.1: "The Partnership Board is authorised ... to authorise a Lead
      Commissioner to enter into any contract for services necessary for the
      provision of Services under an Individual Scheme": a board whose terms list the
      kinds of decision it may take takes no other.
    - Leicestershire IFPG: "the members of the Partnership Board can only authorise
      commitments in accordance with the risk sharing arrangements set out in the
      relevant Agreement": a motion committing money must be recorded as in
      accordance with them.
    """
    clause = f" ({scope.citation})" if scope.citation else ""
    if scope.kinds and decision_kind not in scope.kinds:
        allowed = "; ".join(SCOPE_WORDS.get(k, k) for k in sorted(scope.kinds))
        return (
            f"the board's terms allow it to decide only {allowed}: this motion is "
            f"{SCOPE_WORDS.get(decision_kind, decision_kind)}{clause}"
        )
    if scope.risk_share_only and financial_value is not None and not within_risk_share:
        return (
            "the board may authorise commitments only in accordance with the "
            "risk-sharing arrangements of the agreement: record that this one is"
            f"{clause}"
        )
    return None
