"""Writes for a meeting's agenda: issuing it (with the chair's authority when late),
items and their motions, their order and notes."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from boards.models import DecisionKind, Partner
from governance import calendar
from governance.calendar import local_date
from governance.exceptions import RuleViolation
from governance.links import absolute_url
from governance.mail import render_mail
from governance.outbox import outbox_enqueue

from .. import agenda_order, scheduling
from ..models import (
    AgendaDistribution,
    AgendaIssue,
    AgendaItem,
    Meeting,
    Motion,
    Paper,
)

Status = Meeting.Status


# --- agenda -------------------------------------------------------------------


def papers_deadline(meeting: Meeting) -> date | None:
    """The last date the agenda and papers may be issued (Leicestershire IE: "no
    later than 4 working days before the meeting"), or None where the board's terms
    state no papers deadline (then nothing is late)."""
    if meeting.board.papers_working_days is None:
        return None
    return calendar.papers_deadline(
        local_date(meeting.starts_at), meeting.board.papers_working_days
    )


def is_late(meeting: Meeting, moment: datetime) -> bool:
    deadline = papers_deadline(meeting)
    return deadline is not None and local_date(moment) > deadline


@transaction.atomic
def meeting_authorise_late_circulation(
    *, meeting: Meeting, by, now: datetime | None = None, authority=None
) -> Meeting:
    """Whoever chairs the meeting authorises circulating the agenda and papers late,
    or the secretary records it on the chair's written authority (``authority``)."""
    from .chairing import chair_act_record

    return chair_act_record(
        meeting=meeting, by=by, act="late_circulation", authority=authority, now=now
    )


@transaction.atomic
def meeting_publish_agenda(
    *, meeting: Meeting, by, now: datetime | None = None
) -> Meeting:
    """Issue the agenda and the papers uploaded so far, recording the time, and mail
    every member and deputy of the board (``_notify_agenda_issued``). After the
    papers deadline the first issue needs the chair's recorded authorisation; papers
    issued late are marked late and authorised by it.

    Issuing again sends a supplement: the papers (and items) members may read now
    that no earlier issue carried, mailed again to everyone; refused when there is
    nothing new. Lock: the meeting row (FOR UPDATE), so two clicks issue once."""
    now = now or timezone.now()
    meeting = (
        Meeting.objects.select_for_update().select_related("board").get(pk=meeting.pk)
    )
    if meeting.status in (Status.CLOSED, Status.CANCELLED, Status.INQUORATE):
        raise RuleViolation("This meeting is over.", rule="meeting_status")
    if not meeting.items.exists():
        raise RuleViolation("The agenda has no items yet.", rule="agenda_empty")
    from .papers import paper_issued  # papers imports this module

    previous = list(AgendaIssue.objects.filter(meeting=meeting).order_by("number"))
    if not previous:
        _first_issue_checks_and_marks(meeting, now)
    papers = [
        p
        for p in Paper.objects.filter(item__meeting=meeting).select_related("item")
        if paper_issued(p, meeting)
    ]
    item_ids = sorted(meeting.items.values_list("pk", flat=True))
    seen_papers = {pk for issue in previous for pk in issue.papers}
    seen_items = {pk for issue in previous for pk in issue.items}
    new_papers = [p for p in papers if p.pk not in seen_papers]
    new_items = [pk for pk in item_ids if pk not in seen_items]
    if previous and not (new_papers or new_items):
        raise RuleViolation(
            "Nothing has been added since the agenda was issued on "
            f"{scheduling.fmt(local_date(previous[0].issued_at))}: there is no "
            "supplement to send. (A late paper is sent once the chair authorises it.)",
            rule="agenda_supplement_empty",
        )
    issue = AgendaIssue.objects.create(
        meeting=meeting,
        number=len(previous) + 1,
        kind=AgendaIssue.Kind.SUPPLEMENT if previous else AgendaIssue.Kind.AGENDA,
        issued_at=now,
        issued_by=by if getattr(by, "pk", None) else None,
        papers=sorted(p.pk for p in papers),
        items=item_ids,
    )
    _notify_agenda_issued(
        meeting,
        issue=issue,
        new_papers=new_papers if previous else papers,
        new_items=(
            list(meeting.items.filter(pk__in=new_items).order_by("order"))
            if previous
            else []
        ),
    )
    return meeting


def _first_issue_checks_and_marks(meeting: Meeting, now: datetime) -> None:
    """The papers deadline and late marks of the first issue. An agenda issued
    before issues were recorded keeps its time and is not checked again."""
    if meeting.agenda_published_at is not None:
        return
    late = is_late(meeting, now)
    if late and meeting.late_circulation_authorised_at is None:
        deadline = papers_deadline(meeting)
        raise RuleViolation(
            f"The agenda and papers were due by {scheduling.fmt(deadline)} "
            f"({meeting.board.papers_working_days} working days before the meeting); "
            "issuing them later needs the chair's authorisation, recorded first.",
            rule="papers_deadline",
        )
    meeting.agenda_published_at = now
    meeting.save(update_fields=["agenda_published_at"])
    if late:
        # Row by row, so each paper's audit history records the authorisation.
        for paper in Paper.objects.filter(
            item__meeting=meeting, late_authorised_at__isnull=True
        ):
            paper.late = True
            paper.late_authorised_by = meeting.late_circulation_authorised_by
            paper.late_authorised_at = meeting.late_circulation_authorised_at
            paper.save(
                update_fields=["late", "late_authorised_by", "late_authorised_at"]
            )


def agenda_recipients(meeting: Meeting) -> list:
    """Every holder and deputy of the board's active seats, active and with an
    e-mail address, once each."""
    people = {}
    for seat in meeting.board.seats.filter(active=True).select_related(
        "holder", "deputy"
    ):
        for person in (seat.holder, seat.deputy):
            if person is not None and person.email and person.is_active:
                people[person.pk] = person
    return sorted(people.values(), key=lambda p: (p.name, p.pk))


def _notify_agenda_issued(
    meeting: Meeting, *, issue: AgendaIssue, new_papers: list, new_items: list
) -> None:
    """Mail each holder and deputy of the board's active seats a link to the meeting
    and to the agenda pack, through the outbox in this transaction (so it survives a
    worker crash), and record one ``AgendaDistribution`` per person and issue. The
    pack is linked, not attached: it is built on request for whoever may read it
    (confidential papers only for those entitled), so nothing exempt sits in a
    mailbox. Idempotent: the outbox key and the row are unique per issue and
    person."""
    context = {
        "meeting": meeting,
        "issue": issue,
        "supplement": issue.kind == AgendaIssue.Kind.SUPPLEMENT,
        "papers": new_papers,
        "items": new_items,
        "meeting_link": absolute_url(meeting),
        "pack_link": absolute_url(reverse("meetings:minutes", args=[meeting.pk]))
        + "#agenda-pack",
    }
    for person in agenda_recipients(meeting):
        subject, body = render_mail(
            "emails/agenda_issued", context | {"person": person}
        )
        message = outbox_enqueue(
            key=f"agenda:{meeting.pk}:issue:{issue.number}:{person.pk}",
            to=person.email,
            subject=subject,
            body=body,
        )
        AgendaDistribution.objects.get_or_create(
            issue=issue,
            person=person,
            defaults={"email": person.email, "outbox": message},
        )


def _next_order(meeting: Meeting) -> int:
    top = meeting.items.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


def _slots(meeting_id: int) -> tuple[list[AgendaItem], list[agenda_order.Slot]]:
    """Lock: the meeting's item rows, FOR UPDATE (two renumberings never
    interleave)."""
    items = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=meeting_id)
        .order_by("order", "id")
    )
    return items, [agenda_order.Slot(i.pk, i.standing, i.order) for i in items]


