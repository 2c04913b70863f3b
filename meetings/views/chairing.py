"""Who chairs the meeting (the secretary's live page) and chair-only acts recorded
by the secretary on the chair's written authority, with the evidence (SPEC s.1)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from boards.models import Seat
from governance.exceptions import RuleViolation, refusal_text

from ..forms import ChairAuthorityForm
from ..models import AgendaItem, ChairAuthority, Guest, MinutesVersion, Paper
from ..permissions import can_record_chair_authority, get_meeting_for_user
from ..services import chairing


@require_POST
def meeting_chair(request, pk):
    """Record who chairs this meeting (the seat whose attendee chairs)."""
    meeting = get_meeting_for_user(request.user, pk, run=True)
    seat = get_object_or_404(
        Seat, pk=request.POST.get("seat") or 0, board_id=meeting.board_id
    )
    try:
        chair = chairing.meeting_chair_set(meeting=meeting, seat=seat, by=request.user)
    except (RuleViolation, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            f"{chair.person} chairs the meeting ({chair.get_capacity_display().lower()}).",
        )
    return redirect("meetings:run", pk=pk)


def _target(meeting, act: str, request):
    """The object the act is on (a paper, a guest, a minutes version), if any."""
    ref = request.GET.get("id") or request.POST.get("id") or 0
    if act == ChairAuthority.Act.LATE_PAPER:
        return get_object_or_404(Paper, pk=ref, item__meeting=meeting)
    if act == ChairAuthority.Act.GUEST:
        return get_object_or_404(Guest, pk=ref, meeting=meeting)
    if act == ChairAuthority.Act.MINUTES_APPROVAL:
        return get_object_or_404(MinutesVersion, pk=ref, meeting=meeting)
    if act == ChairAuthority.Act.MINUTES_CONFIRMATION:
        # This meeting's standing item "Minutes of the previous meeting".
        return get_object_or_404(
            AgendaItem,
            meeting=meeting,
            standing=AgendaItem.Standing.PREVIOUS_MINUTES,
        )
    return None


@require_http_methods(["GET", "POST"])
def chair_authority(request, pk, act):
    """The secretary records a chair-only act on the chair's written authority."""
    meeting = get_meeting_for_user(request.user, pk)
    if act not in ChairAuthority.Act.values:
        raise Http404("Not a chair-only act.")
    if not can_record_chair_authority(request.user, meeting):
        raise PermissionDenied(
            "Only the board's secretary records an act on the chair's authority."
        )
    target = _target(meeting, act, request)
    chair = (
        Seat.objects.filter(board_id=meeting.board_id, is_chair=True, active=True)
        .select_related("holder")
        .first()
    )
    form = ChairAuthorityForm(
        request.POST or None,
        request.FILES or None,
        initial={"chair_name": chair.holder.name if chair and chair.holder else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            chairing.chair_act(
                meeting=meeting,
                act=act,
                target=target,
                by=request.user,
                chair_name=form.cleaned_data["chair_name"],
                evidence=form.cleaned_data["evidence"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"{ChairAuthority.Act(act).label} recorded on the chair's written "
                "authority.",
            )
            if act == ChairAuthority.Act.MINUTES_APPROVAL:
                return redirect("meetings:minutes", pk=meeting.pk)
            return redirect("meetings:run", pk=meeting.pk)
    return render(
        request,
        "meetings/chair_authority.html",
        {
            "meeting": meeting,
            "form": form,
            "act": ChairAuthority.Act(act),
            "target": target,
        },
    )


urlpatterns = [
    path("<int:pk>/chair/", meeting_chair, name="meeting_chair"),
    path(
        "<int:pk>/chair-authority/<str:act>/",
        chair_authority,
        name="chair_authority",
    ),
]
