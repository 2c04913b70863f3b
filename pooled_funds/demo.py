"""Demo pooled fund: the West Kent Better Care Fund 2015/16, from
reference/west-kent-bcf-s75-annex-2015.txt. Idempotent.

From the annex: the flow of funds (KCC £8.708m + CCG £17.686m = £26.394m, KCC the
host, 2.2 and 3.3), the schemes with their managers and investment (Schedule 1),
the Disabled Facilities Grant ring-fenced (3.1), the performance payment (4.1), the
planned metrics, quarterly reporting (Schedule 2, 5). Not in the annex, and so
illustrative: the KCC scheme's reference (the annex leaves KCC's schemes "to be
completed by KCC"), the Q1 return's spend figures and the metrics' actuals.
Portsmouth's documents give no fund figures, so only West Kent is loaded.
"""

from datetime import date
from decimal import Decimal

from boards.models import Agreement, Board, Partner, PartnerKind
from governance.models import User
from pooled_funds.services.returns import return_approve, return_enter, return_submit

from .models import (
    Contribution,
    FundingStream,
    Metric,
    MetricActual,
    PerformancePayment,
    PooledFund,
    Return,
    Scheme,
    SchemeType,
)

FUND_NAME = "West Kent Better Care Fund 2015/16"
D = Decimal

# (reference, name, lead, manager responsible, budget, type)
SCHEMES = [
    (
        "BCF REF WK002",
        "Self and informal care",
        "ccg",
        "Kallie Heyburn",
        "3092000",
        "nhs",
    ),
    (
        "BCF REF WK003",
        "New model of primary care",
        "ccg",
        "Louise Matthews",
        "14335000",
        "nhs",
    ),
    (
        "BCF REF WK004",
        "Mobile clinical services",
        "ccg",
        "Mark Atkinson",
        "94000",
        "nhs",
    ),
    ("BCF REF WK005", "Urgent transfer service", "ccg", "Mark Atkinson", "0", "nhs"),
    ("BCF REF WK006", "New secondary care", "ccg", "Mark Atkinson", "0", "nhs"),
    ("BCF REF WK007", "System enablers", "ccg", "Keith Price", "165000", "enabler"),
    (
        "BCF REF WK008",
        "KCC health & wellbeing system",
        "kcc",
        "",
        "8708000",
        "local_authority",
    ),
]

# (name, unit, planned 2015/16, lower is better, illustrative actuals by quarter)
METRICS = [
    (
        "Non-elective admissions (general & acute), all-age",
        "per 100,000 population",
        "9049",
        True,
        {"2015-Q1": "9190", "2015-Q2": "9049"},
    ),
    (
        "Permanent admissions of older people (65+) to residential and nursing care",
        "per 100,000 population",
        "443.1",
        True,
        {"2015-Q1": "451.0", "2015-Q2": "439.5"},
    ),
    (
        "Older people (65+) still at home 91 days after discharge into reablement",
        "%",
        "88.3",
        False,
        {"2015-Q1": "86.9", "2015-Q2": "88.6"},
    ),
    (
        "Delayed transfers of care (delayed days) from hospital, aged 18+",
        "per 100,000 population",
        "881.9",
        True,
        {"2015-Q1": "902.4", "2015-Q2": "874.0"},
    ),
    (
        "Patient survey: people feeling supported to manage a long-term condition",
        "%",
        "53",
        False,
        {"2015-Q1": "52"},
    ),
    (
        "Injuries due to falls in people aged 65 and over (PHOF 2.24i)",
        "per 100,000 population",
        "431.0",
        True,
        {},
    ),
]

# Illustrative Q1 2015/16 figures: (reference, actual to date, forecast, commentary,
# action plan)
Q1_LINES = [
    (
        "BCF REF WK002",
        "741000",
        "3150000",
        "Telecare uptake ahead of plan.",
        "Phase the telecare roll-out over Q3-Q4 to bring the forecast back to budget.",
    ),
    ("BCF REF WK003", "3540000", "14300000", "Intermediate care beds on plan.", ""),
    ("BCF REF WK004", "20000", "94000", "Journeys avoided: 230 in the quarter.", ""),
    ("BCF REF WK005", "0", "0", "No direct funding.", ""),
    ("BCF REF WK006", "0", "0", "No direct funding.", ""),
    ("BCF REF WK007", "30000", "150000", "Record-sharing procurement slipped.", ""),
    ("BCF REF WK008", "2177000", "8708000", "KCC schemes on plan.", ""),
]


def _partner(name: str, short: str, kind: str) -> Partner:
    partner, _ = Partner.objects.get_or_create(
        name=name, defaults={"short_name": short, "kind": kind}
    )
    return partner


def _user(email: str, name: str, role: str) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"name": name, "role": role}
    )
    return user


