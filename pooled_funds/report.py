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
