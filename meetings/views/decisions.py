"""Pages for decisions (thin: forms, permission helpers and services).

- the member's vote page (big buttons, works on a phone and from the keyboard);
- the secretary's decision panel for one item (htmx fragment, polled every few
  seconds for the live tally; open, close, withdraw, consultation, show of hands);
- the written position form; the escalations page with its resolve action;
- the decision logs of a board and of a meeting; the chair election form.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards.models import Board, Partner, Seat
from boards.permissions import get_board_for_user
from governance.exceptions import RuleViolation

from .. import page_cache
from ..forms import ChairElectionForm, LogFilterForm, PositionForm, ResolveForm
from ..models import Motion, Vote, WrittenPosition
from ..permissions import (
    can_file_position,
    can_record_show_of_hands,
    can_resolve_escalation,
    can_view_whole_agenda,
    get_escalation_for_user,
    get_item_for_user,
    get_meeting_for_user,
    get_motion_for_user,
    guest_item_ids,
)
from ..selectors import decisions as selectors
from ..selectors import meetings as meeting_selectors
from ..selectors import members
from ..services import (
    chair_elections,
    consultations,
    escalations,
    motions,
    positions,
    votes,
)

# --- forms --------------------------------------------------------------------


def _posted_id(request, name: str) -> int | None:
    """A posted record id: None when blank, 400 (never 500) when not a number."""
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"{name} must be a number.") from None


# --- the member's vote page -----------------------------------------------------


@require_http_methods(["GET", "POST"])
def motion_vote(request, pk):
    motion = get_motion_for_user(request.user, pk)
    if request.method == "POST":
        seat = get_object_or_404(Seat, pk=_posted_id(request, "seat") or 0)
        choice = request.POST.get("choice", "")
        try:
            votes.vote_cast(motion=motion, seat=seat, choice=choice, by=request.user)
        except RuleViolation as refusal:
            messages.error(request, f"Your vote was not recorded: {refusal.message}")
        else:
            label = dict(Vote.Choice.choices).get(choice, choice)
            messages.success(
                request, f"Your vote for {seat.title} is recorded: {label}."
            )
        return redirect("meetings:decisions-vote", pk=motion.pk)
    motion = selectors.motion_for_panel(motion.pk)
    ballots = selectors.ballots_for(request.user, motion)
    return render(
        request,
        "meetings/decisions/vote.html",
        {
            "motion": motion,
            "item": motion.item,
            "ballots": ballots,
            # "You can change your vote" only to someone who may vote for a seat.
            "may_vote": any(ballot.refusal is None for ballot in ballots),
            "papers": selectors.ballot_papers(request.user, motion.item),
            "choices": Vote.Choice.choices,
            # The member's register of interests, offered at the vote (issue 18).
            "offers": members.offers_for_member(request.user, motion.item),
            "declared_ids": members.declared_entry_ids(motion.item),
        },
    )


# --- the secretary's decision panel -------------------------------------------------


def _panel_context(request, motion_id: int) -> dict:
    motion = selectors.motion_for_panel(motion_id)
    board_id = motion.item.meeting.board_id
    return selectors.panel_context(
        request.user,
        motion,
        seats=list(selectors.voting_seats(motion)),
        other_boards=selectors.consultable_boards(board_id)
        if motion.status == Motion.Status.DRAFT
        else [],
    )


@require_GET
def item_decision(request, pk):
    """The decision panel for one item. With ``part=live`` only the live tally (the
    htmx polling target, so forms on the panel keep focus); when the motion's
    status moved on since the panel was drawn, the whole panel is redrawn instead,
    and polling stops once the motion is closed."""
    item = get_item_for_user(request.user, pk)
    live = request.GET.get("part") == "live"
    if live:
        # Polled every few seconds: 304 Not Modified while the meeting's version
        # (votes, the motion's status...) and the clock leave the tally as it is.
        tag = page_cache.etag(
            item.meeting, request.user, "decision", item.pk, request.GET.get("status")
        )
        not_modified = page_cache.not_modified(request, tag)
        if not_modified is not None:
            return not_modified
    motion = Motion.objects.filter(item=item).only("pk", "status").first()
    if motion is None:
        return HttpResponse("")
    context = _panel_context(request, motion.pk)
    if not live:
        return render(
            request, "meetings/decisions/partials/decision_panel.html", context
        )
    if request.GET.get("status") == motion.status:
        response = render(
            request, "meetings/decisions/partials/decision_live.html", context
        )
    else:
        response = render(
            request, "meetings/decisions/partials/decision_panel.html", context
        )
        response["HX-Retarget"] = f"#decision-{item.pk}"
        response["HX-Reswap"] = "innerHTML"
    return page_cache.validated(
        response, tag, meeting_selectors.valid_until(item.meeting)
    )


def _after_action(request, motion: Motion) -> HttpResponse:
    if request.headers.get("HX-Request"):
        context = _panel_context(request, motion.pk)
        return render(
            request, "meetings/decisions/partials/decision_panel.html", context
        )
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = motion.item.meeting.get_absolute_url()
    return redirect(target)


def _act(request, motion: Motion, action, success: str) -> HttpResponse:
    try:
        action()
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
        if request.headers.get("HX-Request"):
            context = _panel_context(request, motion.pk)
            context["error"] = refusal.message
            return render(
                request, "meetings/decisions/partials/decision_panel.html", context
            )
    else:
        if not request.headers.get("HX-Request"):
            messages.success(request, success)
    return _after_action(request, motion)


@require_POST
def motion_open(request, pk):
    motion = get_motion_for_user(request.user, pk, run=True)
    return _act(
        request,
        motion,
        lambda: motions.motion_open(motion=motion, by=request.user),
        "The motion is open for votes.",
    )


@require_POST
def motion_close(request, pk):
    motion = get_motion_for_user(request.user, pk, run=True)
    return _act(
        request,
        motion,
        lambda: motions.motion_close(motion=motion, by=request.user),
        "The vote is closed.",
    )


@require_POST
def motion_withdraw(request, pk):
    motion = get_motion_for_user(request.user, pk, run=True)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        motion,
        lambda: motions.motion_withdraw(motion=motion, by=request.user, reason=reason),
        "The motion is withdrawn.",
    )


@require_POST
def motion_consultation(request, pk):
    motion = get_motion_for_user(request.user, pk, run=True)
    note = request.POST.get("note", "")
    return _act(
        request,
        motion,
        lambda: consultations.consultation_record(
            motion=motion, by=request.user, note=note
        ),
        "The consultation is recorded.",
    )


@require_POST
def motion_consult_board(request, pk):
    """Name the board to consult before the motion is put (IFPG -> IE), or none."""
    motion = get_motion_for_user(request.user, pk, run=True)
    board_id = _posted_id(request, "board")
    board = get_object_or_404(Board, pk=board_id) if board_id else None
    return _act(
        request,
        motion,
        lambda: consultations.consultation_require(
            motion=motion, board=board, by=request.user
        ),
        "The board to consult is recorded.",
    )


@require_POST
def motion_show_of_hands(request, pk):
    """The secretary records one seat's vote (a show of hands)."""
    motion = get_motion_for_user(request.user, pk)
    if not can_record_show_of_hands(request.user, motion.item):
        raise PermissionDenied("Only the board's secretary records a show of hands.")
    seat = get_object_or_404(Seat, pk=_posted_id(request, "seat") or 0)
    choice = request.POST.get("choice", "")
    return _act(
        request,
        motion,
        lambda: votes.vote_cast(
            motion=motion, seat=seat, choice=choice, by=request.user
        ),
        f"Vote recorded for {seat.title}.",
    )


