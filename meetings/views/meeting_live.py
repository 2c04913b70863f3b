"""The secretary's meeting page, built for a laptop during a live meeting, and its
htmx fragments: attendance per seat with arrival and departure, the live quorum
panel, declarations of interest, notes per item and actions. Every fragment also
works without JavaScript (a normal POST redirects back to the page).

Members' own answers (apologies, "my deputy will attend") are here too."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from boards.models import Seat
from governance import workflow
from governance.exceptions import RuleViolation, refusal_text

from .. import page_cache
from ..forms import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    DeclarationForm,
    NotesForm,
)
from ..models import Action, Attendance
from ..permissions import can_chair_meeting, get_item_for_user, get_meeting_for_user
from ..selectors import meetings as selectors
from ..selectors import members
from ..services import actions, agenda, attendance, declarations, lifecycle


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
def meeting_run(request, pk):
    """The secretary's page: attendance, live quorum, agenda with papers,
    declarations, decisions, notes and actions, in a constant number of queries;
    stored whole per version of the meeting (``meetings/page_cache.py``): an
    unchanged page costs the permission's read and a cache read."""
    meeting = get_meeting_for_user(request.user, pk, run=True, versioned=True)
    actions_allowed = workflow.available_actions(meeting, request.user)
    can_chair = can_chair_meeting(request.user, meeting)

    def draw():
        """The page's reads and its rendering: only when the cache is a miss."""
        page = selectors.meeting_page(request.user, meeting)
        # The seats list repeats in every item's declaration form: render it once.
        seat_options = render_to_string(
            "meetings/partials/seat_options.html", {"seat_rows": page.seat_rows}
        )
        for item in page.items:
            item.declared_entry_ids = {
                d.registered_interest_id for d in item.declarations.all()
            }
        context = {
            "meeting": meeting,
            "page": page,
            "seat_options": seat_options,
            # Register entries offered when declarations are taken on each item,
            # and the open actions reviewed under matters arising (issue 18).
            "offers": members.offers_for_meeting(meeting, page.seat_rows),
            "matters": members.matters_arising(meeting),
            # What stands in the way of starting today (its day, its agenda): the
            # meeting's fields and today's date, and a cached page ends at midnight.
            "start_refusals": [
                {"rule": r.rule, "message": r.message}
                for r in lifecycle.start_refusals(meeting, now=timezone.now())
            ]
            if "start" in actions_allowed
            else [],
            "can_chair": can_chair,
            "statuses": Attendance.Status.choices,
            "action_statuses": Action.Status.choices,
            # Which buttons to show: what the meeting's status and the user's
            # permissions allow (``Meeting.TRANSITIONS``).
            "actions": actions_allowed,
            "attendance_readonly": "attendance" not in actions_allowed,
            # Declarations are taken while the business is open.
            "agenda_open": "add_item" in actions_allowed,
            **page_cache.RENDER_WITH,
        }
        return render(request, "meetings/meeting_run.html", context), page.valid_until

    # The page draws what the user's actions allow: part of the key.
    vary = page_cache.vary(request.user, [*actions_allowed, str(can_chair)])
    return page_cache.respond(request, "run", meeting, vary, draw)


@require_GET
def quorum_panel(request, pk):
    """The live quorum panel, polled every 20 seconds: 304 Not Modified while the
    meeting's version and the clock's moments (arrivals and departures) leave it as
    the client has it."""
    meeting = get_meeting_for_user(request.user, pk, versioned=True)
    tag = page_cache.etag(meeting, request.user, "quorum")
    not_modified = page_cache.not_modified(request, tag)
    if not_modified is not None:
        return not_modified
    quorum, until = selectors.quorum_panel(meeting)
    response = render(
        request,
        "meetings/partials/quorum_panel.html",
        {"meeting": meeting, "quorum": quorum, "oob": False},
    )
    return page_cache.validated(response, tag, until)


@require_POST
def attendance_row(request, pk, seat_pk):
    """Record one seat: status with arrival/departure times, or "arrived now" /
    "left now". Answers the row and, out of band, the quorum panel."""
    meeting = get_meeting_for_user(request.user, pk, run=True)
    seat = get_object_or_404(
        Seat.objects.select_related("partner", "holder", "deputy"), pk=seat_pk
    )
    error = ""
    try:
        action = request.POST.get("do", "save")
        if action == "arrive":
            attendance.attendance_arrive(meeting=meeting, seat=seat, by=request.user)
        elif action == "leave":
            attendance.attendance_leave(meeting=meeting, seat=seat, by=request.user)
        else:
            form = AttendanceForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Choose a status; times as HH:MM.")
            attendance.attendance_record(
                meeting=meeting,
                seat=seat,
                status=form.cleaned_data["status"],
                arrived_at=attendance.attendance_moment(
                    meeting, form.cleaned_data["arrived"]
                ),
                left_at=attendance.attendance_moment(
                    meeting, form.cleaned_data["left"]
                ),
                by=request.user,
            )
    except (RuleViolation, ValidationError) as exc:
        error = refusal_text(exc)
    if not _htmx(request):
        if error:
            messages.error(request, error)
        return redirect(reverse("meetings:run", args=[pk]) + f"#seat-{seat.pk}")
    row = selectors.seat_row(meeting, seat)
    return render(
        request,
        "meetings/partials/attendance_row_oob.html",
        {
            "meeting": meeting,
            "row": row,
            "error": error,
            "quorum": selectors.quorum_results(meeting),
            "statuses": Attendance.Status.choices,
        },
    )


