"""Loading the demo pooled funds (the ``funds`` section of a demo file) through the
pooled_funds services: the fund, contributions, schemes, metrics with their actuals,
the performance payment and returns (entered, submitted, approved).

Idempotent: a fund is found by name, and each part by its natural key (contribution
by partner and stream, scheme by reference, metric by name, return by period) and
made only when missing.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from boards.models import Board
from pooled_funds.models import Contribution, Metric, PooledFund, Return, Scheme
from pooled_funds.periods import describe, due_date
from pooled_funds.services import funds, reminders, returns

from .constitution import Context, money, person
from .files import DemoData, DemoFileError, check_keys

LONDON = ZoneInfo("Europe/London")

FUND_KEYS = {
    "locality",
    "generated_returns",
    "name",
    "agreement",
    "board",
    "host",
    "manager",
    "finance_officers",
    "financial_year",
    "frequency",
    "due_day",
    "pooled_total",
    "contributions",
    "schemes",
    "metrics",
    "performance_payment",
    "returns",
}


def load_funds(data: DemoData, context: Context) -> None:
    for file, spec in data.funds:
        where = f"{file} fund {spec.get('name')}"
        check_keys(spec, FUND_KEYS, where, required=("name", "agreement", "host"))
        fund = PooledFund.objects.filter(name=spec["name"]).first()
        if fund is None:
            if spec["agreement"] not in context.agreements:
                raise DemoFileError(f"{where}: no agreement {spec['agreement']!r}")
            board: Board | None = (
                context.board(spec["board"], where) if spec.get("board") else None
            )
            fund = funds.fund_create(
                name=spec["name"],
                agreement=context.agreements[spec["agreement"]],
                host_partner=context.partner(spec["host"], where),
                board=board,
                manager=person(spec.get("manager")),
                finance_officers=[person(e) for e in spec.get("finance_officers", [])],
                financial_year=spec["financial_year"],
                frequency=spec.get("frequency", "quarterly"),
                due_day=spec.get("due_day", 15),
                pooled_total=money(spec["pooled_total"]),
            )
        _schemes(fund, spec, context, where)
        _contributions(fund, spec, context, where)
        _metrics(fund, spec, context, where)
        for entry in spec.get("returns") or []:
            _return(fund, entry, where)
        if spec.get("generated_returns"):
            _generated_returns(fund, spec["generated_returns"], where)


def _contributions(fund, spec, context, where) -> None:
    """By partner, stream, scheme (blank: the pool at large) and locality (the
    fund's unless given)."""
    keys = {"partner", "stream", "amount", "ring_fenced", "conditions", "scheme"}
    for entry in spec.get("contributions") or []:
        check_keys(entry, keys | {"locality"}, where)
        partner = context.partner(entry["partner"], where)
        scheme = (
            Scheme.objects.get(fund=fund, reference=entry["scheme"])
            if entry.get("scheme")
            else None
        )
        locality = entry.get("locality", spec.get("locality", ""))
        if Contribution.objects.filter(
            fund=fund,
            partner=partner,
            stream=entry["stream"],
            scheme=scheme,
            locality=locality,
        ).exists():
            continue
        funds.contribution_add(
            fund=fund,
            partner=partner,
            stream=entry["stream"],
            scheme=scheme,
            locality=locality,
            amount=money(entry["amount"]),
            ring_fenced=entry.get("ring_fenced", False),
            conditions=" ".join((entry.get("conditions") or "").split()),
        )


def _schemes(fund, spec, context, where) -> None:
    allowed = {
        "reference",
        "name",
        "lead",
        "manager_responsible",
        "budget",
        "type",
        "stream",
        "locality",
    }
    for order, entry in enumerate(spec.get("schemes") or [], start=1):
        check_keys(entry, allowed, where)
        if Scheme.objects.filter(fund=fund, reference=entry["reference"]).exists():
            continue
        funds.scheme_add(
            fund=fund,
            reference=entry["reference"],
            name=entry["name"],
            lead_partner=context.partner(entry["lead"], where),
            budget=money(entry.get("budget", 0)),
            manager_responsible=entry.get("manager_responsible", ""),
            scheme_type=entry.get("type", "nhs"),
            stream=entry.get("stream", ""),
            locality=entry.get("locality", spec.get("locality", "")),
            order=order,
        )


def _metrics(fund, spec, context, where) -> None:
    allowed = {"name", "unit", "planned", "lower_is_better", "actuals"}
    by_period: dict[str, dict] = {}
    for order, entry in enumerate(spec.get("metrics") or [], start=1):
        check_keys(entry, allowed, where)
        name = " ".join(entry["name"].split())
        metric = Metric.objects.filter(fund=fund, name=name).first()
        if metric is None:
            metric = funds.metric_add(
                fund=fund,
                name=name,
                planned=money(entry["planned"]),
                unit=entry.get("unit", ""),
                lower_is_better=entry.get("lower_is_better", True),
                order=order,
            )
        for period, actual in (entry.get("actuals") or {}).items():
            if not metric.actuals.filter(period=period).exists():
                by_period.setdefault(period, {})[metric.pk] = money(actual)
    for period, values in by_period.items():
        reminders.metric_actuals_record(
            fund=fund, period=period, values=values, user=fund.manager
        )
    payment = spec.get("performance_payment")
    if payment and not hasattr(fund, "performance_payment"):
        check_keys(
            payment,
            {
                "amount",
                "metric",
                "target_reduction_percent",
                "baseline",
                "retained_by",
            },
            where,
        )
        funds.performance_payment_set(
            fund=fund,
            amount=money(payment["amount"]),
            metric=Metric.objects.get(fund=fund, name=payment["metric"]),
            target_reduction_percent=money(payment["target_reduction_percent"]),
            baseline=money(payment["baseline"]),
            retained_by=context.partner(payment["retained_by"], where),
        )


def _return(fund: PooledFund, entry: dict, where: str) -> None:
    check_keys(
        entry, {"period", "entered_by", "approved_by", "narrative", "lines"}, where
    )
    if Return.objects.filter(fund=fund, period=entry["period"]).exists():
        return
    budgets = dict(Scheme.objects.filter(fund=fund).values_list("reference", "budget"))
    rows = []
    for line in entry["lines"]:
        check_keys(
            line,
            {
                "scheme",
                "actual_to_date",
                "forecast_outturn",
                "commentary",
                "action_plan",
            },
            where,
        )
        rows.append(
            {
                "scheme": line["scheme"],
                "budget": str(budgets[line["scheme"]]),
                "actual_to_date": str(line["actual_to_date"]),
                "forecast_outturn": str(line["forecast_outturn"]),
                "commentary": line.get("commentary", ""),
                "action_plan": " ".join((line.get("action_plan") or "").split()),
            }
        )
    finance = person(entry["entered_by"])
    ret = returns.return_enter(
        fund=fund,
        period=entry["period"],
        rows=rows,
        user=finance,
        narrative=" ".join(entry.get("narrative", "").split()),
    )
    returns.return_submit(ret=ret, user=finance)
    if entry.get("approved_by"):
        returns.return_approve(ret=ret, user=person(entry["approved_by"]))


GENERATED_KEYS = {
    "periods",
    "entered_by",
    "approved_by",
    "statuses",
    "sent_back_reason",
    "variances",
    "narrative",
}


def _generated_returns(fund: PooledFund, spec: dict, where: str) -> None:
    """A run of returns made from the schemes' budgets: actual to date grows evenly
    through the year; the forecast is the budget unless a variance is named for the
    scheme from a period on (with its commentary and, for an overspend, its action
    plan). ``statuses`` maps a period to submitted, returned (with
    ``sent_back_reason``) or draft; the rest are approved. Approvals are recorded
    as given in the past: only the latest approved return goes to the board's next
    meeting as a paper (the earlier ones were taken before this record begins)."""
    check_keys(spec, GENERATED_KEYS, where, required=("periods",))
    finance = person(spec.get("entered_by", "finance@demo.example"))
    manager = person(spec.get("approved_by", "manager@demo.example"))
    labels = fund.period_labels()
    schemes = list(Scheme.objects.filter(fund=fund, active=True))
    statuses = spec.get("statuses") or {}
    last_approved = None
    for period in spec["periods"]:
        if Return.objects.filter(fund=fund, period=period).exists():
            continue
        share = Decimal(labels.index(period) + 1) / Decimal(len(labels))
        rows = []
        for scheme in schemes:
            outturn, commentary, plan = _forecast(
                spec.get("variances") or [], scheme, period, labels
            )
            rows.append(
                {
                    "scheme": scheme.reference,
                    "budget": str(scheme.budget),
                    "actual_to_date": str(
                        (outturn * share).quantize(Decimal("1"), ROUND_HALF_UP)
                    ),
                    "forecast_outturn": str(outturn),
                    "commentary": commentary,
                    "action_plan": plan if outturn > scheme.budget else "",
                }
            )
        ret = returns.return_enter(
            fund=fund,
            period=period,
            rows=rows,
            user=finance,
            narrative=f"{describe(period)}: "
            + " ".join((spec.get("narrative") or "").split()),
        )
        status = statuses.get(period, "approved")
        if status == "draft":
            continue
        due = due_date(period, fund.due_day)
        returns.return_submit(ret=ret, user=finance, now=_at(due, 0))
        if status == "returned":
            returns.return_send_back(
                ret=ret,
                user=manager,
                reason=" ".join(spec.get("sent_back_reason", "Please check.").split()),
                now=_at(due, 3),
            )
        elif status == "approved":
            last_approved = returns.return_approve(
                ret=ret, user=manager, now=_at(due, 5), place_paper=False
            )
    if last_approved is not None:
        returns.return_place_paper(ret=last_approved)


def _forecast(variances, scheme, period, labels) -> tuple[Decimal, str, str]:
    """The latest variance named for the scheme from a period up to this one."""
    found = (
        scheme.budget,
        "On plan." if scheme.budget else "No direct funding this year.",
        "",
    )
    for entry in variances:
        if entry["scheme"] == scheme.reference and labels.index(
            str(entry["from"])
        ) <= labels.index(period):
            found = (
                money(entry["forecast_outturn"]),
                " ".join(entry.get("commentary", "").split()),
                " ".join(entry.get("action_plan", "").split()),
            )
    return found


def _at(day, days_after: int) -> datetime:
    return datetime.combine(
        day.replace(day=min(day.day + days_after, 28)), time(10), tzinfo=LONDON
    )
