"""Reads shaped for one page or endpoint. Query counts do not grow with the number
of schemes, lines, returns or metrics (tests pin them)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils.safestring import mark_safe

from meetings.scheduling import ReportingCycle

from . import charts, periods
from .models import (
    Contribution,
    FundDecision,
    Metric,
    MetricActual,
    PooledFund,
    Return,
    ReturnLine,
    ReturnStatus,
    Scheme,
)
from .performance import metric_status, quarter_result
from .risk_share import PartnerShare, SchemeContribution, SchemeForecast, risk_share
from .variance import Derived, LineFigures, derive

ZERO = Decimal("0")


@dataclass(frozen=True)
class LineView:
    line: ReturnLine
    derived: Derived
    previous_forecast: Decimal | None


def last_approved_before(ret: Return) -> Return | None:
    """The fund's latest approved return for an earlier period: movement is
    measured against what the pooled fund manager approved, never against a draft
    or a return sent back. One query."""
    order = {label: i for i, label in enumerate(ret.fund.period_labels())}
    earlier = [
        r
        for r in Return.objects.filter(
            fund_id=ret.fund_id, status=ReturnStatus.APPROVED
        ).only("id", "period")
        if order.get(r.period, -1) < order.get(ret.period, -1)
    ]
    return max(earlier, key=lambda r: order[r.period], default=None)


def return_lines(ret: Return) -> list[LineView]:
    """The return's lines with variance (against the approved budget), movement
    since the last approved return, RAG and action plan flag. Three queries."""
    lines = list(
        ReturnLine.objects.filter(ret=ret).select_related("scheme__lead_partner")
    )
    before = last_approved_before(ret)
    previous = {}
    if before:
        previous = dict(
            ReturnLine.objects.filter(ret_id=before.pk).values_list(
                "scheme_id", "forecast_outturn"
            )
        )
    return _line_views(lines, previous)


def _line_views(lines, previous: dict) -> list[LineView]:
    views = []
    for line in lines:
        prior = previous.get(line.scheme_id)
        views.append(
            LineView(
                line=line,
                derived=derive(LineFigures(line.budget, line.forecast_outturn, prior)),
                previous_forecast=prior,
            )
        )
    return views


def totals(views: list[LineView]) -> dict[str, Decimal]:
    sums = {
        key: sum((getattr(v.line, key) for v in views), ZERO)
        for key in ("original_budget", "budget", "actual_to_date", "forecast_outturn")
    }
    sums["variance"] = sums["forecast_outturn"] - sums["budget"]
    return sums


@dataclass(frozen=True)
class ShareRow:
    partner_id: int
    partner: str
    share: PartnerShare


def fund_partners(fund: PooledFund) -> list[tuple[int, str]]:
    """Partners contributing to the fund or leading one of its schemes. One query."""
    from boards.models import Partner

    return list(
        Partner.objects.filter(
            Q(id__in=Contribution.objects.filter(fund=fund).values("partner_id"))
            | Q(id__in=Scheme.objects.filter(fund=fund).values("lead_partner_id"))
        )
        .order_by("name")
        .values_list("id", "name")
    )


def risk_share_rows(fund: PooledFund, views: list[LineView]) -> list[ShareRow]:
    """Each partner's overspend and underspend in a return (``risk_share``)."""
    given = Contribution.objects.filter(fund=fund, scheme__isnull=False).values_list(
        "scheme__reference", "partner_id", "amount"
    )
    return _share_rows(fund_partners(fund), views, list(given))


def _share_rows(partners: list[tuple[int, str]], views: list[LineView], given):
    """``risk_share_rows`` from the fund's partners and its contributions by scheme
    ((scheme reference, partner id, amount)), already read."""
    names = dict(partners)
    shares = risk_share(
        [
            SchemeForecast(
                scheme=v.line.scheme.reference,
                lead_partner=v.line.scheme.lead_partner_id,
                budget=v.line.budget,
                forecast_outturn=v.line.forecast_outturn,
            )
            for v in views
        ],
        partners=[pid for pid, _ in partners],
        contributions=[SchemeContribution(*row) for row in given],
    )
    for v in views:
        names.setdefault(v.line.scheme.lead_partner_id, str(v.line.scheme.lead_partner))
    return [ShareRow(s.partner, names[s.partner], s) for s in shares]