def _renumber(items: list[AgendaItem], ids: list[int]) -> None:
    """Save orders 0..n-1 in the order given, row by row so each change has its
    history row."""
    by_id = {i.pk: i for i in items}
    for order, pk in enumerate(ids):
        item = by_id[pk]
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])


@transaction.atomic
def agenda_reorder(*, meeting: Meeting) -> None:
    """Put the agenda in its order (meetings/agenda_order.py): standing items in
    their places, business between matters arising and any other business."""
    items, slots = _slots(meeting.pk)
    _renumber(items, agenda_order.agenda_order(slots))


@transaction.atomic
def agenda_standing_items_add(*, meeting: Meeting) -> list[AgendaItem]:
    """The standing items every agenda gets (apologies, declarations of interest,
    minutes of the previous meeting, matters arising and the action log, any other
    business but at an extraordinary meeting), added where missing and put in
    order. Idempotent. Returns the items added."""
    items, _ = _slots(meeting.pk)
    added = [
        AgendaItem.objects.create(
            meeting=meeting,
            order=0,
            title=title,
            standing=kind,
            kind=AgendaItem.Kind.INFORMATION,
            business_type="routine",
        )
        for kind, title in agenda_order.missing_standing(
            [i.standing for i in items],
            extraordinary=meeting.kind == Meeting.Kind.EXTRAORDINARY,
        )
    ]
    agenda_reorder(meeting=meeting)
    return added


