"""Reads for minutes, shaped for one page or endpoint. Query counts do not grow
with the number of items, versions, deliveries or deadlines."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from boards.models import Board
from governance.permissions import reads_everything

from .. import deadlines as rules
from ..models import (
    AgendaItem,
    Delivery,
    Meeting,
    MinutesDeadline,
    MinutesDownload,
    MinutesVersion,
)


def _deliveries():
    return Delivery.objects.select_related("officer__partner", "outbox").order_by(
        "officer__partner__name", "officer__name"
    )


def minutes_page(meeting: Meeting, user) -> dict:
    """The minutes page of one meeting: versions (newest first) with their
    deliveries, the current version's narrative per item, the deadline."""
    versions = list(
        MinutesVersion.objects.filter(meeting=meeting)
        .select_related(
            "corrects",
            "approved_by",
            "approval_authority",
            "circulated_by",
            "confirmed_at_meeting",
            "confirmed_by",
        )
        .defer("pdf", "full_pdf", "signed_pdf", "signed_full_pdf", "record")
        .prefetch_related(
            Prefetch("deliveries", queryset=_deliveries(), to_attr="delivery_list")
        )
        .order_by("-number")
    )
    current = versions[0] if versions else None
    texts = {}
    if current is not None:
        texts = dict(current.entries.values_list("item_id", "text"))
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
    for item in items:
        item.minutes_text = texts.get(item.pk, "")
    deadline = MinutesDeadline.objects.filter(meeting=meeting).first()
    if deadline is None and meeting.status in (
        Meeting.Status.CLOSED,
        Meeting.Status.INQUORATE,
    ):
        # Beat makes the row on its next sweep; show the same date meanwhile.
        deadline = MinutesDeadline(
            meeting=meeting,
            due_on=rules.minutes_due_on(
                meeting.starts_at, meeting.board.minutes_deadline_days
            ),
        )
    record_deliveries = list(
        _deliveries().filter(meeting=meeting, kind=Delivery.Kind.RECORD_OF_DECISIONS)
    )
    next_meeting = None
    if current is not None and current.status == MinutesVersion.Status.CIRCULATED:
        next_meeting = meeting.following()
    return {
        "meeting": meeting,
        "next_meeting": next_meeting,
        "versions": versions,
        "current": current,
        "items": items,
        "deadline": deadline,
        "deadline_status": (
            STATUS_LABELS[_status(deadline, timezone.now())] if deadline else None
        ),
        "record_deliveries": record_deliveries,
    }


STATUS_LABELS = {
    rules.DeadlineStatus.DUE: "Due",
    rules.DeadlineStatus.SENT_ON_TIME: "Sent on time",
    rules.DeadlineStatus.SENT_LATE: "Sent late",
    rules.DeadlineStatus.OVERDUE: "Overdue",
}


@dataclass(frozen=True)
class DeadlineRow:
    deadline: MinutesDeadline
    status: rules.DeadlineStatus
    circulated: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _status(deadline: MinutesDeadline, now) -> rules.DeadlineStatus:
    return rules.deadline_status(
        rules.DeadlineState(due_on=deadline.due_on, sent_at=deadline.met_at), now=now
    )


def boards_for_minutes(user):
    """Boards whose deadlines the user sees: all for administrators and auditors,
    else boards the user is secretary or a member of."""
    if reads_everything(user):
        return Board.objects.all()
    return Board.objects.filter(
        Q(secretaries=user) | Q(seats__holder=user) | Q(seats__deputy=user)
    ).distinct()


def deadlines(user, *, open_only: bool = False, boards=None, oldest_first=False):
    """The minutes deadlines of the boards the user sees, newest first (a queryset:
    pages slice it; ``deadline_rows`` turns a slice into rows)."""
    boards = boards if boards is not None else boards_for_minutes(user)
    queryset = (
        MinutesDeadline.objects.filter(meeting__board__in=boards)
        .select_related("meeting__board")
        .annotate(
            # Whether any version went out: a subquery per row of the page, not a
            # count grouped over every deadline before the page is cut.
            circulated=Exists(
                MinutesVersion.objects.filter(
                    meeting=OuterRef("meeting"), circulated_at__isnull=False
                )
            )
        )
        .order_by("due_on" if oldest_first else "-due_on", "pk")
    )
    if open_only:
        queryset = queryset.filter(met_at__isnull=True)
    return queryset


def deadline_rows(
    user, *, open_only: bool = False, boards=None, deadlines_=None
) -> list[DeadlineRow]:
    """Rows with status for ``deadlines_`` (a page or slice of ``deadlines``), by
    default every deadline the user sees."""
    now = timezone.now()
    if deadlines_ is None:
        deadlines_ = deadlines(user, open_only=open_only, boards=boards)
    return [
        DeadlineRow(deadline=d, status=_status(d, now), circulated=bool(d.circulated))
        for d in deadlines_
    ]


def audit_versions():
    """Every circulated version with its checksums and deliveries, newest first
    (versions circulated at the same moment newest made first, so pages do not
    overlap)."""
    return (
        MinutesVersion.objects.filter(circulated_at__isnull=False)
        .select_related("meeting__board", "circulated_by")
        .defer("pdf", "full_pdf", "signed_pdf", "signed_full_pdf", "record")
        .prefetch_related(
            Prefetch("deliveries", queryset=_deliveries(), to_attr="delivery_list")
        )
        # Each row's downloads counted by a subquery: the page's 50 rows, not a
        # count grouped over every circulated version before the page is cut.
        .annotate(
            download_count=Coalesce(
                Subquery(
                    MinutesDownload.objects.filter(version=OuterRef("pk"))
                    .order_by()
                    .values("version")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-circulated_at", "-pk")
    )


def latest_circulated(meeting: Meeting) -> MinutesVersion | None:
    """The newest circulated (or confirmed) version: what the API serves."""
    return (
        MinutesVersion.objects.filter(
            meeting=meeting,
            status__in=[
                MinutesVersion.Status.CIRCULATED,
                MinutesVersion.Status.CONFIRMED,
            ],
        )
        .order_by("-number")
        .first()
    )


def dashboard_panels(user) -> list[dict]:
    """A board's secretaries see its minutes deadlines not yet met, soonest first."""
    if not user.is_authenticated:
        return []
    if reads_everything(user):
        return [
            {
                "title": "Circulated minutes",
                "template": "meetings/minutes/partials/audit_panel.html",
                "versions": MinutesVersion.objects.filter(
                    circulated_at__isnull=False
                ).count(),
            }
        ]
    if not Board.secretaries.through.objects.filter(user_id=user.pk).exists():
        return []
    secretary_of = Board.objects.filter(secretaries=user)
    soonest = deadlines(user, open_only=True, boards=secretary_of, oldest_first=True)
    rows = deadline_rows(user, deadlines_=soonest[:10])
    return [
        {
            "title": "Minutes deadlines",
            "template": "meetings/minutes/partials/deadline_panel.html",
            "rows": rows,
            "today": timezone.localdate(),
        }
    ]
