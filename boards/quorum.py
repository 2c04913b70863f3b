"""The quorum engine (SPEC s.3). Pure: dataclasses in, a result with reasons out; no
ORM, no clock.

Quorum is judged from who represents each seat at a moment: its holder present, or a
deputy attending who was notified before the meeting (SPEC s.1; who represents a seat
is decided by ``meetings.eligibility``, which the ballot asks too). A rule is data (``QuorumRuleData``); every board's terms
are expressed with the same fields:

- ``min_present``: seats represented, voting or not (Leicestershire IE: 6 members);
- ``min_voting_per_partner``: voting seats represented per partner (PMG 4.2: one);
- ``min_any_per_partner``: seats of any kind per partner (West Kent 3.2: two; IFPG: one);
- ``category_minimums``: seats of a category overall (IE: 1 clinical);
- ``per_partner_category_minimums``: seats of a category for each partner (JCG 9: a
  commissioning lead and a finance representative from each organisation);
- ``partner_kind_minimums``: seats of partners of a kind (IE: 1 provider, 1 County
  Council, 1 CCG);
- ``chair_required``: the chair (JCG 9), met by whoever chairs the meeting under the
  board's rules (the designated chair, an alternate chair, or a deputising chair
  where the terms allow one, JCG 7). With no chair recorded for the meeting, the
  designated chair in person; a deputy sitting for the chair's seat does not chair
  unless recorded as chairing.

Every unmet condition is reported, in words a secretary can read out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

KIND_WORDS = {
    "nhs_body": ("an NHS body", "NHS bodies"),
    "local_authority": ("a local authority", "local authorities"),
    "provider": ("a provider", "providers"),
    "other": ("another partner", "other partners"),
}


@dataclass(frozen=True)
class PartnerData:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class SeatPresence:
    """One seat at the moment quorum is judged."""

    seat_id: int
    partner_id: int
    voting: bool
    categories: frozenset[str] = frozenset()
    is_chair: bool = False
    represented: bool = False
    by_deputy: bool = False
    # Whoever sits in this seat chairs the meeting (recorded per meeting); None:
    # nobody is recorded, so the designated chair chairs in person.
    chairing: bool | None = None

    @property
    def chairs(self) -> bool:
        if self.chairing is not None:
            return self.chairing
        return self.is_chair and not self.by_deputy


@dataclass(frozen=True)
class QuorumRuleData:
    business_type: str = "routine"
    min_present: int = 0
    min_voting_per_partner: int = 0
    min_any_per_partner: int = 0
    category_minimums: Mapping[str, int] = field(default_factory=dict)
    per_partner_category_minimums: Mapping[str, int] = field(default_factory=dict)
    partner_kind_minimums: Mapping[str, int] = field(default_factory=dict)
    chair_required: bool = False


@dataclass(frozen=True)
class QuorumResult:
    quorate: bool
    unmet: tuple[str, ...]
    present: int
    business_type: str

    def as_dict(self) -> dict:
        return {
            "quorate": self.quorate,
            "unmet": list(self.unmet),
            "present": self.present,
            "business_type": self.business_type,
        }


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _category_words(category: str) -> str:
    return category.replace("_", " ")


def evaluate(
    rule: QuorumRuleData,
    partners: Iterable[PartnerData],
    seats: Iterable[SeatPresence],
) -> QuorumResult:
    """Judge quorum for ``rule`` given the board's partners and each seat's presence.

    Returns every unmet condition; quorate only when there are none.
    """
    partners = list(partners)
    present = [s for s in seats if s.represented]
    kind_of = {p.id: p.kind for p in partners}
    unmet: list[str] = []

    if len(present) < rule.min_present:
        unmet.append(
            f"{_plural(rule.min_present, 'member')} must be present; "
            f"{len(present)} {'is' if len(present) == 1 else 'are'}"
        )

    for partner in partners:
        mine = [s for s in present if s.partner_id == partner.id]
        voting = sum(1 for s in mine if s.voting)
        if voting < rule.min_voting_per_partner:
            unmet.append(
                _short_by(
                    rule.min_voting_per_partner,
                    voting,
                    "voting representative",
                    partner.name,
                )
            )
        if len(mine) < rule.min_any_per_partner:
            unmet.append(
                _short_by(
                    rule.min_any_per_partner, len(mine), "representative", partner.name
                )
            )
        for category, needed in sorted(rule.per_partner_category_minimums.items()):
            have = sum(1 for s in mine if category in s.categories)
            if have < needed:
                unmet.append(
                    _short_by(
                        needed,
                        have,
                        f"{_category_words(category)} representative",
                        partner.name,
                    )
                )

    for category, needed in sorted(rule.category_minimums.items()):
        have = sum(1 for s in present if category in s.categories)
        if have < needed:
            unmet.append(
                f"at least {_plural(needed, _category_words(category) + ' member')} "
                f"must be present; {have} {'is' if have == 1 else 'are'}"
            )

    for kind, needed in sorted(rule.partner_kind_minimums.items()):
        have = sum(1 for s in present if kind_of.get(s.partner_id) == kind)
        if have < needed:
            one, many = KIND_WORDS.get(kind, (f"a {kind}", f"{kind}s"))
            unmet.append(
                f"at least {needed} member{'s' if needed != 1 else ''} from "
                f"{one if needed == 1 else many} must be present; {have} "
                f"{'is' if have == 1 else 'are'}"
            )

    if rule.chair_required and not any(s.chairs for s in present):
        unmet.append("the chair must be present")

    return QuorumResult(
        quorate=not unmet,
        unmet=tuple(unmet),
        present=len(present),
        business_type=rule.business_type,
    )


def _short_by(needed: int, have: int, what: str, partner: str) -> str:
    """ "no voting representative of NHS Portsmouth CCG present" and the like."""
    if have == 0:
        if needed == 1:
            return f"no {what} of {partner} present"
        return f"no {what}s of {partner} present ({needed} needed)"
    return f"only {_plural(have, what)} of {partner} present ({needed} needed)"


def describe(rule: QuorumRuleData) -> list[str]:
    """The rule in words, one line a condition, for the board's constitution page."""
    lines = []
    if rule.min_present:
        lines.append(f"At least {_plural(rule.min_present, 'member')} present.")
    if rule.min_voting_per_partner:
        lines.append(
            f"At least {_plural(rule.min_voting_per_partner, 'voting representative')} "
            "from each partner (a notified deputy counts)."
        )
    if rule.min_any_per_partner:
        lines.append(
            f"At least {_plural(rule.min_any_per_partner, 'representative')} from each partner."
        )
    for category, n in sorted(rule.category_minimums.items()):
        lines.append(
            f"At least {_plural(n, _category_words(category) + ' member')} present."
        )
    for category, n in sorted(rule.per_partner_category_minimums.items()):
        lines.append(
            f"At least {_plural(n, _category_words(category) + ' representative')} "
            "from each partner."
        )
    for kind, n in sorted(rule.partner_kind_minimums.items()):
        one, many = KIND_WORDS.get(kind, (f"a {kind}", f"{kind}s"))
        lines.append(
            f"At least {n} member{'s' if n != 1 else ''} from {one if n == 1 else many}."
        )
    if rule.chair_required:
        lines.append("The chair present.")
    return lines or ["No quorum conditions."]
