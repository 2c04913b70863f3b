"""The adapter between a meeting's records and the pure quorum engine
(``boards.quorum``): loads the board's partners, active seats, the meeting's
attendance and the board's quorum rules in a constant number of queries and asks
the engine.

Rules chosen:

- The seats that count are the board's active seats; a seat with no attendance
  record is absent.
- Who represents each seat at a moment is the eligibility engine's
  (``meetings.eligibility``, through ``selectors.eligibility``): the holder
  present, or a deputy attending who was notified (``Attendance.deputy_notified``,
  set from the seat's ``deputy_notified_on`` being before the meeting day, or from
  the member saying before the meeting that their deputy will attend). The ballot
  asks the same engine, so the panel and the ballot cannot disagree.
- A board with no quorum rule for a kind of business falls back to its ``routine``
  rule, and a board with neither has no conditions (always quorate).
- Quorum is judged at a moment: ``at``, or the real clock when None. Arrival and
  departure times (recorded at the real clock time) bound each presence, so the
  decisions area can judge quorum at the moment each vote closes.
- "Chair required" is met by whoever chairs the meeting (``MeetingChair``: the
  designated chair, an alternate, or a deputising chair where the board allows
  one); with nobody recorded, by the designated chair in person.
"""

from datetime import datetime

from django.utils import timezone

from boards.models import BusinessType, Partner, QuorumRule, Seat
from boards.quorum import (
    PartnerData,
    QuorumResult,
    QuorumRuleData,
    SeatPresence,
    evaluate,
)

from .eligibility import Standing
from .models import Attendance, Meeting, MeetingChair
from .selectors.eligibility import Roll, meeting_roll

DEFAULT_BUSINESS = BusinessType.ROUTINE.value


def rule_data(rule: QuorumRule | None, business_type: str) -> QuorumRuleData:
    if rule is None:
        return QuorumRuleData(business_type=business_type)
    return QuorumRuleData(
        business_type=business_type,
        min_present=rule.min_present,
        min_voting_per_partner=rule.min_voting_per_partner,
        min_any_per_partner=rule.min_any_per_partner,
        category_minimums=dict(rule.category_minimums or {}),
        per_partner_category_minimums=dict(rule.per_partner_category_minimums or {}),
        partner_kind_minimums=dict(rule.partner_kind_minimums or {}),
        chair_required=rule.chair_required,
    )


def pick_rule(rules: dict[str, QuorumRule], business_type: str) -> QuorumRule | None:
    """The rule for a kind of business, else the routine rule, else none."""
    return rules.get(business_type) or rules.get(DEFAULT_BUSINESS)


def seat_presences(
    seats,
    standings: dict[int, Standing],
    chair_seat_id: int | None = None,
) -> list[SeatPresence]:
    """Each seat as the quorum engine reads it, from the eligibility engine's
    standings at one moment."""
    return [
        SeatPresence(
            seat_id=seat.pk,
            partner_id=seat.partner_id,
            voting=seat.voting,
            categories=frozenset(seat.categories or ()),
            is_chair=seat.is_chair,
            represented=standings[seat.pk].represented,
            by_deputy=standings[seat.pk].by_deputy,
            chairing=None if chair_seat_id is None else seat.pk == chair_seat_id,
        )
        for seat in seats
    ]


class QuorumContext:
    """Everything the engine needs for one meeting. ``load`` reads it in five
    queries: partners, seats, attendance, rules, who chairs."""

    def __init__(
        self, *, partners, seats, attendance, rules, roll: Roll, chair_seat_id=None
    ):
        self.partners = partners
        self.seats = seats
        self.attendance = attendance
        self.rules = rules
        self.roll = roll
        self.chair_seat_id = chair_seat_id

    @classmethod
    def load(cls, meeting: Meeting, *, seats=None, attendance=None) -> "QuorumContext":
        board_id = meeting.board_id
        if seats is None:
            seats = list(
                Seat.objects.filter(board_id=board_id, active=True).order_by(
                    "order", "id"
                )
            )
        if attendance is None:
            attendance = {
                a.seat_id: a for a in Attendance.objects.filter(meeting=meeting)
            }
        return cls(
            partners=[
                PartnerData(id=p.pk, name=p.name, kind=p.kind)
                for p in Partner.objects.filter(boards=board_id).order_by("name")
            ],
            seats=seats,
            attendance=attendance,
            roll=meeting_roll(meeting, seats=seats, attendance=attendance),
            rules={
                r.business_type: r for r in QuorumRule.objects.filter(board_id=board_id)
            },
            chair_seat_id=MeetingChair.objects.filter(meeting=meeting)
            .values_list("seat_id", flat=True)
            .first(),
        )

    def standings(self, at: datetime | None = None) -> dict[int, Standing]:
        """Each seat at ``at`` (the real clock when None)."""
        return self.roll.standings(at or timezone.now())

    def presences(self, at: datetime | None = None) -> list[SeatPresence]:
        return seat_presences(self.seats, self.standings(at), self.chair_seat_id)

    def result(self, business_type: str, at: datetime | None = None) -> QuorumResult:
        rule = rule_data(pick_rule(self.rules, business_type), business_type)
        return evaluate(rule, self.partners, self.presences(at))


def meeting_quorum(
    meeting: Meeting,
    *,
    business_type: str = DEFAULT_BUSINESS,
    at: datetime | None = None,
) -> QuorumResult:
    """Quorum for one kind of business at moment ``at`` (None: now)."""
    return QuorumContext.load(meeting).result(business_type or DEFAULT_BUSINESS, at)


def agenda_business_types(meeting: Meeting) -> list[str]:
    """Kinds of business on the agenda, routine first; routine when it is empty."""
    kinds = set(meeting.items.values_list("business_type", flat=True).distinct())
    kinds.add(DEFAULT_BUSINESS)
    return sorted(kinds, key=lambda k: (k != DEFAULT_BUSINESS, k))


def meeting_quorum_all(
    meeting: Meeting, at: datetime | None = None
) -> list[QuorumResult]:
    """One result per kind of business on the agenda (always including routine)."""
    context = QuorumContext.load(meeting)
    return [context.result(kind, at) for kind in agenda_business_types(meeting)]
