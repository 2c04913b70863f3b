from django.shortcuts import render
from django.views.decorators.http import require_GET

from .permissions import get_board_for_user, boards_for_user


@require_GET
def board_list(request):
    return render(request, "boards/board_list.html", {"boards": boards_for_user(request.user)})


@require_GET
def board_detail(request, pk):
    board = get_board_for_user(request.user, pk)
    return render(request, "boards/board_detail.html", {"board": board})
