"""Carrying an item forward (SPEC s.4): the referral chain of an item, the board's
next meeting, and the new item and motion a referral or deferral puts on it."""

from datetime import datetime, time

from django.utils import timezone

from .. import scheduling
from ..models import (
    AgendaItem,
    Meeting,
    Motion,
    Paper,
)
from ..versions import meeting_touch
from .agenda import agenda_reorder, agenda_standing_items_add

# --- closing -----------------------------------------------------------------


def referral_chain_outcomes(item: AgendaItem) -> list[str]:
    """Outcomes of the motions on the items this one carries forward, nearest
    first (one query a step; chains are short)."""
    found = []
    seen = {item.pk}
    current = item.referred_from_id
    while current is not None and current not in seen:
        seen.add(current)
        row = (
            AgendaItem.objects.filter(pk=current)
            .values("referred_from_id", "motion__outcome")
            .first()
        )
        if row is None:
            break
        if row["motion__outcome"]:
            found.append(row["motion__outcome"])
        current = row["referred_from_id"]
    return found


def referral_chain_items(item: AgendaItem) -> list[int]:
    ids, current = [], item.referred_from_id
    while current is not None and current not in ids:
        ids.append(current)
        current = (
            AgendaItem.objects.filter(pk=current)
            .values_list("referred_from_id", flat=True)
            .first()
        )
    return ids


def next_meeting_for(meeting: Meeting) -> Meeting:
    """The board's next scheduled meeting after ``meeting``, or a provisional one at
    the board's next proposed date (location "to be confirmed")."""
    following = (
        Meeting.objects.filter(
            board_id=meeting.board_id,
            starts_at__gt=meeting.starts_at,
            status=Meeting.Status.SCHEDULED,
        )
        .order_by("starts_at")
        .first()
    )
    if following is not None:
        return following
    board = meeting.board
    local = timezone.localtime(meeting.starts_at)
    today = max(timezone.localdate(), local.date())
    day = scheduling.propose_ordinary_dates(
        today=today,
        last_meeting_on=local.date(),
        frequency_months=board.meeting_frequency_months,
        papers_working_days=board.papers_working_days or 0,
        count=1,
    )[0]
    starts_at = timezone.make_aware(
        datetime.combine(day, local.time() or time(10, 0)),
        timezone.get_current_timezone(),
    )
    provisional = Meeting.objects.create(
        board=board,
        kind=Meeting.Kind.ORDINARY,
        starts_at=starts_at,
        location="To be confirmed (provisional: created for items carried forward)",
    )
    agenda_standing_items_add(meeting=provisional)
    return provisional


def carry_forward(*, motion: Motion, reason: str) -> AgendaItem:
    """Put the item on the board's next meeting, linked to this one, as business
    before any other business, with its papers carried forward and a new draft
    motion copying the old one (text, value, committed partners, consulted board
    and any consultation recorded)."""
    item = motion.item
    target = next_meeting_for(item.meeting)
    new = AgendaItem.objects.create(
        meeting=target,
        order=target.items.count(),
        title=item.title,
        business_type=item.business_type,
        kind=AgendaItem.Kind.DECISION,
        presenter=item.presenter,
        confidential=item.confidential,
        exempt_paragraph=item.exempt_paragraph,
        referred_from=item,
        carried_forward_reason=reason[:300],
    )
    papers_carry_forward(item, new)
    agenda_reorder(meeting=target)
    new.refresh_from_db(fields=["order"])
    copy_motion(motion, new)
    return new


def papers_carry_forward(source: AgendaItem, target: AgendaItem) -> list[Paper]:
    """The papers of ``source`` on ``target`` too: new rows naming the same stored
    file (nothing is copied or deleted), who uploaded it and when; late marks are
    not carried, since the new meeting's deadline is its own."""
    # bulk_create sends no signal: the target meeting's pages change here.
    meeting_touch(target.meeting_id)
    return Paper.objects.bulk_create(
        Paper(
            item=target,
            title=paper.title,
            file=paper.file.name,
            content_type=paper.content_type,
            size=paper.size,
            page_count=paper.page_count,
            uploaded_by_id=paper.uploaded_by_id,
        )
        for paper in source.papers.all()
    )


def copy_motion(motion: Motion, item: AgendaItem) -> Motion:
    """A new draft motion on ``item`` with the text, financial value, committed
    partners, kind of decision, consulted board and any consultation recorded of
    ``motion``."""
    copy = Motion.objects.create(
        item=item,
        text=motion.text,
        financial_value=motion.financial_value,
        decision_kind=motion.decision_kind,
        within_risk_share=motion.within_risk_share,
        consult_board_id=motion.consult_board_id,
        consultation_recorded_at=motion.consultation_recorded_at,
        consultation_note=motion.consultation_note,
    )
    copy.commits.set(motion.commits.all())
    return copy
