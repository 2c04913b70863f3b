"""What a return line says about a scheme: forecast variance (£ and %), movement
since the last period, RAG status, and whether an action plan is required.
Pure: plain Decimals in, a dataclass out (SPEC s.6, Returns).

Sign: variance = forecast outturn - budget; positive is an overspend.

RAG thresholds (the spec is silent; chosen with the finance officers' habit of a
small tolerance before a scheme turns red):

- RED: the forecast exceeds the budget by more than 2% of the budget, or a scheme
  with no budget forecasts any spend;
- AMBER: an overspend of up to 2%, or an underspend of more than 5% (slippage that
  must be forecast properly, West Kent 4.1 "proper forecasting of underspends");
- GREEN: on budget, or under it by up to 5%.

An action plan is required whenever the forecast exceeds the budget (any overspend):
a return cannot be submitted without one.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RED_OVERSPEND_PERCENT = Decimal("2")
AMBER_UNDERSPEND_PERCENT = Decimal("5")
RED, AMBER, GREEN = "red", "amber", "green"
RAG_WORDS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}


@dataclass(frozen=True)
class LineFigures:
    budget: Decimal
    forecast_outturn: Decimal
    previous_forecast: Decimal | None = None


@dataclass(frozen=True)
class Derived:
    variance: Decimal
    variance_percent: Decimal | None
    movement: Decimal | None
    rag: str
    action_plan_required: bool

    @property
    def rag_label(self) -> str:
        return RAG_WORDS[self.rag]


def variance_percent(budget: Decimal, variance: Decimal) -> Decimal | None:
    if budget == 0:
        return None
    return (variance * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rag(budget: Decimal, forecast: Decimal) -> str:
    variance = forecast - budget
    if budget == 0:
        return RED if forecast > 0 else GREEN
    percent = variance * 100 / budget
    if percent > RED_OVERSPEND_PERCENT:
        return RED
    if variance > 0 or -percent > AMBER_UNDERSPEND_PERCENT:
        return AMBER
    return GREEN


def derive(figures: LineFigures) -> Derived:
    variance = figures.forecast_outturn - figures.budget
    movement = (
        None
        if figures.previous_forecast is None
        else figures.forecast_outturn - figures.previous_forecast
    )
    return Derived(
        variance=variance,
        variance_percent=variance_percent(figures.budget, variance),
        movement=movement,
        rag=rag(figures.budget, figures.forecast_outturn),
        action_plan_required=variance > 0,
    )
