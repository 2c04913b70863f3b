"""Public pages (issue 19): no sign-in, GET only, everything read through
``selectors`` (which apply ``visibility``). Thin."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from meetings.models import MotionOutcome

from .. import search as search_selector
from .. import selectors
from ..context import render_public
from ..forms import FollowForm, SearchForm


@login_not_required
@require_GET
def index(request):
    return render_public(
        request,
        "publication/index.html",
        selectors.index_page()
        | {"form": SearchForm(boards=selectors.published_boards())},
    )


@login_not_required
@require_GET
def board(request, pk):
    board = selectors.public_board(pk)
    return render_public(
        request,
        "publication/board.html",
        selectors.board_page(board, page=request.GET.get("page"))
        | {"follow_form": FollowForm()},
    )


@login_not_required
@require_GET
def board_decisions(request, pk):
    board = selectors.public_board(pk)
    decisions = selectors.public_decisions(board)
    outcome = request.GET.get("outcome", "")
    if outcome in MotionOutcome.values:
        decisions = decisions.filter(outcome=outcome)
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    return render_public(
        request,
        "publication/decisions.html",
        {
            "board": board,
            "page": page,
            "outcome": outcome,
            "outcomes": MotionOutcome.choices,
        },
    )


@login_not_required
@require_GET
def meeting(request, pk):
    meeting = selectors.public_meeting(pk)
    return render_public(
        request, "publication/meeting.html", selectors.meeting_page(meeting)
    )


@login_not_required
@require_GET
def minutes(request, pk):
    meeting = selectors.public_meeting(pk)
    return render_public(
        request, "publication/minutes.html", selectors.minutes_page(meeting)
    )


@login_not_required
@require_GET
def item(request, pk):
    return render_public(request, "publication/item.html", selectors.item_page(pk))


@login_not_required
@require_GET
def decision(request, pk):
    motion = selectors.public_decision(pk)
    return render_public(
        request,
        "publication/decision.html",
        {"decision": motion, "item": motion.item, "meeting": motion.item.meeting},
    )


@login_not_required
@require_GET
def paper(request, pk):
    """A published paper's file, read through the storage API; PDFs open in the
    browser, other files download."""
    paper = selectors.public_paper(pk)
    extension = paper.file.name.rsplit(".", 1)[-1].lower()
    name = paper.title[:120]
    if not name.lower().endswith(f".{extension}"):
        name = f"{name}.{extension}"
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The paper's file is missing.") from exc
    response = FileResponse(
        handle,
        as_attachment=paper.content_type != "application/pdf",
        filename=name,
        content_type=paper.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_GET
def search(request):
    """Search at /public/search/?q=: a visitor searches what is published; a
    signed-in person also what they may read."""
    form = SearchForm(
        request.GET or None, boards=search_selector.searchable_boards(request.user)
    )
    page = None
    filters = search_selector.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = search_selector.Filters(
            q=data["q"],
            board=data["board"].pk if data["board"] else None,
            kind=data["kind"],
            outcome=data["outcome"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        if not filters.empty or data["date_from"] or data["date_to"]:
            page = search_selector.search(
                request.user, filters, request.GET.get("page", 1)
            )
    query = request.GET.copy()
    query.pop("page", None)
    return render_public(
        request,
        "publication/search.html",
        {
            "form": form,
            "results": page,
            "filters": filters,
            "query_string": query.urlencode(),
        },
    )
