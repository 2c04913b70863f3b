"""Following a board: a visitor gives an e-mail address and confirms it from the
mail; a signed-in person follows at once; every digest links to the page that ends
it. Confirming and ending are POSTs behind a page, so a mail scanner that opens
links changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors
from ..context import render_public
from ..forms import FollowForm
from ..models import Subscription
from ..services import subscriptions


@login_not_required
@require_POST
def follow(request, pk):
    board = selectors.public_board(pk)
    if request.user.is_authenticated:
        subscriptions.subscription_follow(board=board, user=request.user)
        messages.success(
            request,
            f"You follow {board.name}: a digest goes to {request.user.email} each "
            "week there is something new.",
        )
        return redirect("public:board", pk=board.pk)
    form = FollowForm(request.POST)
    if not form.is_valid():
        context = selectors.board_page(board) | {"follow_form": form}
        return render_public(request, "publication/board.html", context, status=400)
    subscriptions.subscription_request(board=board, email=form.cleaned_data["email"])
    return render_public(
        request,
        "publication/follow_sent.html",
        {"board": board, "email": form.cleaned_data["email"]},
    )


def _subscription(token: str) -> Subscription:
    sub = Subscription.objects.select_related("board").filter(token=token).first()
    if sub is None:
        raise Http404("This link is not valid.")
    return sub


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    sub = _subscription(token)
    if request.method == "POST":
        sub = subscriptions.subscription_confirm(token=token)
        if sub is None:
            raise Http404("This link is not valid.")
    return render_public(
        request, "publication/subscription_confirm.html", {"subscription": sub}
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def end(request, token):
    sub = _subscription(token)
    if request.method == "POST":
        sub = subscriptions.subscription_end(token=token)
    return render_public(
        request, "publication/subscription_end.html", {"subscription": sub}
    )