@require_POST
def declaration_add(request, pk):
    item = get_item_for_user(request.user, pk, run=True)
    form = DeclarationForm(request.POST)
    error = ""
    if form.is_valid():
        seat = Seat.objects.filter(pk=form.cleaned_data["seat"]).first()
        try:
            if seat is None:
                raise ValidationError("Choose a seat.")
            declarations.declaration_record(
                item=item,
                seat=seat,
                interest=form.cleaned_data["interest"],
                withdrew=form.cleaned_data["withdrew"],
                by=request.user,
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    else:
        error = "Choose a seat and say what the interest is."
    if not _htmx(request):
        if error:
            messages.error(request, error)
        return redirect(
            reverse("meetings:run", args=[item.meeting_id]) + f"#item-{item.pk}"
        )
    page_seats = selectors.seat_rows(item.meeting)
    item.declared_entry_ids = set(members.declared_entry_ids(item))
    return render(
        request,
        "meetings/partials/declarations.html",
        {
            "item": item,
            "declarations": item.declarations.select_related("seat__partner", "person"),
            "seat_rows": page_seats,
            "error": error,
            "can_run": True,
            "offers": members.offers_for_meeting(item.meeting, page_seats),
        },
    )


@require_POST
def item_notes(request, pk):
    item = get_item_for_user(request.user, pk, run=True)
    form = NotesForm(request.POST)
    saved = form.is_valid()
    if saved:
        agenda.item_notes_save(
            item=item, notes=form.cleaned_data["notes"], by=request.user
        )
    if not _htmx(request):
        if saved:
            messages.success(request, "Notes saved.")
        else:
            messages.error(request, "Notes are too long.")
        return redirect(
            reverse("meetings:run", args=[item.meeting_id]) + f"#item-{item.pk}"
        )
    return render(
        request,
        "meetings/partials/notes_status.html",
        {"saved": saved, "at": timezone.localtime()},
    )


def _actions_fragment(request, meeting, error=""):
    page = selectors.meeting_page(request.user, meeting)
    return render(
        request,
        "meetings/partials/actions.html",
        {"page": page, "meeting": meeting, "error": error},
    )


@require_POST
def action_add(request, pk):
    meeting = get_meeting_for_user(request.user, pk, run=True)
    form = ActionForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        people = {p.pk: p for p in selectors.meeting_page(request.user, meeting).people}
        item = meeting.items.filter(pk=data["item"]).first() if data["item"] else None
        try:
            actions.action_add(
                meeting=meeting,
                item=item,
                description=data["description"],
                owner=people.get(data["owner"]),
                owner_name=data["owner_name"],
                due_on=data["due_on"],
                by=request.user,
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    else:
        error = " ".join(m for errors in form.errors.values() for m in errors)
    if not _htmx(request):
        if error:
            messages.error(request, error)
        return redirect(reverse("meetings:run", args=[pk]) + "#actions")
    return _actions_fragment(request, meeting, error)


@require_POST
def action_status(request, pk):
    action = get_object_or_404(Action.objects.select_related("meeting__board"), pk=pk)
    meeting = get_meeting_for_user(request.user, action.meeting_id, run=True)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        actions.action_set_status(
            action=action, status=form.cleaned_data["status"], by=request.user
        )
    if not _htmx(request):
        return redirect(reverse("meetings:run", args=[meeting.pk]) + "#actions")
    return _actions_fragment(request, meeting)


def _own_seat(request, meeting, seat_pk) -> Seat:
    """A member answers for a seat they hold (secretaries use the meeting page)."""
    seat = get_object_or_404(Seat.objects.select_related("board"), pk=seat_pk)
    if seat.board_id != meeting.board_id or seat.holder_id != request.user.pk:
        raise PermissionDenied("You answer only for a seat you hold.")
    return seat


@require_POST
def send_apologies(request, pk, seat_pk):
    meeting = get_meeting_for_user(request.user, pk)
    seat = _own_seat(request, meeting, seat_pk)
    try:
        attendance.apologies_send(meeting=meeting, seat=seat, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Apologies recorded for {seat.title}.")
    return redirect(meeting)


@require_POST
def deputy_attends(request, pk, seat_pk):
    meeting = get_meeting_for_user(request.user, pk)
    seat = _own_seat(request, meeting, seat_pk)
    try:
        attendance.deputy_will_attend(meeting=meeting, seat=seat, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Recorded: your deputy {seat.deputy} will attend for {seat.title}; "
            "they count towards quorum and may vote.",
        )
    return redirect(meeting)


urlpatterns = [
    path("<int:pk>/run/", meeting_run, name="run"),
    path("<int:pk>/quorum/", quorum_panel, name="quorum"),
    path("<int:pk>/attendance/<int:seat_pk>/", attendance_row, name="attendance"),
    path("<int:pk>/actions/", action_add, name="action_add"),
    path("<int:pk>/apologies/<int:seat_pk>/", send_apologies, name="apologies"),
    path("<int:pk>/deputy/<int:seat_pk>/", deputy_attends, name="deputy"),
    path("items/<int:pk>/declarations/", declaration_add, name="declaration_add"),
    path("items/<int:pk>/notes/", item_notes, name="item_notes"),
    path("actions/<int:pk>/status/", action_status, name="action_status"),
]
