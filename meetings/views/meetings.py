"""Pages for meetings: list and scheduling, the members' meeting page, the agenda
(items, papers, guests), publication and status, and calendars. Thin: forms,
permission helpers, services. The secretary's live page and its htmx fragments are
in ``meeting_live.py``; its URLs are joined here."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards.permissions import boards_for_user, get_board_for_user
from governance import workflow
from governance.exceptions import RuleViolation

from .. import ical, page_cache
from ..forms import (
    GuestForm,
    ItemForm,
    MeetingCancelForm,
    MeetingEditForm,
    MeetingForm,
    PaperForm,
)
from ..models import Guest, Meeting
from ..permissions import (
    can_chair_meeting,
    can_run_meeting,
    can_view_item,
    get_item_for_user,
    get_meeting_for_user,
    get_paper_for_user,
    is_meeting_chair,
)
from ..selectors import meetings as selectors
from ..services import agenda, guests, lifecycle, papers
from . import meeting_live


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field == "starts_at":
                field = "date"
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _rule_error(form, exc: RuleViolation) -> None:
    """A refusal as the form's error; a passed papers deadline is put on the box
    that confirms it."""
    field = "confirm_deadlines" if exc.rule == "papers_deadline" else None
    form.add_error(field if field in form.fields else None, exc.message)


MEETINGS_PAGE = 50


def _paged(request, queryset, param: str):
    """One page of ``queryset`` (``?<param>=N``), and the other GET parameters for
    its pager's links, so paging one list keeps the other where it was."""
    page = Paginator(queryset, MEETINGS_PAGE).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


@require_GET
def meeting_list(request):
    """Upcoming (soonest first) and past (newest first) meetings of the boards the
    user may see, each a page of 50 with its own pager; for the boards they run (a
    page of 50 too): proposed dates and a warning when a board falls behind."""
    visible = selectors.meetings_for_user(request.user)
    now = timezone.now()
    upcoming, upcoming_query = _paged(
        request,
        visible.filter(starts_at__gte=now).order_by("starts_at", "pk"),
        "upcoming",
    )
    past, past_query = _paged(
        request, visible.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), "past"
    )
    # The boards they run, a page at a time too: an administrator runs every board.
    runnable, runnable_query = _paged(
        request, selectors.runnable_boards(request.user), "boards"
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "upcoming": upcoming,
            "upcoming_query": upcoming_query,
            "past": past,
            "past_query": past_query,
            "runnable": runnable,
            "runnable_query": runnable_query,
            "schedules": selectors.board_schedules(runnable.object_list),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    """Schedule an ordinary, extraordinary or reconvened meeting. Boards: those the
    user runs, and those where they hold a voting seat (extraordinary only)."""
    boards = boards_for_user(request.user).filter(active=True)
    initial = {}
    if request.GET.get("board"):
        initial["board"] = request.GET["board"]
    if request.GET.get("date"):
        initial["date"] = request.GET["date"]
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    if request.GET.get("reconvenes"):
        initial["reconvenes"] = request.GET["reconvenes"]
    form = MeetingForm(request.POST or None, boards=boards, initial=initial)
    if request.method == "POST" and form.is_valid():
        board = form.cleaned_data["board"]
        kind = form.cleaned_data["kind"]
        member_calls = (
            kind == Meeting.Kind.EXTRAORDINARY
            and board.seats.filter(
                active=True, voting=True, holder=request.user
            ).exists()
        )
        if not (can_run_meeting(request.user, board) or member_calls):
            raise PermissionDenied("You may not schedule meetings of this board.")
        try:
            meeting = lifecycle.meeting_schedule(
                board=board,
                kind=kind,
                starts_at=form.starts_at,
                location=form.cleaned_data["location"],
                purpose=form.cleaned_data["purpose"],
                reconvenes=form.cleaned_data["reconvenes"],
                by=request.user,
                recording_past=form.cleaned_data["recording_past"],
                deadlines_confirmed=form.cleaned_data["confirm_deadlines"],
            )
        except RuleViolation as exc:
            _rule_error(form, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{meeting} scheduled.")
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form})