def return_for_period(fund: PooledFund, period: str | None) -> Return | None:
    """The return for a period; without a period, the latest approved return, or
    failing that the latest of any status."""
    returns = Return.objects.filter(fund=fund)
    if period:
        return returns.filter(period=period).first()
    return (
        returns.filter(status=ReturnStatus.APPROVED).order_by("-period").first()
        or returns.order_by("-period").first()
    )


def reconciliation(
    fund: PooledFund, contributions: list[Contribution], schemes
) -> dict:
    """Contributions must equal the pooled total; scheme budgets are compared too.
    A mismatch is shown, never hidden."""
    contributed = sum((c.amount for c in contributions), ZERO)
    budgeted = sum((s.budget for s in schemes), ZERO)
    return {
        "pooled_total": fund.pooled_total,
        "contributed": contributed,
        "budgeted": budgeted,
        "contributions_difference": contributed - fund.pooled_total,
        "budgets_difference": budgeted - fund.pooled_total,
        "balanced": contributed == fund.pooled_total,
        "budgets_balanced": budgeted == fund.pooled_total,
    }


def variance_series(fund: PooledFund) -> list[tuple[str, Decimal]]:
    """Fund forecast variance per period, from every return. One query."""
    rows = (
        ReturnLine.objects.filter(ret__fund=fund)
        .values("ret__period")
        .annotate(budget=Sum("budget"), forecast=Sum("forecast_outturn"))
        .order_by("ret__period")
    )
    order = {label: i for i, label in enumerate(fund.period_labels())}
    points = [(r["ret__period"], r["forecast"] - r["budget"]) for r in rows]
    return sorted(points, key=lambda p: order.get(p[0], 99))


def metrics_view(fund: PooledFund) -> list[dict]:
    """Metrics planned vs latest actual with status. One query (with prefetch: two)."""
    metrics = Metric.objects.filter(fund=fund).prefetch_related(
        Prefetch("actuals", queryset=MetricActual.objects.order_by("period"))
    )
    return [_metric_row(metric) for metric in metrics]


def _metric_row(metric: Metric) -> dict:
    actuals = list(metric.actuals.all())
    latest = actuals[-1] if actuals else None
    actual = latest.actual if latest else None
    return {
        "metric": metric,
        "actuals": actuals,
        "latest_period": latest.period if latest else "",
        "actual": actual,
        "status": metric_status(
            planned=metric.planned,
            actual=actual,
            lower_is_better=metric.lower_is_better,
        ),
    }


def performance_view(fund: PooledFund, metrics: list[dict]) -> dict | None:
    """The performance payment, quarter by quarter (``performance.py``)."""
    payment = getattr(fund, "performance_payment", None)
    if payment is None:
        return None
    actuals = {}
    for row in metrics:
        if row["metric"].pk == payment.metric_id:
            actuals = {a.period: a.actual for a in row["actuals"]}
    quarters = [
        quarter_result(
            period=label,
            amount=payment.amount,
            baseline=payment.baseline,
            target_reduction_percent=payment.target_reduction_percent,
            actual=actuals.get(label),
        )
        for label in periods.labels("quarterly", fund.financial_year)
    ]
    return {
        "payment": payment,
        "quarters": quarters,
        "released": sum((q.released or ZERO for q in quarters), ZERO),
        "retained": sum((q.retained or ZERO for q in quarters), ZERO),
    }


def fund_charts(fund, views: list[LineView], series, metrics) -> dict:
    return {
        "budget_vs_forecast": mark_safe(  # noqa: S308 - built by charts.py, escaped
            charts.budget_vs_forecast(
                [
                    charts.SchemeBar(
                        v.line.scheme.reference,
                        v.line.budget,
                        v.line.forecast_outturn,
                        sublabel=v.line.scheme.name,
                    )
                    for v in views
                ],
                title=f"{fund}: budget and forecast outturn per scheme",
            )
        ),
        "variance_trend": mark_safe(  # noqa: S308 - built by charts.py, escaped
            charts.variance_trend(series, title=f"{fund}: forecast variance by period")
        ),
        "metrics": mark_safe(  # noqa: S308 - built by charts.py, escaped
            charts.metrics_against_plan(
                [
                    charts.MetricBar(
                        m["metric"].name, m["metric"].planned, m["actual"], m["status"]
                    )
                    for m in metrics
                ],
                title=f"{fund}: metrics against plan",
            )
        ),
    }


