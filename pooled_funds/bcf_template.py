"""The quarterly Better Care Fund return as an Excel workbook in the national
template's layout (SPEC s.6: income by source, spend by scheme, metrics with
status, narrative and sign-off by the Health and Wellbeing Board).

The layout follows the national quarterly data collection template of the BCF
(2015-16 onwards): one sheet per part, in its order and with its names, headings in
fixed rows so a finance officer can copy each block into the same cells of the
national file. The parts this product does not record (the checklist, national
conditions, non-elective admissions by month) are left out rather than filled
with guesses. ``SHEETS`` and the row constants below are the one place the layout
is written down: a change to the national template is an edit here.

Safety: every text cell is written as text (``data_type = "s"`` with the quote
prefix), so a narrative or scheme name beginning ``=HYPERLINK(`` is shown, never
evaluated; money is written as numbers with a £ format, never as formulas: the
workbook has no formula at all.

Pure apart from openpyxl: plain data in (``BcfReport``), bytes out.
"""

import io
from dataclasses import dataclass, field
from decimal import Decimal

SHEETS = [
    "1. Cover",
    "2. Budget Arrangements",
    "4. Income and Expenditure",
    "5. Supporting Metrics",
    "8. Narrative",
]
# Fixed rows of "4. Income and Expenditure": income block, then expenditure block.
INCOME_HEADING_ROW = 4
INCOME_FIRST_ROW = 5
INCOME_SOURCES = [
    ("nhs_minimum", "NHS minimum contribution"),
    ("better_care_grant", "Local Authority Better Care Grant (formerly iBCF)"),
    ("dfg", "Disabled Facilities Grant"),
    ("social_care_capital", "Social Care Capital Grant"),
    ("additional", "Additional contributions"),
]
INCOME_TOTAL_ROW = INCOME_FIRST_ROW + len(INCOME_SOURCES)
EXPENDITURE_HEADING_ROW = INCOME_TOTAL_ROW + 3
METRICS_HEADING_ROW = 4
MONEY_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'


@dataclass(frozen=True)
class SchemeSpend:
    reference: str
    name: str
    lead_partner: str
    budget: Decimal
    actual_to_date: Decimal
    forecast_outturn: Decimal
    rag: str = ""


@dataclass(frozen=True)
class MetricRow:
    name: str
    unit: str
    planned: Decimal
    actual: Decimal | None
    status: str


@dataclass
class BcfReport:
    board: str
    fund: str
    host: str
    agreement: str
    period: str
    period_words: str
    status: str
    income: dict[str, Decimal] = field(default_factory=dict)
    income_conditions: dict[str, str] = field(default_factory=dict)
    schemes: list[SchemeSpend] = field(default_factory=list)
    metrics: list[MetricRow] = field(default_factory=list)
    narrative: str = ""
    difference_explanation: str = ""
    signed_off_by: str = ""
    signed_off_on: str = ""


def _put(sheet, row: int, column: int, value, *, bold: bool = False, money=True):
    from openpyxl.styles import Font

    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        cell.value = value
        money = money and isinstance(value, Decimal)
        cell.number_format = MONEY_FORMAT if money else "General"
    elif value is not None:
        cell.value = str(value)
        # Text is text: never a formula, whatever it begins with.
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _rows(
    sheet, first_row: int, rows: list[list], *, bold_first=False, money=True
) -> int:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            _put(
                sheet,
                first_row + offset,
                column,
                value,
                bold=bold_first and not offset,
                money=money,
            )
    return first_row + len(rows)


def workbook(report: BcfReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    cover, budget, ie, metrics, narrative = (
        book.active,
        *(book.create_sheet() for _ in SHEETS[1:]),
    )
    for sheet, title in zip(
        (cover, budget, ie, metrics, narrative), SHEETS, strict=True
    ):
        sheet.title = title
        _put(sheet, 1, 1, f"Better Care Fund quarterly return: {title[3:]}", bold=True)
    _rows(
        cover,
        3,
        [
            [
                "Partnership board reporting to the Health and Wellbeing Board",
                report.board,
            ],
            ["Pooled fund", report.fund],
            ["Quarter", report.period_words],
            ["Period label", report.period],
            ["Status of the return", report.status],
            ["Signed off by", report.signed_off_by or "Not yet signed off"],
            ["Date of sign-off", report.signed_off_on],
        ],
    )
    _rows(
        budget,
        3,
        [
            ["Question", "Answer"],
            [
                "Have the funds been pooled via a s.75 pooled budget?",
                "Yes",
            ],
            ["Section 75 agreement", report.agreement],
            ["Host of the pooled fund", report.host],
        ],
        bold_first=True,
    )
    _income_and_expenditure(ie, report)
    _rows(
        metrics,
        METRICS_HEADING_ROW,
        [["Metric", "Unit", "Planned", "Actual", "Status"]]
        + [[m.name, m.unit, m.planned, m.actual, m.status] for m in report.metrics],
        bold_first=True,
        money=False,
    )
    _rows(
        narrative,
        3,
        [
            ["Narrative", report.narrative],
            ["Difference from the pool explained", report.difference_explanation],
        ],
    )
    for sheet in (cover, budget, ie, metrics, narrative):
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFG":
            sheet.column_dimensions[letter].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _income_and_expenditure(sheet, report: BcfReport) -> None:
    zero = Decimal("0")
    rows = [["Income by source", "Annual amount (£)", "Conditions"]]
    for key, label in INCOME_SOURCES:
        rows.append(
            [label, report.income.get(key, zero), report.income_conditions.get(key, "")]
        )
    rows.append(["Total income", sum(report.income.values(), zero), ""])
    _rows(sheet, INCOME_HEADING_ROW, rows, bold_first=True)
    spend = [
        [
            "Scheme reference",
            "Scheme",
            "Lead partner",
            "Budget (£)",
            "Actual to date (£)",
            "Forecast outturn (£)",
            "Variance (£)",
            "RAG",
        ]
    ]
    for s in report.schemes:
        spend.append(
            [
                s.reference,
                s.name,
                s.lead_partner,
                s.budget,
                s.actual_to_date,
                s.forecast_outturn,
                s.forecast_outturn - s.budget,
                s.rag,
            ]
        )
    spend.append(
        [
            "Total expenditure",
            "",
            "",
            sum((s.budget for s in report.schemes), zero),
            sum((s.actual_to_date for s in report.schemes), zero),
            sum((s.forecast_outturn for s in report.schemes), zero),
            sum((s.forecast_outturn - s.budget for s in report.schemes), zero),
            "",
        ]
    )
    _rows(sheet, EXPENDITURE_HEADING_ROW, spend, bold_first=True)
