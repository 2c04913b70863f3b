"""Does a return reconcile to the pool? Pure: Decimals in, a dataclass out.

Issue 16 / SPEC s.6: a return covers every active scheme of the fund (checked row by
row in ``imports.validate_rows``) and its totals are shown against the pool: the
sum of the lines' approved budgets against the partners' contributions. Where they
differ (a grant still "tbc", West Kent 3.3; money contributed but not yet given to
a scheme), the finance officer explains the difference before the return can be
submitted; the explanation goes to the pooled fund manager and the board with the
return.
"""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class Reconciliation:
    contributed: Decimal
    budgeted: Decimal
    forecast: Decimal
    actual: Decimal

    @property
    def difference(self) -> Decimal:
        """Budgets less contributions: positive means more budgeted than pooled."""
        return self.budgeted - self.contributed

    @property
    def balanced(self) -> bool:
        return self.difference == ZERO

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast - self.budgeted


def reconcile(
    *,
    contributed: Decimal,
    budgets: list[Decimal],
    forecasts: list[Decimal],
    actuals: list[Decimal],
) -> Reconciliation:
    return Reconciliation(
        contributed=contributed,
        budgeted=sum(budgets, ZERO),
        forecast=sum(forecasts, ZERO),
        actual=sum(actuals, ZERO),
    )


def submit_refusal(rec: Reconciliation, explanation: str) -> str | None:
    """Why a return may not be submitted yet, or None."""
    if rec.balanced or (explanation or "").strip():
        return None
    return (
        f"The return's budgets total £{rec.budgeted:,.2f} against £"
        f"{rec.contributed:,.2f} contributed to the pool (a difference of £"
        f"{rec.difference:,.2f}): explain the difference before submitting."
    )