@require_GET
def meeting_detail(request, pk):
    """The meeting as a member (or guest) sees it: agenda, the papers they may
    read, their seats with apologies and "my deputy will attend"."""
    meeting = get_meeting_for_user(request.user, pk, versioned=True)
    actions_allowed = workflow.available_actions(meeting, request.user)

    def draw():
        """The page's reads and its rendering, only when the cached page is a
        miss (``meetings/page_cache.py``)."""
        page = selectors.meeting_page(request.user, meeting)
        context = {
            "meeting": meeting,
            "page": page,
            "actions": actions_allowed,
            **page_cache.RENDER_WITH,
        }
        return (
            render(request, "meetings/meeting_detail.html", context),
            page.valid_until,
        )

    vary = page_cache.vary(request.user, actions_allowed)
    return page_cache.respond(request, "detail", meeting, vary, draw)


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    """Move (reschedule) the meeting or change its place: the members and deputies
    are mailed the change."""
    meeting = get_meeting_for_user(request.user, pk, run=True)
    if "edit" not in workflow.available_actions(meeting, request.user):
        messages.error(
            request,
            f"The meeting is {meeting.get_status_display().lower()}: its date and "
            "place are part of the record.",
        )
        return redirect("meetings:run", pk=pk)
    local = timezone.localtime(meeting.starts_at)
    form = MeetingEditForm(
        request.POST or None,
        current_date=local.date(),
        initial={
            "date": local.date(),
            "time": local.time(),
            "location": meeting.location,
            "purpose": meeting.purpose,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.meeting_update(
                meeting=meeting,
                starts_at=form.starts_at,
                location=form.cleaned_data["location"],
                purpose=form.cleaned_data["purpose"],
                by=request.user,
                recording_past=form.cleaned_data["recording_past"],
                deadlines_confirmed=form.cleaned_data["confirm_deadlines"],
            )
        except RuleViolation as exc:
            _rule_error(form, exc)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, "Meeting updated; the members are told of any change."
            )
            return redirect(meeting)
    return render(
        request, "meetings/meeting_edit.html", {"form": form, "meeting": meeting}
    )


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Cancel the meeting, with a reason, and mail the members and deputies."""
    meeting = get_meeting_for_user(request.user, pk, run=True)
    if "cancel" not in workflow.available_actions(meeting, request.user):
        messages.error(
            request,
            f"The meeting is {meeting.get_status_display().lower()}: it cannot be "
            "cancelled.",
        )
        return redirect("meetings:run", pk=pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.meeting_cancel(
                meeting=meeting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, "The meeting is cancelled; the members have been told."
            )
            return redirect(meeting)
    return render(
        request, "meetings/meeting_cancel.html", {"form": form, "meeting": meeting}
    )


# What the page says after each status action (``lifecycle.STATUS_SERVICES``);
# cancelling has its own page, with the reason mailed to the members.
STATUS_DONE = {
    "start": "The meeting has started.",
    "close": "The meeting is closed.",
    "inquorate": "Recorded as inquorate: reconvene it within one month.",
    "publish": "The agenda and papers are issued.",
}


@require_POST
def meeting_status(request, pk, action):
    """Start, close, declare inquorate, or publish the agenda. Starting on another
    day than the meeting's takes the reason given with the Start button."""
    meeting = get_meeting_for_user(request.user, pk, run=True)
    if action not in STATUS_DONE:
        raise Http404
    service, done = lifecycle.STATUS_SERVICES[action], STATUS_DONE[action]
    extra = {}
    if action == "start":
        extra["reason"] = request.POST.get("reason", "")
    try:
        service(meeting=meeting, by=request.user, **extra)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("meetings:run", pk=pk)


@require_POST
def meeting_authorise_start(request, pk):
    """Whoever chairs authorises starting before the agenda is issued."""
    meeting = get_meeting_for_user(request.user, pk)
    if not can_chair_meeting(request.user, meeting):
        raise PermissionDenied(
            "Only whoever chairs authorises starting before the agenda is issued."
        )
    try:
        lifecycle.meeting_authorise_start_without_agenda(
            meeting=meeting, by=request.user
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Starting before the agenda is issued: authorised and recorded."
        )
    return redirect("meetings:run", pk=pk)


@require_POST
def meeting_authorise_late(request, pk):
    """The chair authorises late circulation of the agenda and papers (IE)."""
    meeting = get_meeting_for_user(request.user, pk)
    if not can_chair_meeting(request.user, meeting):
        raise PermissionDenied("Only the chair authorises late circulation.")
    try:
        agenda.meeting_authorise_late_circulation(meeting=meeting, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Late circulation authorised and recorded.")
    return redirect("meetings:run", pk=pk)


# --- agenda items ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    meeting = get_meeting_for_user(request.user, pk, run=True)
    form = ItemForm(request.POST or None, board=meeting.board)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        motion = None
        if data["kind"] == "decision":
            motion = agenda.MotionInput(
                text=data["motion_text"],
                financial_value=data["financial_value"],
                commits=list(data["commits"]) or None,
            )
        try:
            agenda.item_add(
                meeting=meeting,
                title=data["title"],
                business_type=data["business_type"],
                kind=data["kind"],
                presenter=data["presenter"],
                confidential=data["confidential"],
                exempt_paragraph=data["exempt_paragraph"],
                motion=motion,
                by=request.user,
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Item “{data['title']}” added.")
            return redirect("meetings:run", pk=pk)
    return render(
        request,
        "meetings/item_form.html",
        {"form": form, "meeting": meeting, "item": None},
    )


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_item_for_user(request.user, pk, run=True)
    form = ItemForm(
        request.POST or None,
        with_motion=False,
        initial={
            "title": item.title,
            "business_type": item.business_type,
            "kind": item.kind,
            "presenter": item.presenter,
            "confidential": item.confidential,
            "exempt_paragraph": item.exempt_paragraph,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agenda.item_update(item=item, by=request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Item saved.")
            return redirect("meetings:run", pk=item.meeting_id)
    return render(
        request,
        "meetings/item_form.html",
        {"form": form, "meeting": item.meeting, "item": item},
    )


@require_POST
def item_move(request, pk, direction):
    item = get_item_for_user(request.user, pk, run=True)
    agenda.item_move(item=item, by=request.user, up=direction == "up")
    return redirect(
        reverse("meetings:run", args=[item.meeting_id]) + f"#item-{item.pk}"
    )


# --- papers ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def paper_upload(request, pk):
    item = get_item_for_user(request.user, pk, run=True)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            paper = papers.paper_upload(
                item=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if paper.late:
                messages.warning(
                    request,
                    "Paper uploaded after the papers deadline: members see it once "
                    "the chair authorises late circulation.",
                )
            else:
                messages.success(request, "Paper uploaded.")
            return redirect(
                reverse("meetings:run", args=[item.meeting_id]) + f"#item-{item.pk}"
            )
    return render(request, "meetings/paper_form.html", {"form": form, "item": item})


@require_GET
def paper_download(request, pk):
    """Stream a paper to someone allowed to read it, as an attachment with its
    checked content type; never from a public URL."""
    paper = get_paper_for_user(request.user, pk)
    meeting = paper.item.meeting
    if not can_run_meeting(request.user, meeting) and not papers.paper_issued(
        paper, meeting
    ):
        raise PermissionDenied("This paper has not been issued yet.")
    extension = paper.file.name.rsplit(".", 1)[-1]
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The paper's file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{paper.title[:120]}.{extension}"
        if not paper.title.lower().endswith(f".{extension}")
        else paper.title,
        content_type=paper.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def paper_authorise(request, pk):
    paper = get_paper_for_user(request.user, pk)
    if not can_chair_meeting(request.user, paper.item.meeting):
        raise PermissionDenied("Only the chair authorises late papers.")
    try:
        papers.paper_authorise_late(paper=paper, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Late circulation of “{paper.title}” authorised.")
    return redirect("meetings:run", pk=paper.item.meeting_id)


# --- guests ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def guest_invite(request, pk):
    """Invite a guest for named items; approved at once when the chair invites,
    otherwise awaiting the chair's agreement (Portsmouth PMG ToR 1.1)."""
    meeting = get_meeting_for_user(request.user, pk, run=True)
    form = GuestForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        user = (
            get_user_model().objects.filter(email__iexact=email).first()
            if email
            else None
        )
        try:
            guests.guest_invite(
                meeting=meeting,
                name=form.cleaned_data["name"],
                email=email,
                user=user,
                items=form.cleaned_data["items"],
                approved=is_meeting_chair(request.user, meeting),
                by=request.user,
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Guest invited.")
            return redirect("meetings:run", pk=pk)
    return render(
        request, "meetings/guest_form.html", {"form": form, "meeting": meeting}
    )


@require_POST
def guest_approve(request, pk):
    guest = get_object_or_404(Guest.objects.select_related("meeting__board"), pk=pk)
    if not can_chair_meeting(request.user, guest.meeting):
        raise PermissionDenied("Only the chair agrees to a guest.")
    try:
        guests.guest_approve(guest=guest, by=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{guest.name} approved as a guest.")
    return redirect("meetings:run", pk=guest.meeting_id)


# --- calendars ------------------------------------------------------------------


def _ics(content: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    meetings = Meeting.objects.filter(pk=meeting.pk).select_related("board")
    body = ical.calendar_for(
        meetings.prefetch_related("items"),
        name=str(meeting),
        base_url=request.build_absolute_uri("/"),
        # A guest reads only the items they are invited to (issue 14).
        shows_item=lambda item: can_view_item(request.user, item),
    )
    return _ics(body, f"meeting-{meeting.pk}.ics", attachment=True)


@require_GET
def board_ics(request, pk):
    board = get_board_for_user(request.user, pk)
    meetings = board.meetings.select_related("board").prefetch_related("items")
    body = ical.calendar_for(
        meetings,
        name=f"{board.label} meetings",
        base_url=request.build_absolute_uri("/"),
    )
    return _ics(body, f"board-{board.pk}.ics", attachment=False)


@login_not_required
@require_GET
def person_ics(request, token):
    """A person's calendar feed for calendar apps, which cannot sign in: the
    secret ``User.ical_token`` in the URL identifies them. Read-only (GET), and
    it shows only what that person could see signed in."""
    user = get_object_or_404(get_user_model(), ical_token=token, is_active=True)
    meetings = (
        selectors.meetings_for_user(user)
        .exclude(starts_at__lt=timezone.now() - timezone.timedelta(days=365))
        .prefetch_related("items")
    )
    board_ids = set(boards_for_user(user).values_list("pk", flat=True))
    guest_items = set(
        Guest.items.through.objects.filter(
            guest__user=user, guest__approved_at__isnull=False
        ).values_list("agendaitem_id", flat=True)
    )
    body = ical.calendar_for(
        meetings,
        name="Partnership meetings",
        base_url=request.build_absolute_uri("/"),
        shows_item=lambda item: (
            item.meeting.board_id in board_ids or item.pk in guest_items
        ),
    )
    return _ics(body, "meetings.ics", attachment=False)


@require_GET
def calendar_page(request):
    """Where a person finds their feed address and the boards' feeds."""
    feed = request.build_absolute_uri(
        reverse("meetings:ical_person", args=[request.user.ical_token])
    )
    return render(
        request,
        "meetings/calendar.html",
        {"feed": feed, "boards": boards_for_user(request.user)},
    )


urlpatterns = [
    path("", meeting_list, name="list"),
    path("new/", meeting_create, name="create"),
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/<uuid:token>.ics", person_ics, name="ical_person"),
    path("calendar/board/<int:pk>.ics", board_ics, name="ical_board"),
    path("<int:pk>/", meeting_detail, name="detail"),
    path("<int:pk>/edit/", meeting_edit, name="edit"),
    path("<int:pk>/meeting.ics", meeting_ics, name="ical_meeting"),
    path("<int:pk>/status/<slug:action>/", meeting_status, name="status"),
    path("<int:pk>/cancel/", meeting_cancel, name="cancel"),
    path("<int:pk>/authorise-start/", meeting_authorise_start, name="authorise_start"),
    path("<int:pk>/authorise-late/", meeting_authorise_late, name="authorise_late"),
    path("<int:pk>/items/new/", item_create, name="item_create"),
    path("<int:pk>/guests/new/", guest_invite, name="guest_invite"),
    path("items/<int:pk>/edit/", item_edit, name="item_edit"),
    path("items/<int:pk>/move/<slug:direction>/", item_move, name="item_move"),
    path("items/<int:pk>/papers/new/", paper_upload, name="paper_upload"),
    path("papers/<int:pk>/", paper_download, name="paper"),
    path("papers/<int:pk>/authorise/", paper_authorise, name="paper_authorise"),
    path("guests/<int:pk>/approve/", guest_approve, name="guest_approve"),
    *meeting_live.urlpatterns,
]