def load() -> PooledFund:
    kcc = _partner("Kent County Council", "KCC", PartnerKind.LOCAL_AUTHORITY)
    ccg = _partner("NHS West Kent CCG", "West Kent CCG", PartnerKind.NHS_BODY)
    agreement, created = Agreement.objects.get_or_create(
        name="Kent Better Care Fund section 75 agreement",
        defaults={"host_partner": kcc, "starts_on": date(2015, 4, 1)},
    )
    if created:
        agreement.partners.set([kcc, ccg])
    board, created = Board.objects.get_or_create(
        name="West Kent Section 75 Group",
        defaults={
            "short_name": "West Kent S75 Group",
            "agreement": agreement,
            "minutes_deadline_days": 14,
            "meeting_frequency_months": 3,
        },
    )
    if created:
        board.partners.set([kcc, ccg])
    manager = _user("manager@demo.example", "Pat Poolmanager", "fund_manager")
    finance = _user("finance@demo.example", "Frankie Finance", "finance_officer")

    fund, _ = PooledFund.objects.get_or_create(
        name=FUND_NAME,
        defaults={
            "agreement": agreement,
            "board": board,
            "host_partner": kcc,  # "KCC will act as host for the pooled fund" (2.2)
            "manager": manager,
            "financial_year": 2015,
            "frequency": "quarterly",
            "due_day": 15,
            "pooled_total": D("26394000"),
        },
    )
    fund.finance_officers.add(finance)
    _contributions(fund, kcc, ccg)
    partners = {"kcc": kcc, "ccg": ccg}
    for order, (ref, name, lead, person, budget, kind) in enumerate(SCHEMES, start=1):
        Scheme.objects.get_or_create(
            fund=fund,
            reference=ref,
            defaults={
                "name": name,
                "lead_partner": partners[lead],
                "manager_responsible": person,
                "budget": D(budget),
                "scheme_type": SchemeType(kind),
                "order": order,
            },
        )
    admissions = _metrics(fund)
    PerformancePayment.objects.get_or_create(
        fund=fund,
        defaults={
            "amount": D("2229000"),
            "metric": admissions,
            "target_reduction_percent": D("3.5"),
            # The plan (9049) is the baseline less 3.5%: baseline = 9049 / 0.965.
            "baseline": D("9377.20"),
            "retained_by": ccg,
        },
    )
    _q1_return(fund, finance, manager)
    return fund


def _contributions(fund, kcc, ccg) -> None:
    Contribution.objects.get_or_create(
        fund=fund,
        partner=ccg,
        stream=FundingStream.NHS_MINIMUM,
        defaults={"amount": D("17686000")},
    )
    Contribution.objects.get_or_create(
        fund=fund,
        partner=kcc,
        stream=FundingStream.ADDITIONAL,
        defaults={"amount": D("8708000")},
    )
    Contribution.objects.get_or_create(
        fund=fund,
        partner=kcc,
        stream=FundingStream.DISABLED_FACILITIES_GRANT,
        defaults={
            "amount": D("0"),
            "ring_fenced": True,
            "conditions": "Amount to be confirmed (annex 3.3: tbc). Earmarked as "
            "disabled facilities grant and may only be used for that purpose "
            "(West Kent 3.1).",
        },
    )


def _metrics(fund) -> Metric:
    first = None
    for order, (name, unit, planned, lower, actuals) in enumerate(METRICS, start=1):
        metric, _ = Metric.objects.get_or_create(
            fund=fund,
            name=name,
            defaults={
                "unit": unit,
                "planned": D(planned),
                "lower_is_better": lower,
                "order": order,
            },
        )
        for period, actual in actuals.items():
            MetricActual.objects.get_or_create(
                metric=metric, period=period, defaults={"actual": D(actual)}
            )
        first = first or metric
    return first


def _q1_return(fund, finance, manager) -> None:
    if Return.objects.filter(fund=fund, period="2015-Q1").exists():
        return
    budgets = dict(Scheme.objects.filter(fund=fund).values_list("reference", "budget"))
    rows = [
        {
            "scheme": ref,
            "budget": str(budgets[ref]),
            "actual_to_date": actual,
            "forecast_outturn": forecast,
            "commentary": comment,
            "action_plan": plan,
        }
        for ref, actual, forecast, comment, plan in Q1_LINES
    ]
    ret = return_enter(
        fund=fund,
        period="2015-Q1",
        rows=rows,
        user=finance,
        narrative="Quarter 1: the pool is forecast £8,000 over budget overall. Self "
        "and informal care forecasts £58,000 over (action plan attached); new model "
        "of primary care £35,000 and system enablers £15,000 under. Under the risk "
        "share the CCG bears its overspend: underspends do not cross-subsidise.",
    )
    return_submit(ret=ret, user=finance)
    return_approve(ret=ret, user=manager)