def standing_item(meeting: Meeting, standing: str) -> AgendaItem | None:
    return meeting.items.filter(standing=standing).order_by("order", "id").first()


@dataclass(frozen=True)
class MotionInput:
    text: str
    financial_value: Decimal | None = None
    commits: list[Partner] | None = None
    decision_kind: str = "other"
    within_risk_share: bool = False


def _check_exemption(item: AgendaItem) -> None:
    """A confidential item names the paragraph of Schedule 12A to the Local
    Government Act 1972 that exempts it (SPEC s.2); a public item has none."""
    if item.confidential and item.exempt_paragraph is None:
        raise ValidationError(
            {
                "exempt_paragraph": "A confidential item needs the paragraph of "
                "Schedule 12A (1-7) that exempts it."
            }
        )
    if not item.confidential:
        item.exempt_paragraph = None


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    title: str,
    by,
    business_type: str = "routine",
    kind: str | None = None,
    presenter: str = "",
    confidential: bool = False,
    exempt_paragraph: int | None = None,
    motion: MotionInput | None = None,
    referred_from: AgendaItem | None = None,
) -> AgendaItem:
    """Add an item at the end of the business, before any other business. An item
    with a motion is a decision
    item; its motion commits all the board's partners unless it names some (SPEC
    s.4). Advisory boards take no decisions: their motions are recommendations,
    recorded the same way."""
    if meeting.status in (Status.CLOSED, Status.CANCELLED, Status.INQUORATE):
        raise RuleViolation(
            "The agenda of a finished meeting is closed.", rule="meeting_status"
        )
    if motion is not None:
        kind = AgendaItem.Kind.DECISION
    item = AgendaItem(
        meeting=meeting,
        order=_next_order(meeting),
        title=title,
        business_type=business_type,
        kind=kind or AgendaItem.Kind.INFORMATION,
        presenter=presenter,
        confidential=confidential,
        exempt_paragraph=exempt_paragraph,
        referred_from=referred_from,
    )
    _check_exemption(item)
    item.full_clean(exclude=["meeting", "referred_from"])
    item.save()
    agenda_reorder(meeting=meeting)
    item.refresh_from_db(fields=["order"])
    if motion is not None:
        motion_create(item=item, motion=motion)
    return item


def motion_create(*, item: AgendaItem, motion: MotionInput) -> Motion:
    board_partners = set(item.meeting.board.partners.values_list("pk", flat=True))
    commits = motion.commits
    if commits:
        foreign = [p for p in commits if p.pk not in board_partners]
        if foreign:
            raise ValidationError(
                {"commits": f"{foreign[0]} is not a partner of this board."}
            )
        commit_ids = [p.pk for p in commits]
    else:
        commit_ids = list(board_partners)
    if motion.decision_kind not in DecisionKind.values:
        raise ValidationError(
            {"decision_kind": f"{motion.decision_kind!r} is not a kind of decision."}
        )
    row = Motion.objects.create(
        item=item,
        text=motion.text,
        financial_value=motion.financial_value,
        decision_kind=motion.decision_kind,
        within_risk_share=motion.within_risk_share,
    )
    row.commits.set(commit_ids)
    return row


@transaction.atomic
def item_update(
    *,
    item: AgendaItem,
    by,
    title: str,
    business_type: str,
    kind: str,
    presenter: str,
    confidential: bool,
    exempt_paragraph: int | None = None,
) -> AgendaItem:
    if hasattr(item, "motion") and kind != AgendaItem.Kind.DECISION:
        raise RuleViolation(
            "This item carries a motion; it stays an item for decision.",
            rule="decision_item",
        )
    item.title = title
    item.business_type = business_type
    item.kind = kind
    item.presenter = presenter
    item.confidential = confidential
    item.exempt_paragraph = exempt_paragraph
    _check_exemption(item)
    item.full_clean(exclude=["meeting", "referred_from"])
    item.save()
    return item


@transaction.atomic
def item_move(*, item: AgendaItem, by, up: bool) -> AgendaItem:
    """Swap a business item with its neighbour in the business; standing items keep
    their places (meetings/agenda_order.py)."""
    items, slots = _slots(item.meeting_id)
    _renumber(items, agenda_order.moved(slots, item.pk, up=up))
    return next(it for it in items if it.pk == item.pk)


@transaction.atomic
def item_notes_save(*, item: AgendaItem, notes: str, by) -> AgendaItem:
    item.notes = notes
    item.save(update_fields=["notes"])
    return item


# --- papers -------------------------------------------------------------------


# --- guests -------------------------------------------------------------------


# --- attendance ---------------------------------------------------------------