# --- written positions --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def item_position(request, pk):
    item = get_item_for_user(request.user, pk)
    board = item.meeting.board
    partners = [
        p for p in board.partners.all() if can_file_position(request.user, item, p)
    ]
    if not partners:
        raise PermissionDenied(
            "Only a partner's voting member (or the secretary) gives its position."
        )
    queryset = Partner.objects.filter(pk__in=[p.pk for p in partners])
    form = PositionForm(request.POST or None, partners=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            positions.position_file(item=item, by=request.user, **form.cleaned_data)
        except RuleViolation as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "The written position is recorded.")
            return redirect(item.meeting.get_absolute_url())
    return render(
        request,
        "meetings/decisions/position_form.html",
        {
            "item": item,
            "form": form,
            "positions": WrittenPosition.objects.filter(item=item).select_related(
                "partner", "filed_by"
            ),
        },
    )


# --- escalations ----------------------------------------------------------------------


@require_GET
def escalation_list(request):
    status = request.GET.get("status", "open")
    if status not in ("open", "resolved", "all"):
        status = "open"
    rows = selectors.escalations_for(
        request.user, status="" if status == "all" else status
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    resolvable = {e.pk for e in page if can_resolve_escalation(request.user, e)}
    return render(
        request,
        "meetings/decisions/escalation_list.html",
        {
            "page": page,
            "status": status,
            "resolvable": resolvable,
            "form": ResolveForm(),
        },
    )


@require_POST
def escalation_resolve(request, pk):
    escalation = get_escalation_for_user(request.user, pk, resolve=True)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            following = escalations.escalation_resolve(
                escalation=escalation, by=request.user, **form.cleaned_data
            )
        except RuleViolation as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "The escalation is recorded as resolved.")
            if following is not None:
                messages.warning(
                    request,
                    "No agreement: the matter now goes to the dispute resolution "
                    "procedure and the authorised officers have been told.",
                )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(reverse("meetings:decisions-escalations"))