def contributions_by(contributions: list[Contribution]) -> list[tuple[str, list]]:
    """Contributions summed by partner, funding stream, scheme and locality."""

    def group(key) -> list[tuple[str, Decimal]]:
        sums: dict[str, Decimal] = {}
        for c in contributions:
            sums[key(c)] = sums.get(key(c), ZERO) + c.amount
        return sorted(sums.items())

    if not contributions:
        return []
    return [
        ("partner", group(lambda c: c.partner.name)),
        ("funding stream", group(lambda c: c.get_stream_display())),
        ("scheme", group(lambda c: c.scheme.reference if c.scheme else "Pool")),
        ("locality", group(lambda c: c.locality or "Whole area")),
    ]


def _latest_pending(returns: list[Return]) -> list[Return]:
    """The latest approved return, if its paper waits for a meeting (earlier ones
    are superseded: ``returns_place_pending_papers``)."""
    order = {}
    approved = [r for r in returns if r.status == ReturnStatus.APPROVED]
    if not approved:
        return []
    order = {label: i for i, label in enumerate(approved[0].fund.period_labels())}
    latest = max(approved, key=lambda r: order.get(r.period, -1))
    return [latest] if latest.paper_pending else []


def fund_overview(fund: PooledFund, *, period: str | None = None) -> dict:
    """Everything the fund page shows."""
    contributions = list(
        Contribution.objects.filter(fund=fund).select_related("partner", "scheme")
    )
    schemes = list(Scheme.objects.filter(fund=fund).select_related("lead_partner"))
    returns = list(
        Return.objects.filter(fund=fund).select_related(
            "submitted_by", "decided_by", "agenda_item__meeting"
        )
    )
    ret = return_for_period(fund, period)
    views = return_lines(ret) if ret else []
    metrics = metrics_view(fund)
    series = variance_series(fund)
    decisions = list(
        FundDecision.objects.filter(fund=fund).select_related(
            "from_scheme", "to_scheme", "motion__item__meeting", "recorded_by"
        )
    )
    by_period = {r.period: r for r in returns}
    return {
        "fund": fund,
        "contributions": contributions,
        "contributions_by": contributions_by(contributions),
        "schemes": schemes,
        "reconciliation": reconciliation(fund, contributions, schemes),
        "returns": returns,
        "periods": [
            {
                "label": label,
                "words": periods.describe(label),
                "due": periods.due_date(label, fund.due_day),
                "ret": by_period.get(label),
            }
            for label in fund.period_labels()
        ],
        "selected_return": ret,
        "lines": views,
        "totals": totals(views),
        "shares": risk_share_rows(fund, views) if ret else [],
        "metrics": metrics,
        "performance": performance_view(fund, metrics),
        "series": series,
        "charts": fund_charts(fund, views, series, metrics),
        "decisions": decisions,
        "pending_papers": _latest_pending(returns),
    }


def funds_list(user):
    from .permissions import funds_for_user

    return (
        funds_for_user(user)
        .select_related("agreement", "host_partner")
        .annotate(contributed=Sum("contributions__amount"))
        .order_by("-financial_year", "name", "pk")
    )


TO_APPROVE = "to_approve"
GROUP_WORDS = {
    TO_APPROVE: "Returns waiting for your approval",
    periods.OVERDUE: "Overdue returns",
    periods.DUE: "Returns due",
    periods.SENT_BACK: "Returns sent back for changes",
    periods.AWAITING_APPROVAL: "Submitted, awaiting the manager's approval",
}


@dataclass(frozen=True)
class DashboardEntry:
    fund: PooledFund
    state: periods.PeriodState
    ret: Return | None
    url: str


