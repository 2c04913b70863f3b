"""Reads for decisions, shaped for one page or endpoint: the ballot (who may vote
for which seat, asked of the eligibility engine through ``selectors.eligibility``),
the live tally, the decision logs and open escalations."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from boards.models import Board, Seat
from governance.permissions import reads_everything

from ..eligibility import Refusal
from ..models import Escalation, Motion, Paper, Vote
from ..permissions import (
    can_put_motion,
    can_record_show_of_hands,
    can_run_meeting,
    can_view_whole_agenda,
)
from ..services.papers import paper_issued
from .eligibility import motions_user_may_vote_now, vote_refusal


@dataclass(frozen=True)
class SeatBallot:
    """One of the user's seats on the ballot: the seat's vote whoever cast it, and
    the reason the user may not vote for it now, if any."""

    seat: Seat
    vote: Vote | None
    refusal: Refusal | None
    user_id: int | None = None

    @property
    def own_vote(self) -> Vote | None:
        """The seat's vote if this user cast it: a deputy never reads the holder's
        vote as her own, nor the holder the deputy's."""
        if self.vote is not None and self.vote.cast_by_id == self.user_id:
            return self.vote
        return None

    @property
    def cast_by_words(self) -> str:
        """Who cast the seat's vote, when not this user: "Jo Bloggs (the holder)",
        "the secretary, on a show of hands"."""
        vote = self.vote
        if vote is None or self.own_vote is not None:
            return ""
        if vote.recorded_by_secretary:
            return f"{vote.cast_by}, recorded on a show of hands"
        if vote.cast_by_id == self.seat.holder_id:
            return f"{vote.cast_by} (the holder)"
        if vote.cast_by_id == self.seat.deputy_id:
            return f"{vote.cast_by} (the deputy)"
        return str(vote.cast_by)


def _motion_refusal(motion: Motion) -> Refusal:
    return Refusal(
        "The motion is not open for votes.",
        "motion_not_open" if motion.status == Motion.Status.DRAFT else "motion_closed",
    )


def ballots_for(user, motion: Motion) -> list[SeatBallot]:
    """The seats ``user`` holds or deputises for on the motion's board, each with
    the seat's vote and the reason they may not vote, if any (the eligibility
    engine's, through ``selectors.eligibility.vote_refusal``)."""
    seats = list(
        Seat.objects.filter(board_id=motion.item.meeting.board_id, active=True)
        .filter(Q(holder_id=user.pk) | Q(deputy_id=user.pk))
        .select_related("partner")
        .order_by("order", "id")
    )
    votes = {
        v.seat_id: v
        for v in motion.votes.filter(seat__in=seats).select_related("cast_by")
    }
    now = timezone.now()
    return [
        SeatBallot(
            seat=s,
            vote=votes.get(s.pk),
            refusal=vote_refusal(user=user, motion=motion, seat=s, now=now)
            if motion.status == Motion.Status.OPEN
            else _motion_refusal(motion),
            user_id=user.pk,
        )
        for s in seats
    ]


def ballot_papers(user, item) -> list[Paper]:
    """The item's papers the user may read, for the ballot (one query): as on the
    meeting page, everything for those who run the meeting; for members, papers once
    issued (a late one once authorised); never a confidential item's papers for a
    reader who does not see the whole agenda."""
    meeting = item.meeting
    papers = list(item.papers.order_by("id"))
    if can_run_meeting(user, meeting):
        return papers
    whole = can_view_whole_agenda(user, meeting)
    return [
        p
        for p in papers
        if paper_issued(p, meeting) and (whole or not item.confidential)
    ]


def _tally(counts: dict[str, int]) -> dict:
    """Votes per choice (and cast in all) from counts by choice."""
    return {
        "for": counts.get(Vote.Choice.FOR, 0),
        "against": counts.get(Vote.Choice.AGAINST, 0),
        "abstain": counts.get(Vote.Choice.ABSTAIN, 0),
        "cast": sum(counts.values()),
    }


def motion_tally(motion: Motion) -> dict:
    """Live counts of the votes cast so far."""
    return _tally(
        dict(
            motion.votes.values_list("choice")
            .annotate(n=Count("id"))
            .values_list("choice", "n")
        )
    )


def tally_of(votes) -> dict:
    """``motion_tally`` of votes already loaded."""
    counts: dict[str, int] = {}
    for vote in votes:
        counts[vote.choice] = counts.get(vote.choice, 0) + 1
    return _tally(counts)


def panel_context(user, motion: Motion, *, seats, other_boards) -> dict:
    """What the decision panel shows, from a motion loaded with its votes, commits,
    escalations and its item's written positions (``motion_for_panel``, or the
    meeting page's items): no query of its own. ``seats``: the board's active
    voting seats in order; ``other_boards``: boards it may consult (drafts only)."""
    item = motion.item
    votes = list(motion.votes.all())
    by_seat = {v.seat_id: v for v in votes}
    return {
        "item": item,
        "motion": motion,
        "can_run": can_put_motion(user, item),
        "can_record": can_record_show_of_hands(user, item),
        "rows": [(s, by_seat.get(s.pk)) for s in seats],
        "tally": tally_of(votes),
        "positions": list(item.written_positions.all()),
        "escalations": list(motion.escalations.all()),
        "choices": Vote.Choice.choices,
        "other_boards": other_boards if motion.status == Motion.Status.DRAFT else [],
    }


def consultable_boards(board_id: int) -> list[Board]:
    """Active boards other than ``board_id``: whom a draft motion may consult."""
    return list(
        Board.objects.exclude(pk=board_id).filter(active=True).only("pk", "name")
    )


