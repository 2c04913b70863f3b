"""Compliance gaps in a board's constitution (SPEC s.1). Pure: no ORM, no clock.

A gap is something the terms of reference require that the constitution lacks:

- a voting seat without a deputy: "Voting members are required to appoint a deputy who
  has delegated authority to act on their behalf and exercise their voting rights"
  (Portsmouth PMG ToR 1.1);
- a deputy not notified: the deputy counts and votes only if "notified to the Partners
  in advance of any meeting" (Leicestershire IFPG);
- a seat without a holder (a vacant post, e.g. West Kent SLG "tbc");
- terms of reference past their review date (Portsmouth: at least every three years),
  or none recorded;
- no chair in office today;
- a decision-making board without a quorum rule for routine business;
- terms of reference with no approval recorded (Portsmouth PMG: "Current Version
  approved on: TBC");
- on a board whose terms carry the delegated-authority rule (Portsmouth PMG ToR 5.2),
  a voting seat with no limit recorded: it has no recorded authority, never unlimited
  authority (SPEC s.4);
- a rule applied with no source recorded (SPEC s.1: every rule shows where it comes
  from, or that it is local practice).
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SeatFacts:
    id: int
    title: str
    partner: str
    voting: bool
    has_holder: bool
    has_deputy: bool
    deputy_notified: bool
    has_limit: bool = True


@dataclass(frozen=True)
class Gap:
    kind: str
    text: str
    seat_id: int | None = None


def gaps(
    *,
    seats: list[SeatFacts],
    terms_review_due: date | None,
    has_chair: bool,
    decision_making: bool,
    has_routine_quorum_rule: bool,
    today: date,
    terms_approved: bool = True,
    delegated_authority_rule: bool = False,
    unsourced_rules: tuple[str, ...] = (),
) -> list[Gap]:
    found: list[Gap] = []
    for seat in seats:
        name = f"{seat.title} ({seat.partner})"
        if not seat.has_holder:
            found.append(Gap("vacant", f"{name} has no holder", seat.id))
        if seat.voting and not seat.has_deputy:
            found.append(Gap("no_deputy", f"voting seat {name} has no deputy", seat.id))
        elif seat.voting and not seat.deputy_notified:
            found.append(
                Gap(
                    "deputy_not_notified",
                    f"the deputy for {name} was not notified",
                    seat.id,
                )
            )
        if delegated_authority_rule and seat.voting and not seat.has_limit:
            found.append(
                Gap(
                    "no_authority",
                    f"voting seat {name} has no delegated authority recorded: a "
                    "motion with a financial value is deferred",
                    seat.id,
                )
            )
    if terms_review_due is None:
        found.append(Gap("no_terms", "no terms of reference recorded"))
    elif terms_review_due < today:
        found.append(
            Gap(
                "terms_past_review",
                f"terms of reference were due for review on "
                f"{terms_review_due.day} {terms_review_due:%B %Y}",
            )
        )
    if terms_review_due is not None and not terms_approved:
        found.append(
            Gap(
                "terms_not_approved",
                "the terms of reference in force record no approval (approved on: "
                "not recorded)",
            )
        )
    if not has_chair:
        found.append(Gap("no_chair", "no chair in office"))
    if decision_making and not has_routine_quorum_rule:
        found.append(Gap("no_quorum_rule", "no quorum rule for routine business"))
    for rule in unsourced_rules:
        found.append(
            Gap(
                "rule_without_source",
                f"{rule} is applied, but no source is recorded: cite the terms or "
                "record it as local practice",
            )
        )
    return found
