"""Demo pooled funds for the three places the reference documents describe, one YAML
file per document under ``pooled_funds/demo_data/`` (what is from the document and
what is illustrative is said at the top of each file), loaded through the services
(``services/funds.py`` and ``services/returns.py``), so the demo obeys the same rules
as a person would.

- West Kent Better Care Fund 2015/16: quarterly, the annex's schemes and grant
  streams (the Disabled Facilities Grant and Social Care Capital Grant ring-fenced),
  Q1-Q3 approved, Q4 left for the finance officer (overdue on their dashboard);
- Portsmouth Better Care Fund 2022/23: monthly to the PMG, April-February
  approved, March awaiting the manager's approval;
- Leicestershire's four IFPG budgets 2018/19: quarterly, a year of returns each
  (the Learning Disabilities Q4 return sent back).

Spend is generated from each scheme's budget: actual to date grows evenly through
the year; the forecast is the budget unless the file names a variance from a
period on, with its commentary and (for an overspend) its action plan. Idempotent:
a fund that already exists is left as it is.
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from boards.models import Agreement, Board, Partner
from governance.models import Role, User

from . import periods
from .models import PooledFund
from .services import funds, reminders, returns

DATA = Path(__file__).parent / "demo_data"
FILES = [
    "west-kent-bcf-s75-annex-2015.yaml",
    "portsmouth-cabinet-s75-report-2022.yaml",
    "leicestershire-integration-governance-2018.yaml",
]
FUND_NAME = "West Kent Better Care Fund 2015/16"
LONDON = ZoneInfo("Europe/London")
D = Decimal
PEOPLE = {
    "manager@demo.example": ("Pat Poolmanager", Role.FUND_MANAGER),
    "finance@demo.example": ("Frankie Finance", Role.FINANCE_OFFICER),
}


def load() -> PooledFund:
    """Load every demo fund; returns the West Kent fund (the older tests' fund)."""
    for name in FILES:
        document = yaml.safe_load((DATA / name).read_text())
        for spec in document["funds"]:
            load_fund(spec)
    return PooledFund.objects.get(name=FUND_NAME)


def _person(email: str) -> User:
    name, role = PEOPLE[email]
    user, _ = User.objects.get_or_create(
        email=email, defaults={"name": name, "role": role}
    )
    return user


def _partner(name: str, kinds: dict) -> Partner:
    partner, _ = Partner.objects.get_or_create(
        name=name, defaults={"kind": kinds.get(name, "other")}
    )
    return partner


def _constitution(spec: dict) -> tuple[Agreement, Board, dict[str, Partner]]:
    """The agreement, board and partners the fund sits under: those of the
    constitution demo (boards.demo), or made here when it is not loaded."""
    kinds = spec.get("partners", {})
    host = _partner(spec["host"], kinds)
    agreement, created = Agreement.objects.get_or_create(
        name=spec["agreement"],
        defaults={
            "host_partner": host,
            "starts_on": date(spec["financial_year"], 4, 1),
        },
    )
    if created:
        agreement.partners.set([_partner(n, kinds) for n in kinds] or [host])
    board, created = Board.objects.get_or_create(
        name=spec["board"],
        defaults={"agreement": agreement, "minutes_deadline_days": 14},
    )
    if created:
        board.partners.set(agreement.partners.all())
    partners = {p.name: p for p in agreement.partners.all()}
    return agreement, board, partners


def load_fund(spec: dict) -> PooledFund:
    existing = PooledFund.objects.filter(name=spec["name"]).first()
    if existing is not None:
        return existing
    agreement, board, partners = _constitution(spec)
    manager = _person(spec["manager"])
    officers = [_person(e) for e in spec["finance_officers"]]
    fund = funds.fund_create(
        user=manager,
        finance_officers=officers,
        name=spec["name"],
        agreement=agreement,
        board=board,
        host_partner=partners[spec["host"]],
        manager=manager,
        financial_year=spec["financial_year"],
        frequency=spec["frequency"],
        due_day=spec["due_day"],
        pooled_total=D(spec["pooled_total"]),
    )
    schemes = {}
    for order, row in enumerate(spec["schemes"], start=1):
        reference, name, lead, person, budget, kind, stream, *locality = row
        schemes[reference] = funds.scheme_add(
            fund=fund,
            user=manager,
            reference=reference,
            name=name,
            lead_partner=partners[lead],
            manager_responsible=person,
            budget=D(budget),
            scheme_type=kind,
            stream=stream,
            locality=locality[0] if locality else spec.get("locality", ""),
            order=order,
        )
    for row in spec["contributions"]:
        partner, stream, scheme, amount, fenced, conditions, *locality = row
        funds.contribution_add(
            fund=fund,
            user=officers[0],
            partner=partners[partner],
            stream=stream,
            scheme=schemes[scheme],
            locality=locality[0] if locality else spec.get("locality", ""),
            amount=D(amount),
            ring_fenced=fenced,
            conditions=conditions,
        )
    _metrics(fund, spec, partners)
    _returns(fund, spec["returns"], schemes, officers[0], manager)
    return fund


def _metrics(fund, spec, partners) -> None:
    by_name, by_period = {}, {}
    for order, (name, unit, planned, lower, actuals) in enumerate(
        spec.get("metrics", []), start=1
    ):
        metric = funds.metric_add(
            fund=fund,
            name=name,
            unit=unit,
            planned=D(planned),
            lower_is_better=lower,
            order=order,
        )
        by_name[name] = metric
        for period, actual in actuals.items():
            by_period.setdefault(period, {})[metric.pk] = D(actual)
    for period, values in by_period.items():
        reminders.metric_actuals_record(
            fund=fund, period=period, values=values, user=fund.manager
        )
    payment = spec.get("performance_payment")
    if payment:
        funds.performance_payment_set(
            fund=fund,
            amount=D(payment["amount"]),
            metric=by_name[payment["metric"]],
            target_reduction_percent=D(payment["target_reduction_percent"]),
            baseline=D(payment["baseline"]),
            retained_by=partners[payment["retained_by"]],
        )


def _forecast(variances, reference, period, labels):
    """The latest variance named for the scheme from a period up to this one."""
    found = None
    for scheme, start, outturn, commentary, plan in variances:
        if scheme == reference and labels.index(start) <= labels.index(period):
            found = (D(outturn), commentary, plan)
    return found


def _moment(period: str, due_day: int, days_after: int = 0) -> datetime:
    due = periods.due_date(period, due_day)
    return datetime.combine(due, time(10), tzinfo=LONDON).replace(
        day=min(due.day + days_after, 28)
    )


def _returns(fund, spec, schemes, officer, manager) -> None:
    labels = fund.period_labels()
    statuses = spec.get("statuses", {})
    variances = spec.get("variances", [])
    last_approved = None
    for period in spec["periods"]:
        share = D(labels.index(period) + 1) / D(len(labels))
        rows = []
        for reference, scheme in schemes.items():
            found = _forecast(variances, reference, period, labels)
            outturn, commentary, plan = found or (scheme.budget, "On plan.", "")
            if scheme.budget == 0 and not found:
                commentary = "No direct funding this year."
            rows.append(
                {
                    "scheme": reference,
                    "budget": str(scheme.budget),
                    "actual_to_date": str(
                        (outturn * share).quantize(D("1"), rounding=ROUND_HALF_UP)
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
            user=officer,
            narrative=f"{periods.describe(period)}: {spec.get('narrative', '')}",
        )
        status = statuses.get(period, "approved")
        if status == "draft":
            continue
        returns.return_submit(ret=ret, user=officer, now=_moment(period, fund.due_day))
        if status == "returned":
            returns.return_send_back(
                ret=ret,
                user=manager,
                reason=spec.get("sent_back_reason", "Please check the figures."),
                now=_moment(period, fund.due_day, 3),
            )
        elif status == "approved":
            last_approved = returns.return_approve(
                ret=ret,
                user=manager,
                now=_moment(period, fund.due_day, 5),
                place_paper=False,
            )
    if last_approved is not None:
        # Only the latest approved return goes to the board's next meeting: the
        # earlier ones were taken at meetings before this record begins.
        returns.return_place_paper(ret=last_approved)
