"""Risk share: who bears each over- and underspend. Pure: dataclasses in and out.

Rules (Portsmouth cabinet report 7.2; West Kent 4.1 and Schedule 3):

- "Over or underspends in schemes will be borne by the Partner responsible for that
  scheme. Over and underspends will NOT be pooled by Partners" (West Kent Sched. 3):
  each scheme's forecast variance falls on the partner that leads it;
- no cross-subsidy: one partner's underspend never offsets another partner's
  overspend, and a partner's figures depend only on the schemes it leads;
- "agreed underspends can ... be returned to the partner who made the contribution"
  (Portsmouth 7.2): the underspend of a scheme is reported against its lead partner,
  the partner that funds it.

Each partner gets its gross overspend and gross underspend (both positive amounts)
and the net (overspend - underspend): within one partner, its own underspends may
be set against its own overspends, never across partners.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


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


def risk_share(
    forecasts: Iterable[SchemeForecast], partners: Iterable[str] = ()
) -> list[PartnerShare]:
    """Each partner's overspend and underspend for the period, in the order the
    partners are first named (``partners`` first, so a partner leading no scheme, or
    none with a variance, still appears with nil)."""
    over: dict[str, Decimal] = {p: ZERO for p in partners}
    under: dict[str, Decimal] = {p: ZERO for p in over}
    overspent: dict[str, list[str]] = {p: [] for p in over}
    for line in forecasts:
        over.setdefault(line.lead_partner, ZERO)
        under.setdefault(line.lead_partner, ZERO)
        overspent.setdefault(line.lead_partner, [])
        variance = line.forecast_outturn - line.budget
        if variance > 0:
            over[line.lead_partner] += variance
            overspent[line.lead_partner].append(line.scheme)
        elif variance < 0:
            under[line.lead_partner] -= variance
    return [
        PartnerShare(
            partner=p,
            overspend=over[p],
            underspend=under[p],
            schemes_overspent=tuple(overspent[p]),
        )
        for p in over
    ]