def dashboard_panels(user, *, today=None) -> list[dict]:
    """The returns panel for finance officers and pooled fund managers: every
    period of their funds that is due, overdue, sent back or awaiting approval
    (``periods.return_states``, the same states the reminders are sent on), each
    with a link to act on it. Three queries whatever the number of funds."""
    from django.urls import reverse
    from django.utils import timezone

    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    funds = list(
        PooledFund.objects.filter(Q(manager=user) | Q(finance_officers=user))
        .distinct()
        .order_by("name")
    )
    if not funds:
        return []
    officer_of = set(
        PooledFund.objects.filter(finance_officers=user).values_list("pk", flat=True)
    )
    returns = {
        (r.fund_id, r.period): r
        for r in Return.objects.filter(fund__in=funds).only(
            "id", "fund_id", "period", "status", "submitted_by_id"
        )
    }
    groups: dict[str, list[DashboardEntry]] = {
        TO_APPROVE: [],
        periods.OVERDUE: [],
        periods.DUE: [],
        periods.SENT_BACK: [],
        periods.AWAITING_APPROVAL: [],
    }
    for fund in funds:
        statuses = {p: r.status for (f, p), r in returns.items() if f == fund.pk}
        for state in periods.return_states(
            frequency=fund.frequency,
            financial_year=fund.financial_year,
            due_day=fund.due_day,
            statuses=statuses,
            today=today,
        ):
            ret = returns.get((fund.pk, state.period))
            is_officer = fund.pk in officer_of
            is_manager = fund.manager_id == user.pk
            if state.state in (periods.DUE, periods.OVERDUE):
                url = (
                    reverse("pooled_funds:return_enter", args=[fund.pk])
                    + f"?period={state.period}"
                    if is_officer
                    else fund.get_absolute_url() + f"?period={state.period}"
                )
            else:
                url = ret.get_absolute_url()
            key = state.state
            if (
                key == periods.AWAITING_APPROVAL
                and is_manager
                and ret.submitted_by_id != user.pk
            ):
                # The service refuses approving one's own submission; don't offer it.
                key = TO_APPROVE
            groups[key].append(DashboardEntry(fund, state, ret, url))
    if not any(groups.values()):
        return []
    return [
        {
            "title": "Pooled fund returns",
            "template": "pooled_funds/partials/dashboard_panel.html",
            "groups": [
                (GROUP_WORDS[key], key, entries)
                for key, entries in groups.items()
                if entries
            ],
            "to_approve": [e.ret for e in groups[TO_APPROVE]],
            "today": today,
        }
    ]


def board_fund_panels(board) -> list[dict]:
    """For a board page: each fund the board oversees, with each partner's risk
    share in its latest approved return and the charts (include
    ``pooled_funds/partials/board_funds.html`` as ``section.fund_panels``).

    Every fund's panel from the same nine queries (funds, returns, lines, the
    last approved earlier return's forecasts, variance series, metrics, their actuals,
    partners, contributions by scheme), however many funds the board has; each figure as the fund page
    computes it (tests/pooled_funds/test_views.py pins the count)."""
    funds = list(PooledFund.objects.filter(board=board).select_related("agreement"))
    if not funds:
        return []
    ids = [f.pk for f in funds]
    returns: dict[int, list[Return]] = {}
    for ret in Return.objects.filter(fund_id__in=ids).order_by("-period"):
        returns.setdefault(ret.fund_id, []).append(ret)
    shown: dict[int, Return] = {}
    before: dict[int, int] = {}
    for fund in funds:
        ret = _latest_return(returns.get(fund.pk, []))
        if ret is None:
            continue
        ret.fund = fund
        shown[fund.pk] = ret
        # As last_approved_before: movement against the latest approved return
        # of an earlier period.
        order = {label: i for i, label in enumerate(fund.period_labels())}
        earlier = [
            r
            for r in returns[fund.pk]
            if r.status == ReturnStatus.APPROVED
            and order.get(r.period, -1) < order.get(ret.period, -1)
        ]
        if earlier:
            before[fund.pk] = max(earlier, key=lambda r: order[r.period]).pk
    lines: dict[int, list[ReturnLine]] = {}
    for line in ReturnLine.objects.filter(
        ret_id__in=[r.pk for r in shown.values()]
    ).select_related("scheme__lead_partner"):
        lines.setdefault(line.ret_id, []).append(line)
    prior: dict[int, dict[int, Decimal]] = {}
    if before:
        fund_of = {ret_id: fund_id for fund_id, ret_id in before.items()}
        for ret_id, scheme_id, forecast in (
            ReturnLine.objects.filter(ret_id__in=before.values())
            .order_by()
            .values_list("ret_id", "scheme_id", "forecast_outturn")
        ):
            prior.setdefault(fund_of[ret_id], {})[scheme_id] = forecast
    series = _variance_series_of(funds)
    metrics = _metrics_of(ids)
    partners = _partners_of(ids)
    given: dict[int, list] = {}
    for fund_id, *row in Contribution.objects.filter(
        fund_id__in=ids, scheme__isnull=False
    ).values_list("fund_id", "scheme__reference", "partner_id", "amount"):
        given.setdefault(fund_id, []).append(row)
    panels = []
    for fund in funds:
        ret = shown.get(fund.pk)
        views = (
            _line_views(lines.get(ret.pk, []), prior.get(fund.pk, {})) if ret else []
        )
        fund_metrics = metrics.get(fund.pk, [])
        fund_series = series.get(fund.pk, [])
        panels.append(
            {
                "fund": fund,
                "ret": ret,
                "lines": views,
                "totals": totals(views),
                "shares": _share_rows(
                    partners.get(fund.pk, []), views, given.get(fund.pk, [])
                )
                if ret
                else [],
                "charts": fund_charts(fund, views, fund_series, fund_metrics),
                "series": fund_series,
                "metrics": fund_metrics,
            }
        )
    return panels