# --- decision logs ----------------------------------------------------------------------


def _log(request, template, context, **scope):
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.decision_log(**scope, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.count_votes(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {**context, "form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
def board_decision_log(request, pk):
    board = get_board_for_user(request.user, pk)
    return _log(
        request, "meetings/decisions/decision_log.html", {"board": board}, board=board
    )


@require_GET
def meeting_decision_log(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    scope = {}
    if not can_view_whole_agenda(request.user, meeting):
        # A guest: only the items they are invited to, never confidential ones.
        scope["only_items"] = guest_item_ids(request.user, meeting.pk)
    return _log(
        request,
        "meetings/decisions/decision_log.html",
        {"meeting": meeting, "board": meeting.board},
        meeting_id=meeting.pk,
        **scope,
    )


# --- chair election ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def chair_election(request, pk):
    meeting = get_meeting_for_user(request.user, pk, run=True)
    board: Board = meeting.board
    form = ChairElectionForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            chair_elections.chair_elect(
                meeting=meeting, by=request.user, **form.cleaned_data
            )
        except RuleViolation as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "The chair's election is recorded.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/decisions/chair_election.html",
        {"meeting": meeting, "board": board, "form": form},
    )


urlpatterns = [
    path("motions/<int:pk>/vote/", motion_vote, name="decisions-vote"),
    path("motions/<int:pk>/open/", motion_open, name="decisions-open"),
    path("motions/<int:pk>/close/", motion_close, name="decisions-close"),
    path("motions/<int:pk>/withdraw/", motion_withdraw, name="decisions-withdraw"),
    path(
        "motions/<int:pk>/consultation/",
        motion_consultation,
        name="decisions-consultation",
    ),
    path(
        "motions/<int:pk>/consult-board/",
        motion_consult_board,
        name="decisions-consult-board",
    ),
    path(
        "motions/<int:pk>/show-of-hands/",
        motion_show_of_hands,
        name="decisions-show-of-hands",
    ),
    path("items/<int:pk>/decision/", item_decision, name="decisions-item"),
    path("items/<int:pk>/position/", item_position, name="decisions-position"),
    path("escalations/", escalation_list, name="decisions-escalations"),
    path(
        "escalations/<int:pk>/resolve/",
        escalation_resolve,
        name="decisions-escalation-resolve",
    ),
    path("boards/<int:pk>/decisions/", board_decision_log, name="decisions-board-log"),
    path("<int:pk>/decisions/", meeting_decision_log, name="decisions-meeting-log"),
    path("<int:pk>/chair-election/", chair_election, name="decisions-chair-election"),
]
