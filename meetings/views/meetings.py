from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from boards.permissions import boards_for_user, get_board_for_user

from ..models import Meeting


@require_GET
def meeting_list(request):
    meetings = Meeting.objects.filter(board__in=boards_for_user(request.user)).select_related(
        "board"
    )
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@require_GET
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("board"), pk=pk)
    get_board_for_user(request.user, meeting.board_id)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


urlpatterns = [
    path("", meeting_list, name="list"),
    path("<int:pk>/", meeting_detail, name="detail"),
]
