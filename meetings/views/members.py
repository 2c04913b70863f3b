"""Pages for members' records (thin: permission helpers, forms, services,
selectors): a person's register of interests and attendance; declaring a register
entry on an item; a board's attendance statistics over a period; the board's
cross-meeting action tracker."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from boards.forms import apply_errors
from boards.models import Seat
from boards.permissions import get_board_for_user
from governance.exceptions import RuleViolation, refusal_text
from governance.person_page import sections_for

from ..member_forms import (
    DeclareFromRegisterForm,
    InterestEndForm,
    InterestForm,
    PeriodForm,
    ReviewForm,
    TrackerStatusForm,
)
from ..models import Action, RegisteredInterest
from ..permissions import (
    can_run_meeting,
    get_item_for_user,
    get_meeting_for_user,
    get_person_register_for_user,
)
from ..selectors import members as selectors
from ..services import actions, interests

# --- a person's records -------------------------------------------------------------


@require_GET
def my_records(request):
    return redirect("meetings:person_records", pk=request.user.pk)


@require_GET
def person_records(request, pk):
    """A member's own page (the people pages are for administrators and
    secretaries): the same sections as the person page, seats and terms of office,
    register of interests, attendance, for whoever may read the register."""
    person = get_person_register_for_user(request.user, pk)
    return render(
        request,
        "meetings/members/person_records.html",
        {"person": person, "sections": sections_for(person, request.user)},
    )


@require_POST
def interest_add(request, pk):
    person = get_person_register_for_user(request.user, pk, keep=True)
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the kind, the organisation, what it is and when.")
    else:
        try:
            interests.interest_register(
                person=person, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "Added to the register of interests.")
    return redirect(reverse("meetings:person_records", args=[person.pk]) + "#register")


@require_http_methods(["GET", "POST"])
def interest_edit(request, pk):
    """Correct or update a register entry (kind, organisation, what it is, when
    declared), with the entry's audit history; an ended entry stays as it was
    recorded (its history is still shown). Whoever keeps the register: the person,
    their boards' secretaries, administrators (others 403; no such entry 404)."""
    entry = get_object_or_404(RegisteredInterest, pk=pk)
    person = get_person_register_for_user(request.user, entry.person_id, keep=True)
    back = reverse("meetings:person_records", args=[person.pk]) + "#register"
    initial = {name: getattr(entry, name) for name in InterestForm.base_fields}
    form = InterestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            interests.interest_update(entry=entry, by=request.user, **form.cleaned_data)
        except (RuleViolation, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The register entry is updated.")
            return redirect(back)
    return render(
        request,
        "meetings/members/interest_edit.html",
        {
            "entry": entry,
            "person": person,
            "form": form,
            "back": back,
            "history": selectors.interest_history(entry),
            "today": timezone.localdate(),
        },
    )


@require_POST
def interest_end(request, pk):
    entry = get_object_or_404(RegisteredInterest, pk=pk)
    person = get_person_register_for_user(request.user, entry.person_id, keep=True)
    form = InterestEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the day the interest ended.")
    else:
        try:
            interests.interest_end(
                entry=entry, ended_on=form.cleaned_data["ended_on"], by=request.user
            )
        except (RuleViolation, ValidationError) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "The interest is recorded as ended.")
    return redirect(reverse("meetings:person_records", args=[person.pk]) + "#register")


@require_POST
def register_reviewed(request, pk):
    person = get_person_register_for_user(request.user, pk, keep=True)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    interests.register_review(
        person=person, reviewed_on=timezone.localdate(), by=request.user, note=note
    )
    messages.success(request, "Register confirmed complete and correct today.")
    return redirect(reverse("meetings:person_records", args=[person.pk]) + "#register")


# --- declaring a register entry on an item ------------------------------------------


