"""The performance payment, calculated quarterly. Pure.

West Kent 4.1: "a £2.229m performance payment linked to achievement of the 3.5%
target reduction in emergency admissions that will be calculated quarterly with no
cross subsidy across CCG's for under-performance. Amounts reflecting
under-performance will be retained by CCG's".

Rule chosen where the text is silent: a quarter's share is a quarter of the payment.
The reduction achieved in a quarter is (baseline - actual) / baseline. The share is
released in proportion to the reduction achieved against the target (none for no
reduction or a rise, all of it at or beyond the target); the rest is retained by the
partner named on the payment (the CCG). A quarter without an actual figure is
"data not available": nothing is released or retained yet.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENCE = Decimal("0.01")
QUARTERS = 4


@dataclass(frozen=True)
class QuarterResult:
    period: str
    actual: Decimal | None
    reduction_percent: Decimal | None
    released: Decimal | None
    retained: Decimal | None

    @property
    def status(self) -> str:
        if self.actual is None:
            return "data not available"
        return "achieved" if self.retained == 0 else "not achieved"


def quarter_result(
    *,
    period: str,
    amount: Decimal,
    baseline: Decimal,
    target_reduction_percent: Decimal,
    actual: Decimal | None,
) -> QuarterResult:
    share = (amount / QUARTERS).quantize(PENCE, rounding=ROUND_HALF_UP)
    if actual is None or baseline <= 0:
        return QuarterResult(period, actual, None, None, None)
    # Reductions are reported to 0.01 percentage points, and judged as reported.
    reduction = ((baseline - actual) * 100 / baseline).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    if target_reduction_percent <= 0:
        fraction = Decimal("1")
    else:
        fraction = min(
            Decimal("1"), max(Decimal("0"), reduction / target_reduction_percent)
        )
    released = (share * fraction).quantize(PENCE, rounding=ROUND_HALF_UP)
    return QuarterResult(
        period=period,
        actual=actual,
        reduction_percent=reduction,
        released=released,
        retained=share - released,
    )


def metric_status(
    *, planned: Decimal, actual: Decimal | None, lower_is_better: bool
) -> str:
    """BCF metric status: achieved, not achieved, or data not available."""
    if actual is None:
        return "data not available"
    met = actual <= planned if lower_is_better else actual >= planned
    return "achieved" if met else "not achieved"