def motion_for_panel(motion_id: int) -> Motion:
    """A motion with everything the secretary's decision panel shows."""
    return (
        Motion.objects.select_related("item__meeting__board", "consult_board")
        .prefetch_related(
            "commits",
            Prefetch("votes", queryset=Vote.objects.select_related("seat__partner")),
            "escalations",
            "item__written_positions__partner",
        )
        .get(pk=motion_id)
    )


def voting_seats(motion: Motion) -> QuerySet[Seat]:
    """Seats that take part in the decision: the voting seats, or on an advisory
    board (no formal votes) every seat."""
    seats = Seat.objects.filter(board_id=motion.item.meeting.board_id, active=True)
    if motion.item.meeting.board.decision_making:
        seats = seats.filter(voting=True)
    return seats.select_related("partner", "holder", "deputy")


def decision_log(
    *,
    board: Board | None = None,
    meeting_id: int | None = None,
    outcome: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    q: str = "",
    only_items: Iterable[int] | None = None,
    for_page: bool = True,
) -> QuerySet[Motion]:
    """Closed motions, newest first, for a board's or a meeting's decision log
    (JCG: a decision log is kept). Constant queries however many rows.

    ``only_items``: for a reader who cannot see the whole agenda (a guest), the
    items they are invited to; confidential items are then never shown.
    ``for_page``: with what the log page shows beside the motion (the partners
    committed, the items referred from and to); the API answers ids. The votes
    counted per choice are added to the rows of the page alone
    (``count_votes``): counting every vote of the board's history before the page
    is cut was most of the page's time at scale."""
    rows = Motion.objects.filter(status=Motion.Status.CLOSED)
    if for_page:
        rows = rows.select_related(
            "item__meeting__board",
            "item__referred_from",
            "referred_to_item__meeting__board",
        ).prefetch_related("commits")
    else:
        rows = rows.select_related("item__meeting")
    # The quorum as it stood at the vote is the motion's own page's, never the log's:
    # not read, nor decoded, for every row.
    rows = rows.defer("quorum_snapshot").order_by("-closed_at", "-id")
    if board is not None:
        rows = rows.filter(item__meeting__board=board)
    if meeting_id is not None:
        rows = rows.filter(item__meeting_id=meeting_id)
    if only_items is not None:
        rows = rows.filter(item_id__in=list(only_items), item__confidential=False)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if date_from:
        rows = rows.filter(item__meeting__starts_at__date__gte=date_from)
    if date_to:
        rows = rows.filter(item__meeting__starts_at__date__lte=date_to)
    if q:
        rows = rows.filter(Q(text__icontains=q) | Q(item__title__icontains=q))
    return rows


def count_votes(motions: Iterable[Motion]) -> list[Motion]:
    """The motions, each with ``n_for``, ``n_against`` and ``n_abstain``: the votes
    cast for each choice, in one query for all of them."""
    motions = list(motions)
    counts: dict[int, dict[str, int]] = {m.pk: {} for m in motions}
    for motion_id, choice, n in (
        Vote.objects.filter(motion__in=list(counts))
        .values_list("motion_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[motion_id][choice] = n
    for motion in motions:
        tally = _tally(counts[motion.pk])
        motion.n_for, motion.n_against = tally["for"], tally["against"]
        motion.n_abstain = tally["abstain"]
    return motions


def escalations_for(
    user, *, status: str = Escalation.Status.OPEN
) -> QuerySet[Escalation]:
    """Escalations of the boards the user sits on, serves or reads."""
    rows = Escalation.objects.select_related(
        "board", "motion__item__meeting", "previous", "resolved_by"
    ).order_by("-opened_at")
    if status:
        rows = rows.filter(status=status)
    if not reads_everything(user):
        # IN subqueries rather than joins with OR and DISTINCT (issue 17: the
        # dashboard spent longer planning that than running it).
        served = Board.secretaries.through.objects.filter(user_id=user.pk).values(
            "board_id"
        )
        seated = _seats_of(user).values("board_id")
        rows = rows.filter(Q(board_id__in=served) | Q(board_id__in=seated))
    return rows


def _seats_of(user):
    """Active seats the user holds or deputises for."""
    return Seat.objects.filter(Q(holder_id=user.pk) | Q(deputy_id=user.pk), active=True)


def open_motions_for(user) -> QuerySet[Motion]:
    """Motions open for votes on boards where the user holds or deputises a voting
    seat, or any seat of an advisory board (every member takes part there). Whether
    they may vote on each now is the eligibility engine's
    (``motions_user_may_vote_now``)."""
    voting_on = (
        _seats_of(user)
        .filter(Q(voting=True) | Q(board__decision_making=False))
        .values("board_id")
    )
    return (
        Motion.objects.filter(status=Motion.Status.OPEN)
        .filter(item__meeting__board_id__in=voting_on)
        .select_related("item__meeting__board")
    )


def dashboard_panels(user) -> list[dict]:
    panels = []
    if user is None or not user.is_authenticated:
        return panels
    voting = motions_user_may_vote_now(user, list(open_motions_for(user)[:10]))
    if voting:
        panels.append(
            {
                "title": "Open for your vote",
                "template": "meetings/decisions/partials/panel_open_motions.html",
                "motions": voting,
            }
        )
    escalations = list(escalations_for(user)[:10])
    if escalations:
        panels.append(
            {
                "title": "Open escalations",
                "template": "meetings/decisions/partials/panel_escalations.html",
                "escalations": escalations,
            }
        )
    return panels
