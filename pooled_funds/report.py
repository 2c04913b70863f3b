"""The return report: the paper an approved return becomes on the board's agenda.
HTML rendered to PDF with WeasyPrint (templates/pooled_funds/pdf/), with the charts
as inline SVG and the same numbers in tables."""

from decimal import Decimal

from django.template.loader import render_to_string

from . import bcf_template, selectors
from .models import Return


def return_report_context(ret: Return) -> dict:
    fund = ret.fund
    views = selectors.return_lines(ret)
    metrics = selectors.metrics_view(fund)
    series = selectors.variance_series(fund)
    return {
        "fund": fund,
        "ret": ret,
        "lines": views,
        "totals": selectors.totals(views),
        "shares": selectors.risk_share_rows(fund, views),
        "metrics": metrics,
        "performance": selectors.performance_view(fund, metrics),
        "series": series,
        "charts": selectors.fund_charts(fund, views, series, metrics),
    }


def return_report_html(ret: Return) -> str:
    return render_to_string(
        "pooled_funds/pdf/return_report.html", return_report_context(ret)
    )


def return_report_pdf(ret: Return) -> bytes:
    from weasyprint import HTML

    return HTML(string=return_report_html(ret)).write_pdf()


def bcf_report(ret: Return) -> bcf_template.BcfReport:
    """The return's quarterly BCF report as plain data (``bcf_template``)."""
    from .models import Contribution, ReturnStatus
    from .periods import describe

    fund = ret.fund
    views = selectors.return_lines(ret)
    income: dict[str, Decimal] = {}
    conditions: dict[str, str] = {}
    for c in Contribution.objects.filter(fund=fund).select_related("partner"):
        income[c.stream] = income.get(c.stream, Decimal("0")) + c.amount
        if c.conditions:
            conditions[c.stream] = " ".join(
                filter(None, [conditions.get(c.stream, ""), c.conditions])
            )
    approved = ret.status == ReturnStatus.APPROVED and ret.decided_at
    board = fund.board or fund.agreement
    return bcf_template.BcfReport(
        board=str(board),
        fund=fund.name,
        host=str(fund.host_partner),
        agreement=str(fund.agreement),
        period=ret.period,
        period_words=describe(ret.period),
        status=ret.get_status_display(),
        income=income,
        income_conditions=conditions,
        schemes=[
            bcf_template.SchemeSpend(
                reference=v.line.scheme.reference,
                name=v.line.scheme.name,
                lead_partner=v.line.scheme.lead_partner.name,
                budget=v.line.budget,
                actual_to_date=v.line.actual_to_date,
                forecast_outturn=v.line.forecast_outturn,
                rag=v.derived.rag_label,
            )
            for v in views
        ],
        metrics=[
            bcf_template.MetricRow(
                name=m["metric"].name,
                unit=m["metric"].unit,
                planned=m["metric"].planned,
                actual=m["actual"],
                status=m["status"],
            )
            for m in selectors.metrics_view(fund)
        ],
        narrative=ret.narrative,
        difference_explanation=ret.difference_explanation,
        signed_off_by=str(ret.decided_by) if approved else "",
        signed_off_on=f"{ret.decided_at:%d/%m/%Y}" if approved else "",
    )


def return_bcf_workbook(ret: Return) -> bytes:
    """The quarterly BCF return as an .xlsx in the national template's layout."""
    return bcf_template.workbook(bcf_report(ret))


def return_bcf_rows(ret: Return) -> list[list]:
    """The same report as CSV rows (sheet by sheet, one block after another), for
    finance systems that take CSV. Money as numbers; text escaped on writing."""
    report = bcf_report(ret)
    rows: list[list] = [
        ["Better Care Fund report", report.fund],
        ["Period", report.period, report.period_words],
        ["Status", report.status],
        [],
        ["Income by source", "Amount (£)", "Conditions"],
    ]
    for key, label in bcf_template.INCOME_SOURCES:
        if key in report.income:
            rows.append(
                [label, report.income[key], report.income_conditions.get(key, "")]
            )
    rows += [["Total income", sum(report.income.values(), Decimal("0"))], []]
    rows.append(
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
    )
    for s in report.schemes:
        rows.append(
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
    rows += [[], ["Metric", "Planned", "Actual", "Status"]]
    for m in report.metrics:
        rows.append([m.name, m.planned, m.actual, m.status])
    rows += [
        [],
        ["Narrative", report.narrative],
        [
            "Sign-off",
            f"Approved by {report.signed_off_by} on {report.signed_off_on}"
            if report.signed_off_by
            else "Not yet approved",
        ],
    ]
    return rows
