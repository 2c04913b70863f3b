"""The return report: the paper an approved return becomes on the board's agenda.
HTML rendered to PDF with WeasyPrint (templates/pooled_funds/pdf/), with the charts
as inline SVG and the same numbers in tables."""

from django.template.loader import render_to_string

from . import selectors
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


def return_bcf_rows(ret: Return) -> list[list]:
    """The quarterly / year-end BCF report of a return as rows a finance officer
    can paste into the national template: income by source, spend by scheme,
    metrics with status, narrative and sign-off (SPEC s.6)."""
    from decimal import Decimal

    from .models import Contribution, FundingStream

    fund = ret.fund
    views = selectors.return_lines(ret)
    rows: list[list] = [
        ["Better Care Fund report", fund.name],
        ["Period", ret.period, ret.period_label],
        ["Status", ret.get_status_display()],
        [],
        ["Income by source", "Partner", "Amount (£)", "Conditions"],
    ]
    total = Decimal("0")
    for c in Contribution.objects.filter(fund=fund).select_related("partner"):
        label = FundingStream(c.stream).label
        rows.append([label, c.partner.name, f"{c.amount:.2f}", c.conditions])
        total += c.amount
    rows += [["Total income", "", f"{total:.2f}"], []]
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
    for v in views:
        rows.append(
            [
                v.line.scheme.reference,
                v.line.scheme.name,
                v.line.scheme.lead_partner.name,
                f"{v.line.budget:.2f}",
                f"{v.line.actual_to_date:.2f}",
                f"{v.line.forecast_outturn:.2f}",
                f"{v.derived.variance:.2f}",
                v.derived.rag_label,
            ]
        )
    rows += [[], ["Metric", "Planned", "Actual", "Period", "Status"]]
    for m in selectors.metrics_view(fund):
        rows.append(
            [
                m["metric"].name,
                str(m["metric"].planned),
                "" if m["actual"] is None else str(m["actual"]),
                m["latest_period"],
                m["status"],
            ]
        )
    rows += [
        [],
        ["Narrative", ret.narrative],
        [
            "Sign-off",
            f"Approved by {ret.decided_by} on {ret.decided_at:%d/%m/%Y}"
            if ret.status == "approved" and ret.decided_at
            else "Not yet approved",
        ],
    ]
    return rows
