"""The forward plan as a PDF (WeasyPrint, ``templates/planning/pdf/``), with the
meetings' print stylesheet."""

from django.template.loader import render_to_string
from django.utils import timezone

from meetings.pdf import html_to_pdf


def forward_plan_html(board_plan, rows) -> str:
    return render_to_string(
        "planning/pdf/forward_plan.html",
        {
            "bp": board_plan,
            "board": board_plan.board,
            "rows": rows,
            "generated": timezone.localtime(),
        },
    )


def forward_plan_pdf(board_plan, rows) -> bytes:
    return html_to_pdf(forward_plan_html(board_plan, rows))
