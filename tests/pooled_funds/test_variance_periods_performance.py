"""Derived figures on a return line (variance, movement, RAG, action plan), the
period labels, and the performance payment (SPEC s.6; West Kent 4.1)."""

from datetime import date
from decimal import Decimal

import pytest

from pooled_funds import periods
from pooled_funds.performance import metric_status, quarter_result
from pooled_funds.variance import LineFigures, derive

D = Decimal


@pytest.mark.parametrize(
    "budget, forecast, rag, pct, plan",
    [
        ("100000", "100000", "green", "0.0", False),
        ("100000", "96000", "green", "-4.0", False),
        ("100000", "94000", "amber", "-6.0", False),  # slippage over 5%
        ("100000", "101000", "amber", "1.0", True),  # small overspend
        ("100000", "102000", "amber", "2.0", True),  # 2% is still amber
        ("100000", "102001", "red", "2.0", True),
        ("0", "0", "green", None, False),  # no direct funding, no spend
        ("0", "10", "red", None, True),  # no direct funding, spending
    ],
)
def test_rag_status_and_action_plan_required_on_overspend(
    budget, forecast, rag, pct, plan
):
    """RAG thresholds: red over 2% overspend, amber up to 2% or >5% underspend;
    an action plan is required whenever the forecast exceeds the budget."""
    derived = derive(LineFigures(D(budget), D(forecast)))
    assert derived.rag == rag
    assert derived.variance == D(forecast) - D(budget)
    assert derived.variance_percent == (D(pct) if pct else None)
    assert derived.action_plan_required is plan


def test_movement_since_last_period():
    """Movement is this forecast minus last period's forecast; none for the first."""
    assert derive(LineFigures(D(10), D(12), D(15))).movement == D(-3)
    assert derive(LineFigures(D(10), D(12))).movement is None


@pytest.mark.parametrize(
    "label, frequency, ok",
    [
        ("2015-Q1", "quarterly", True),
        ("2015-Q4", "quarterly", True),
        ("2016-Q1", "quarterly", False),  # another financial year
        ("2015-Q5", "quarterly", False),
        ("2015-06", "quarterly", False),  # a month for a quarterly fund
        ("2015-06", "monthly", True),
        ("2016-03", "monthly", True),
        ("2015-03", "monthly", False),  # March 2015 is in 2014/15
        ("2015-Q1", "monthly", False),
        ("June 2015", "monthly", False),
    ],
)
def test_period_label_must_match_the_funds_frequency_and_year(label, frequency, ok):
    """A period is "YYYY-Qn" (financial quarter) or "YYYY-MM" inside the fund's year."""
    if ok:
        assert (
            periods.validate(label, frequency=frequency, financial_year=2015) == label
        )
    else:
        with pytest.raises(periods.PeriodError):
            periods.validate(label, frequency=frequency, financial_year=2015)


def test_period_bounds_due_dates_and_words():
    """Q1 2015/16 is April-June 2015, due on the due day of July; Q4 ends March 2016."""
    assert periods.bounds("2015-Q1") == (date(2015, 4, 1), date(2015, 6, 30))
    assert periods.bounds("2015-Q4") == (date(2016, 1, 1), date(2016, 3, 31))
    assert periods.due_date("2015-Q1", 15) == date(2015, 7, 15)
    assert periods.due_date("2015-12", 10) == date(2016, 1, 10)
    assert periods.describe("2015-Q4") == "Q4 2015/16 (January to March 2016)"
    assert periods.previous("2015-Q2", "quarterly", 2015) == "2015-Q1"
    assert periods.previous("2015-Q1", "quarterly", 2015) is None
    assert periods.current("quarterly", 2015, date(2015, 8, 1)) == "2015-Q1"
    assert len(periods.labels("monthly", 2015)) == 12


@pytest.mark.parametrize(
    "actual, released, retained, status",
    [
        ("9049", "557250.00", "0.00", "achieved"),  # exactly the 3.5% target
        ("8900", "557250.00", "0.00", "achieved"),  # beyond the target
        ("9377.20", "0.00", "557250.00", "not achieved"),  # no reduction
        ("9500", "0.00", "557250.00", "not achieved"),  # admissions rose
        (None, None, None, "data not available"),
    ],
)
def test_performance_payment_is_calculated_quarterly_and_retained_by_ccg(
    actual, released, retained, status
):
    """West Kent 4.1: £2.229m for a 3.5% reduction, a quarter each quarter; the
    amount for under-performance is retained."""
    result = quarter_result(
        period="2015-Q1",
        amount=D("2229000"),
        baseline=D("9377.20"),
        target_reduction_percent=D("3.5"),
        actual=None if actual is None else D(actual),
    )
    assert result.released == (D(released) if released else None)
    assert result.retained == (D(retained) if retained else None)
    assert result.status == status


def test_half_the_target_releases_half_the_quarter():
    """Under-performance is proportional: half the reduction, half the share."""
    result = quarter_result(
        period="2015-Q2",
        amount=D("400"),
        baseline=D("1000"),
        target_reduction_percent=D("4"),
        actual=D("980"),
    )
    assert (result.released, result.retained) == (D("50.00"), D("50.00"))


def test_metric_status_planned_vs_actual():
    """Metrics: achieved, not achieved, or data not available."""
    assert (
        metric_status(planned=D(443.1), actual=D(430), lower_is_better=True)
        == "achieved"
    )
    assert (
        metric_status(planned=D("88.3"), actual=D(85), lower_is_better=False)
        == "not achieved"
    )
    assert (
        metric_status(planned=D(1), actual=None, lower_is_better=True)
        == "data not available"
    )
