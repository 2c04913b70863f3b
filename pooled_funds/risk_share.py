"""Risk share: who bears each over- and underspend. Pure: dataclasses in and out.

Rules (Portsmouth cabinet report 7.2; West Kent 4.1 and Schedule 3):

- "Over or underspends in schemes will be borne by the Partner responsible for that
  scheme. Over and underspends will NOT be pooled by Partners" (West Kent Sched. 3):
  each scheme's forecast variance falls on the partner that leads it;
- no cross-subsidy: one partner's underspend never offsets another partner's
  overspend, and a partner's figures depend only on the schemes it leads;
- "agreed underspends can - subject to partners agreeing they should not be used in
  respect of other functions in the commissioning scheme - be returned to the
  partner who made the contribution" (Portsmouth cabinet report 7.2): a scheme's
  underspend belongs to the partners who contributed to that scheme, shared in
  proportion to their contributions to it (to the pence, any odd pence to the
  largest contributor); a scheme with no contribution of its own is funded by its
  lead partner, who then holds its underspend. It goes back only once the board
  agrees (a decision on money, ``services/decisions.py``) and never out of a
  ring-fenced stream (``ring_fence.py``).

Each partner gets its gross overspend and gross underspend (both positive amounts)
and the net (overspend - underspend): within one partner, its own underspends may
be set against its own overspends, never across partners.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal("0")
PENCE = Decimal("0.01")


@dataclass(frozen=True)
class SchemeForecast:
    scheme: str
    lead_partner: str
    budget: Decimal
    forecast_outturn: Decimal


@dataclass(frozen=True)
class PartnerShare:
    partner: str
    overspend: Decimal
    underspend: Decimal
    schemes_overspent: tuple[str, ...] = ()

    @property
    def net(self) -> Decimal:
        return self.overspend - self.underspend


@dataclass(frozen=True)
class SchemeContribution:
    """Money a partner put into one scheme."""

    scheme: str
    partner: str
    amount: Decimal


def underspend_owners(
    line: SchemeForecast, contributions: Iterable[SchemeContribution] = ()
) -> dict[str, Decimal]:
    """Who a scheme's underspend belongs to: its contributors pro rata, or its lead
    partner when nobody contributed to the scheme itself. Empty when not underspent."""
    underspend = line.budget - line.forecast_outturn
    if underspend <= 0:
        return {}
    mine: dict[str, Decimal] = {}
    for c in contributions:
        if c.scheme == line.scheme and c.amount > 0:
            mine[c.partner] = mine.get(c.partner, ZERO) + c.amount
    total = sum(mine.values(), ZERO)
    if total <= 0:
        return {line.lead_partner: underspend}
    shares = {
        p: (underspend * amount / total).quantize(PENCE, rounding=ROUND_DOWN)
        for p, amount in mine.items()
    }
    largest = max(mine, key=lambda p: (mine[p], p))
    shares[largest] += underspend - sum(shares.values(), ZERO)
    return shares


def risk_share(
    forecasts: Iterable[SchemeForecast],
    partners: Iterable[str] = (),
    contributions: Iterable[SchemeContribution] = (),
) -> list[PartnerShare]:
    """Each partner's overspend (on the schemes it leads) and underspend (on the
    schemes it contributed to, ``underspend_owners``) for the period, in the order
    the partners are first named (``partners`` first, so a partner leading no
    scheme, or none with a variance, still appears with nil)."""
    contributions = list(contributions)
    over: dict[str, Decimal] = {p: ZERO for p in partners}
    under: dict[str, Decimal] = {p: ZERO for p in over}
    overspent: dict[str, list[str]] = {p: [] for p in over}

    def name(partner):
        over.setdefault(partner, ZERO)
        under.setdefault(partner, ZERO)
        overspent.setdefault(partner, [])

    for line in forecasts:
        name(line.lead_partner)
        variance = line.forecast_outturn - line.budget
        if variance > 0:
            over[line.lead_partner] += variance
            overspent[line.lead_partner].append(line.scheme)
        for partner, amount in underspend_owners(line, contributions).items():
            name(partner)
            under[partner] += amount
    return [
        PartnerShare(
            partner=p,
            overspend=over[p],
            underspend=under[p],
            schemes_overspent=tuple(overspent[p]),
        )
        for p in over
    ]
