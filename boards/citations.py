"""Each board's rules with where they come from (SPEC s.1: "Every rule is data of the
board that states it, with the clause it comes from"). Pure: plain data in, rows of
words out; no ORM.

A rule's source is its terms (a document and paragraph: "Portsmouth PMG ToR 4.4"), or
local practice with who decided it and when ("local practice (demo)"), or nothing:
"not stated in the terms of reference". Optional rules (the absent-partner rule,
delegated authority, a deputising chair, a papers deadline, notice of an extraordinary
meeting, reconvening within a period, limits on what the board may decide) are applied
only where set; one applied without a source is a compliance gap, because a secretary
must be able to see at once what is law for the board and what is habit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

NOT_STATED = "not stated in the terms of reference"
TERMS, LOCAL_PRACTICE = "terms", "local_practice"

DECISION_KIND_WORDS = {
    "scheme_contract": "contracts for services under an Individual Scheme",
    "redistribution": "redistributions between schemes",
    "commitment": "commitments of money",
    "plan": "how to give effect to the plan",
    "timescales": "revised timescales for schemes",
    "variation": "variations of the agreement",
    "other": "other business",
}


@dataclass(frozen=True)
class Source:
    kind: str
    document: str = ""
    paragraph: str = ""
    quote: str = ""
    decided_by: str = ""
    decided_on: date | None = None


def cite(source: Source | None) -> str:
    """ "Portsmouth PMG ToR 4.4", "local practice (demo)", "local practice (the
    board, 3 March 2025)", or "not stated in the terms of reference"."""
    if source is None:
        return NOT_STATED
    if source.kind == TERMS:
        return " ".join(p for p in (source.document, source.paragraph) if p) or "terms"
    who = [source.decided_by] if source.decided_by else []
    if source.decided_on:
        who.append(f"{source.decided_on.day} {source.decided_on:%B %Y}")
    return f"local practice ({', '.join(who)})" if who else "local practice"


@dataclass(frozen=True)
class BoardSettings:
    """The settings of a board that are rules."""

    decision_making: bool = True
    decision_rule: str = "unanimous"
    escalation: str = "dispute_resolution"
    chair_casting_vote: bool = False
    absent_partner_rule: bool = False
    delegated_authority_rule: bool = False
    deputising_chair: bool = False
    decision_scope: tuple[str, ...] = ()
    risk_share_commitments_only: bool = False
    minutes_deadline_days: int = 7
    meeting_frequency_months: int = 2
    extraordinary_notice_clear_days: int | None = None
    clear_days_working_only: bool = True
    papers_working_days: int | None = None
    reconvene_within_days: int | None = None
    chair_arrangement: str = "appointed"
    chair_arrangement_label: str = "Appointed"
    chair_term_months: int | None = None


@dataclass(frozen=True)
class RuleRow:
    key: str
    label: str
    setting: str
    applied: bool
    optional: bool
    source: Source | None

    @property
    def citation(self) -> str:
        return cite(self.source)

    @property
    def stated(self) -> bool:
        return self.source is not None

    @property
    def needs_source(self) -> bool:
        """Applied, optional, and nobody recorded where it comes from."""
        return self.optional and self.applied and self.source is None


# Rules a board has, in the order the board page lists them: (key, label, optional).
RULES = (
    ("decision_making", "Authority", False),
    ("decision_rule", "Decisions", False),
    ("escalation", "If not agreed twice", False),
    ("chair_casting_vote", "Chair's casting vote", False),
    ("absent_partner_rule", "Absent partner", True),
    ("delegated_authority_rule", "Delegated authority", True),
    ("decision_scope", "What the board may decide", True),
    ("deputising_chair", "Deputising chair", True),
    ("minutes_deadline_days", "Minutes to authorised officers", False),
    ("meeting_frequency_months", "Meetings", False),
    ("extraordinary_notice_clear_days", "Extraordinary meetings", True),
    ("papers_working_days", "Agenda and papers", True),
    ("reconvene_within_days", "If inquorate", True),
    ("chair_arrangement", "Chair", False),
)
LABELS = dict((key, label) for key, label, _ in RULES)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _scope_words(s: BoardSettings) -> tuple[bool, str]:
    parts = []
    if s.decision_scope:
        kinds = [DECISION_KIND_WORDS.get(k, k) for k in s.decision_scope]
        parts.append("decisions limited to " + ", ".join(kinds))
    if s.risk_share_commitments_only:
        parts.append(
            "commitments only in accordance with the risk-sharing arrangements of "
            "the agreement"
        )
    if not parts:
        return False, "not limited by its terms"
    words = "; ".join(parts)
    return True, words[0].upper() + words[1:]


