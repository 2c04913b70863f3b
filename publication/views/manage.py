"""The board's publication setting, for its secretaries and administrators (signed
in): publish or stop, with the source of the rule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from boards.permissions import get_board_for_user

from ..forms import PublicationForm
from ..models import BoardPublication
from ..services.publication import board_publication_set


@require_http_methods(["GET", "POST"])
def publication_edit(request, pk):
    board = get_board_for_user(request.user, pk, manage=True)
    current = BoardPublication.objects.filter(board=board).first()
    initial = {}
    if current is not None:
        initial = {
            "published": current.published,
            "source": current.source,
            "decided_by": current.decided_by,
            "decided_on": current.decided_on,
        }
    form = PublicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            board_publication_set(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Publication setting saved.")
            return redirect(board.get_absolute_url())
    return render(
        request, "publication/publication_form.html", {"board": board, "form": form}
    )
