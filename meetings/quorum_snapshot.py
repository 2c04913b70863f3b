"""The adapter between a meeting's records and the pure quorum engine
(``boards.quorum``): loads the board's partners, active seats, the meeting's
attendance and the board's quorum rules in a constant number of queries and asks
the engine.

Rules chosen:

- The seats that count are the board's active seats; a seat with no attendance
  record is absent.
- A deputy attending counts only if the attendance record says the deputy was
  notified (``Attendance.deputy_notified``, set from the seat's
  ``deputy_notified_on`` being before the meeting day, or from the member
  saying before the meeting that their deputy will attend).
- A board with no quorum rule for a kind of business falls back to its ``routine``
  rule, and a board with neither has no conditions (always quorate).
- ``at=None`` judges "now, as recorded": a seat whose departure is recorded has
  left. With ``at``, arrival and departure times bound each presence, so the
  decisions area can judge quorum at the moment each vote closes.
- "Chair required" is met by whoever chairs the meeting (``MeetingChair``: the
  designated chair, an alternate, or a deputising chair where the board allows
  one); with nobody recorded, by the designated chair in person.
"""

from datetime import datetime

from boards.models import BusinessType, Partner, QuorumRule, Seat
from boards.quorum import (
    PartnerData,
    QuorumResult,
    QuorumRuleData,
    SeatPresence,
    evaluate,
    represented_at,
)

from .models import Attendance, Meeting, MeetingChair

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
    attendance: dict[int, Attendance],
    at: datetime | None,
    chair_seat_id: int | None = None,
) -> list[SeatPresence]:
    presences = []
    for seat in seats:
        record = attendance.get(seat.pk)
        represented, by_deputy = (False, False)
        if record is not None:
            represented, by_deputy = represented_at(
                status=record.status,
                deputy_notified=record.deputy_notified,
                arrived_at=record.arrived_at,
                left_at=record.left_at,
                at=at,
            )
        presences.append(
            SeatPresence(
                seat_id=seat.pk,
                partner_id=seat.partner_id,
                voting=seat.voting,
                categories=frozenset(seat.categories or ()),
                is_chair=seat.is_chair,
                represented=represented,
                by_deputy=by_deputy,
                chairing=None if chair_seat_id is None else seat.pk == chair_seat_id,
            )
        )
    return presences


class QuorumContext:
    """Everything the engine needs for one meeting. ``load`` reads it in five
    queries: partners, seats, attendance, rules, who chairs."""

    def __init__(self, *, partners, seats, attendance, rules, chair_seat_id=None):
        self.partners = partners
        self.seats = seats
        self.attendance = attendance
        self.rules = rules
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
            rules={
                r.business_type: r for r in QuorumRule.objects.filter(board_id=board_id)
            },
            chair_seat_id=MeetingChair.objects.filter(meeting=meeting)
            .values_list("seat_id", flat=True)
            .first(),
        )

    def presences(self, at: datetime | None = None) -> list[SeatPresence]:
        return seat_presences(self.seats, self.attendance, at, self.chair_seat_id)

    def result(self, business_type: str, at: datetime | None = None) -> QuorumResult:
        rule = rule_data(pick_rule(self.rules, business_type), business_type)
        return evaluate(rule, self.partners, self.presences(at))


def meeting_quorum(
    meeting: Meeting,
    *,
    business_type: str = DEFAULT_BUSINESS,
    at: datetime | None = None,
) -> QuorumResult:
    """Quorum for one kind of business at moment ``at`` (None: now, as recorded)."""
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
