"""The boards part of a person's page (registered in ``BoardsConfig.ready()``): the
seats they hold or deputise on, the seats they held before (from the seats' audit
history), their terms as chair and the boards they are secretary of; only boards the
viewer may see."""

from django.db.models import Q

from .models import Board, ChairTerm, Seat
from .permissions import boards_for_user


def person_section(person, viewer) -> dict:
    visible = boards_for_user(viewer).values("pk")
    seats = (
        Seat.objects.filter(Q(holder=person) | Q(deputy=person), board__in=visible)
        .select_related("board", "partner")
        .order_by("board__name", "order")
    )
    current = [s for s in seats if s.active]
    current_ids = {s.pk for s in current if s.holder_id == person.pk}
    former_ids = (
        Seat.history.filter(holder=person, board__in=visible)
        .exclude(id__in=current_ids)
        .values_list("id", flat=True)
        .distinct()
    )
    former = (
        Seat.objects.filter(pk__in=former_ids)
        .select_related("board", "partner")
        .order_by("board__name", "order")
    )
    return {
        "person": person,
        "seats": current,
        "former_seats": former,
        "chair_terms": ChairTerm.objects.filter(person=person, board__in=visible)
        .select_related("board", "seat")
        .order_by("-starts_on"),
        "secretary_of": Board.objects.filter(secretaries=person, pk__in=visible),
    }


def merge_check(keep, duplicate) -> list[str]:
    """After a merge one person would both hold and deputise these seats."""
    clash = Seat.objects.filter(
        Q(holder=keep, deputy=duplicate) | Q(holder=duplicate, deputy=keep),
        active=True,
    ).select_related("board")
    return [
        f"They are holder and deputy of the same seat ({seat.title}, "
        f"{seat.board.label}): name another deputy first."
        for seat in clash
    ]