@require_POST
def declare_from_register(request, pk):
    """Declare a register entry on an item: the secretary or chair for anyone in the
    meeting (back to the meeting page), or a member for themselves (back to where
    they came from: the vote page or the meeting page)."""
    item = get_item_for_user(request.user, pk)
    form = DeclareFromRegisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the interest to declare.")
        return redirect(item.meeting)
    seat = get_object_or_404(
        Seat, pk=form.cleaned_data["seat"], board=item.meeting.board
    )
    entry = get_object_or_404(RegisteredInterest, pk=form.cleaned_data["entry"])
    runs = can_run_meeting(request.user, item.meeting)
    own = entry.person_id == request.user.pk and request.user.pk in (
        seat.holder_id,
        seat.deputy_id,
    )
    if not (runs or own):
        raise PermissionDenied("You declare only your own interests.")
    try:
        interests.declaration_from_register(
            item=item,
            seat=seat,
            entry=entry,
            withdrew=form.cleaned_data["withdrew"],
            by=request.user,
        )
    except (RuleViolation, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"Declared on “{item.title}”: {entry.organisation}.")
    back = request.POST.get("back")
    if back == "vote" and hasattr(item, "motion"):
        return redirect("meetings:decisions-vote", pk=item.motion.pk)
    if runs and back == "run":
        return redirect(
            reverse("meetings:run", args=[item.meeting_id]) + f"#item-{item.pk}"
        )
    return redirect(item.meeting)


# --- attendance statistics ----------------------------------------------------------


@require_GET
def board_attendance(request, pk):
    board = get_board_for_user(request.user, pk)
    form = PeriodForm(request.GET or None)
    start, end = form.period(selectors.default_period(timezone.localdate()))
    return render(
        request,
        "meetings/members/board_attendance.html",
        {
            "board": board,
            "form": form,
            "stats": selectors.board_attendance(board, start, end),
        },
    )


# --- the action tracker -------------------------------------------------------------


@require_GET
def action_tracker(request, pk):
    board = get_board_for_user(request.user, pk)
    include_closed = request.GET.get("show") == "all"
    page = selectors.board_actions_page(
        board, page=request.GET.get("page"), include_closed=include_closed
    )
    return render(
        request,
        "meetings/members/action_tracker.html",
        {
            "board": board,
            "tracked": page.object_list,
            "page": page,
            "query": "show=all" if include_closed else "",
            "include_closed": include_closed,
            "can_run": can_run_meeting(request.user, board),
            "statuses": Action.Status.choices,
        },
    )


@require_POST
def tracker_status(request, pk):
    """Mark an action done, dropped or open again, from the tracker or from the
    matters-arising list of a meeting page."""
    action = get_object_or_404(Action.objects.select_related("meeting__board"), pk=pk)
    board = action.meeting.board
    get_board_for_user(request.user, board.pk)
    if not can_run_meeting(request.user, board):
        raise PermissionDenied("Only the board's secretary or chair updates actions.")
    form = TrackerStatusForm(request.POST)
    if form.is_valid():
        actions.action_set_status(
            action=action, status=form.cleaned_data["status"], by=request.user
        )
        messages.success(request, f"Action updated: {action.get_status_display()}.")
    meeting = request.POST.get("meeting", "")
    if form.is_valid() and form.cleaned_data.get("back") == "run" and meeting.isdigit():
        get_meeting_for_user(request.user, int(meeting), run=True)
        return redirect(
            reverse("meetings:run", args=[int(meeting)]) + "#matters-arising"
        )
    return redirect(
        reverse("meetings:action_tracker", args=[board.pk]) + f"#action-{action.pk}"
    )


urlpatterns = [
    path("people/me/", my_records, name="my_records"),
    path("people/<int:pk>/", person_records, name="person_records"),
    path("people/<int:pk>/interests/", interest_add, name="interest_add"),
    path(
        "people/<int:pk>/interests/reviewed/",
        register_reviewed,
        name="register_reviewed",
    ),
    path("interests/<int:pk>/", interest_edit, name="interest_edit"),
    path("interests/<int:pk>/end/", interest_end, name="interest_end"),
    path(
        "items/<int:pk>/declare-from-register/",
        declare_from_register,
        name="declare_from_register",
    ),
    path("boards/<int:pk>/attendance/", board_attendance, name="board_attendance"),
    path("boards/<int:pk>/actions/", action_tracker, name="action_tracker"),
    path("actions/<int:pk>/tracker-status/", tracker_status, name="tracker_status"),
]