def setting_words(key: str, s: BoardSettings) -> tuple[bool, str]:
    """Whether the rule is applied, and the setting in words."""
    if key == "decision_making":
        if s.decision_making:
            return True, "Decision-making: holds delegated authority"
        return True, (
            "Advisory: holds no delegated authority; recommendations are agreed by "
            "consensus of every member present"
        )
    if key == "decision_rule":
        return True, {
            "unanimous": "Unanimous: every voting seat represented votes for; an "
            "abstention breaks unanimity",
            "majority": "A majority of the voting seats present",
            "consensus": "Consensus: carried unless a member present objects; "
            "abstentions do not block; not agreed, it goes to the next meeting",
        }.get(s.decision_rule, s.decision_rule)
    if key == "escalation":
        return True, {
            "dispute_resolution": "Referred to the next meeting, then the dispute "
            "resolution procedure of the agreement",
            "authorised_officers": "Referred to the next meeting, then the "
            "authorised officers, then dispute resolution",
        }.get(s.escalation, s.escalation)
    if key == "chair_casting_vote":
        if s.chair_casting_vote:
            return True, "The chair has a casting vote"
        return True, "The chair may vote but has no casting vote"
    if key == "absent_partner_rule":
        if s.absent_partner_rule:
            return True, (
                "No commitment may be made for a partner not present that gave no "
                "prior written position: the item is deferred"
            )
        return False, "Not applied"
    if key == "delegated_authority_rule":
        if s.delegated_authority_rule:
            return True, (
                "A matter beyond a member's delegated authority is deferred; a voting "
                "seat with no limit recorded has no authority"
            )
        return False, "Not applied"
    if key == "decision_scope":
        return _scope_words(s)
    if key == "deputising_chair":
        if s.deputising_chair:
            return True, "Another member may chair in the designated chair's absence"
        return False, "Not applied: the designated chair or an alternate chair chairs"
    if key == "minutes_deadline_days":
        return True, (
            f"Minutes of all decisions within {_plural(s.minutes_deadline_days, 'day')}"
            " of each meeting"
        )
    if key == "meeting_frequency_months":
        return True, f"Every {_plural(s.meeting_frequency_months, 'month')}"
    if key == "extraordinary_notice_clear_days":
        if s.extraordinary_notice_clear_days is None:
            return False, "Not applied"
        days = _plural(s.extraordinary_notice_clear_days, "clear day")
        working = " (working days)" if s.clear_days_working_only else ""
        return True, f"Called by a voting member with {days}' notice{working}"
    if key == "papers_working_days":
        if s.papers_working_days is None:
            return False, "Not applied: no papers deadline"
        return True, (
            f"Issued {_plural(s.papers_working_days, 'working day')} before the "
            "meeting unless the chair authorises later circulation"
        )
    if key == "reconvene_within_days":
        if s.reconvene_within_days is None:
            return False, "Not applied"
        return True, f"Reconvened within {_plural(s.reconvene_within_days, 'day')}"
    if key == "chair_arrangement":
        term = (
            f"; terms of {_plural(s.chair_term_months, 'month')}"
            if s.chair_term_months
            else ""
        )
        return True, f"{s.chair_arrangement_label}{term}"
    raise KeyError(key)


def relevant(key: str, s: BoardSettings) -> bool:
    """Rules that mean nothing for this board are not listed (an advisory board has
    no decision rule; a consensus board never escalates)."""
    decisions = ("decision_rule", "escalation", "chair_casting_vote")
    decisions += ("absent_partner_rule", "delegated_authority_rule", "decision_scope")
    if not s.decision_making and key in decisions:
        return False
    if key == "escalation" and s.decision_rule == "consensus":
        return False
    return True


def rule_rows(s: BoardSettings, sources: Mapping[str, Source]) -> list[RuleRow]:
    """The board's rules, each with its setting in words and its source."""
    rows = []
    for key, label, optional in RULES:
        if not relevant(key, s):
            continue
        applied, words = setting_words(key, s)
        rows.append(RuleRow(key, label, words, applied, optional, sources.get(key)))
    return rows
