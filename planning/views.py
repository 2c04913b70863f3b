"""Pages for what a board owes and when (thin: permission helpers, forms, services,
selectors): the obligations register with its evidence, the forward plan with its
one-step "put on the agenda", and the plan as iCalendar and PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards.models import Board
from boards.permissions import boards_for_user, get_board_for_user
from governance.exceptions import RuleViolation, refusal_text
from meetings.models import Meeting

from . import ical, pdf
from .forms import AcceptForm, EvidenceForm, ObligationForm, PlanForm
from .permissions import (
    can_accept_proposals,
    can_keep_register,
    get_obligation_for_user,
    require_accept,
)
from .selectors import by_board
from .selectors.obligations import board_obligation_rows, obligation_rows
from .selectors.plan import DEFAULT_MONTHS, board_plan
from .services import obligations as services
from .services.plan import proposal_accept


@require_GET
def index(request):
    """Every board the person sees, with its duties' state at a glance."""
    boards = boards_for_user(request.user).filter(active=True)
    grouped = dict(by_board(obligation_rows(boards)))
    return render(
        request,
        "planning/index.html",
        {"boards": [(b, grouped.get(b, [])) for b in boards]},
    )


@require_GET
def obligations(request, pk):
    board = get_board_for_user(request.user, pk)
    return render(
        request,
        "planning/obligations.html",
        {
            "board": board,
            "rows": board_obligation_rows(board),
            "can_keep": can_keep_register(request.user, board),
            "evidence_form": EvidenceForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def obligation_add(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    form = ObligationForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.obligation_create(
                board=board, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Added: {obligation.title}.")
            return redirect(obligation)
    return render(
        request, "planning/obligation_form.html", {"board": board, "form": form}
    )


@require_POST
def evidence_add(request, pk):
    obligation = get_obligation_for_user(request.user, pk, manage=True)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what discharged the duty and when.")
        return redirect(obligation)
    try:
        services.evidence_record(
            obligation=obligation, by=request.user, **form.cleaned_data
        )
    except (RuleViolation, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"Recorded: {obligation.title} discharged.")
    return redirect(obligation)


def _months(request) -> int:
    form = PlanForm(request.GET)
    if form.is_valid() and form.cleaned_data.get("months"):
        return form.cleaned_data["months"]
    return DEFAULT_MONTHS


@require_GET
def forward_plan(request, pk):
    board = get_board_for_user(request.user, pk)
    months = _months(request)
    return render(
        request,
        "planning/forward_plan.html",
        {
            "board": board,
            "bp": board_plan(board, months=months),
            "months": months,
            "period_form": PlanForm(initial={"months": months}),
            "can_accept": can_accept_proposals(request.user, board),
        },
    )


@require_POST
def accept(request, pk):
    board = get_board_for_user(request.user, pk)
    form = AcceptForm(request.POST)
    target = reverse("planning:forward_plan", args=[board.pk])
    if not form.is_valid():
        messages.error(request, "Choose a proposal to accept.")
        return redirect(target)
    meeting = None
    if form.cleaned_data.get("meeting"):
        meeting = get_object_or_404(
            Meeting, pk=form.cleaned_data["meeting"], board=board
        )
        require_accept(request.user, meeting)
    else:
        require_accept(request.user, board)
    try:
        planned = proposal_accept(
            board=board, key=form.cleaned_data["key"], meeting=meeting, by=request.user
        )
    except (RuleViolation, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect(target)
    item = planned.agenda_item
    messages.success(
        request, f"“{item.title}” is on the agenda of the meeting of {item.meeting}."
    )
    return redirect(target + f"#meeting-{item.meeting_id}")


@require_GET
def plan_ics(request, pk):
    board = get_board_for_user(request.user, pk)
    body = ical.forward_plan_calendar(
        board_plan(board, months=_months(request)), board_obligation_rows(board)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="forward-plan-{board.pk}.ics"'
    return response


@require_GET
def plan_pdf(request, pk):
    board: Board = get_board_for_user(request.user, pk)
    content = pdf.forward_plan_pdf(
        board_plan(board, months=_months(request)), board_obligation_rows(board)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="forward-plan-{board.pk}.pdf"'
    )
    return response
