"""The meetings part of a person's page (registered in ``MeetingsConfig.ready()``):
their attendance and their declarations of interest, newest first, at boards the
viewer may see."""

from boards.permissions import boards_for_user

from ..models import Attendance, Declaration

ROWS = 50


def person_section(person, viewer) -> dict:
    visible = boards_for_user(viewer).values("pk")
    attendance = (
        Attendance.objects.filter(attendee=person, meeting__board__in=visible)
        .select_related("meeting__board", "seat__partner")
        .order_by("-meeting__starts_at")
    )
    declarations = (
        Declaration.objects.filter(person=person, item__meeting__board__in=visible)
        .select_related("item__meeting__board")
        .order_by("-item__meeting__starts_at")
    )
    return {
        "attendance": list(attendance[:ROWS]),
        "attendance_count": attendance.count(),
        "declarations": list(declarations[:ROWS]),
        "declarations_count": declarations.count(),
    }