def _latest_return(returns: list[Return]) -> Return | None:
    """As ``return_for_period(fund, None)``, from the fund's returns newest first."""
    for ret in returns:
        if ret.status == ReturnStatus.APPROVED:
            return ret
    return returns[0] if returns else None


def _variance_series_of(funds) -> dict[int, list[tuple[str, Decimal]]]:
    """``variance_series`` of many funds in one query."""
    rows = (
        ReturnLine.objects.filter(ret__fund_id__in=[f.pk for f in funds])
        .values("ret__fund_id", "ret__period")
        .annotate(budget=Sum("budget"), forecast=Sum("forecast_outturn"))
        .order_by("ret__fund_id", "ret__period")
    )
    points: dict[int, list] = {}
    for r in rows:
        points.setdefault(r["ret__fund_id"], []).append(
            (r["ret__period"], r["forecast"] - r["budget"])
        )
    result = {}
    for fund in funds:
        order = {label: i for i, label in enumerate(fund.period_labels())}
        result[fund.pk] = sorted(
            points.get(fund.pk, []), key=lambda p, order=order: order.get(p[0], 99)
        )
    return result


def _metrics_of(fund_ids) -> dict[int, list[dict]]:
    """``metrics_view`` of many funds in two queries."""
    metrics = Metric.objects.filter(fund_id__in=fund_ids).prefetch_related(
        Prefetch("actuals", queryset=MetricActual.objects.order_by("period"))
    )
    result: dict[int, list[dict]] = {}
    for metric in metrics:
        result.setdefault(metric.fund_id, []).append(_metric_row(metric))
    return result


def _partners_of(fund_ids) -> dict[int, list[tuple[int, str]]]:
    """``fund_partners`` of many funds in one query: partners contributing to each
    fund or leading one of its schemes, by name."""
    # No ORDER BY inside the UNION (the models' default ordering): SQLite refuses it.
    contributing = (
        Contribution.objects.filter(fund_id__in=fund_ids)
        .order_by()
        .values_list("fund_id", "partner_id", "partner__name")
    )
    leading = (
        Scheme.objects.filter(fund_id__in=fund_ids)
        .order_by()
        .values_list("fund_id", "lead_partner_id", "lead_partner__name")
    )
    result: dict[int, list[tuple[int, str]]] = {}
    for fund_id, partner_id, name in sorted(
        set(contributing.union(leading)), key=lambda p: (p[2], p[1])
    ):
        result.setdefault(fund_id, []).append((partner_id, name))
    return result


def reporting_cycles(board_ids) -> dict[int, ReportingCycle]:
    """The reporting cycle of each board's funds (monthly or quarterly returns, due on
    the fund's due day), for the meetings app's proposed dates (one query)."""
    cycles: dict[int, ReportingCycle] = {}
    for fund in PooledFund.objects.filter(board_id__in=board_ids).only(
        "board_id", "frequency", "due_day"
    ):
        months = 1 if fund.frequency == "monthly" else 3
        current = cycles.get(fund.board_id)
        if current is None or months < current.months:
            cycles[fund.board_id] = ReportingCycle(months, fund.due_day)
    return cycles


def board_section(board) -> dict:
    """The funds section of a board's page (registered in ``apps.py``)."""
    return {"fund_panels": board_fund_panels(board)}
