"""Reads shaped for one page or endpoint; the query count of each does not grow
with the number of seats, terms or rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from governance.models import Invitation, User

from . import chairs, citations, compliance, quorum, terms
from .models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    BusinessType,
    ChairTerm,
    Partner,
    QuorumRule,
    RuleSource,
    Seat,
    SeatCategory,
    TermsOfReference,
)

REPORTING_DEPTH = 4


def partner_list(*, include_inactive: bool = True) -> QuerySet[Partner]:
    partners = Partner.objects.all()
    if not include_inactive:
        partners = partners.filter(active=True)
    return partners.order_by("name")


def people_list(search: str = "") -> QuerySet[User]:
    """Active people, not merged duplicates; ``search`` matches words of the name or
    e-mail."""
    accepted = Invitation.objects.filter(
        person=OuterRef("pk"), accepted_at__isnull=False
    )
    people = User.objects.filter(is_active=True, merged_into__isnull=True).annotate(
        accepted_invitation=Exists(accepted)
    )
    for word in search.split()[:5]:
        people = people.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return people.order_by("name", "email")


def agreement_list(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return agreements.select_related("host_partner").prefetch_related(
        "partners", "schedules"
    )


def agreement_detail(agreement_id: int) -> Agreement:
    return (
        Agreement.objects.select_related("host_partner")
        .prefetch_related(
            "partners",
            "schedules",
            "boards",
            Prefetch(
                "authorised_officers",
                queryset=AuthorisedOfficer.objects.select_related("partner"),
            ),
        )
        .get(pk=agreement_id)
    )


def seats_of(board: Board, *, include_inactive: bool = False) -> QuerySet[Seat]:
    seats = Seat.objects.filter(board=board).select_related(
        "partner", "holder", "deputy"
    )
    if not include_inactive:
        seats = seats.filter(active=True)
    return seats.order_by("order", "id")


def authorised_officers_for_board(board: Board) -> QuerySet[AuthorisedOfficer]:
    """Who receives a board's minutes and escalations: every active authorised
    officer, under the board's agreement, of every partner of the board."""
    if board.agreement_id is None:
        return AuthorisedOfficer.objects.none()
    return (
        AuthorisedOfficer.objects.filter(
            agreement_id=board.agreement_id,
            active=True,
            partner__in=board.partners.all(),
        )
        .select_related("partner")
        .order_by("partner__name", "name")
    )


def quorum_rules_of(board: Board) -> QuerySet[QuorumRule]:
    return QuorumRule.objects.filter(board=board).order_by("business_type")


def quorum_rule_for(board: Board, business_type: str) -> QuorumRule | None:
    """The board's rule for this business, falling back to its routine rule."""
    rules = {r.business_type: r for r in quorum_rules_of(board)}
    return rules.get(business_type) or rules.get(BusinessType.ROUTINE)


def current_terms(board: Board) -> TermsOfReference | None:
    """The version in force: the one recorded with the latest review date."""
    return board.terms.order_by("-review_due", "-id").first()


def chair_on(board: Board, on: date) -> ChairTerm | None:
    """Who chairs the board on a date (a meeting's chair)."""
    return (
        ChairTerm.objects.filter(board=board, starts_on__lte=on)
        .exclude(ends_on__lt=on)
        .select_related("person", "seat", "partner")
        .order_by("-starts_on")
        .first()
    )


def current_terms_due_by(by: date) -> QuerySet[TermsOfReference]:
    """Current terms of active boards whose review falls due on or before ``by``."""
    latest = (
        TermsOfReference.objects.filter(board=OuterRef("board"))
        .order_by("-review_due", "-id")
        .values("pk")[:1]
    )
    return (
        TermsOfReference.objects.filter(
            board__active=True, pk=Subquery(latest), review_due__lte=by
        )
        .select_related("board")
        .prefetch_related("board__secretaries")
    )


# --- the constitution page --------------------------------------------------------


@dataclass
class RuleInWords:
    rule: QuorumRule
    lines: list[str]
    citation: str = citations.NOT_STATED


def board_settings(board: Board) -> citations.BoardSettings:
    """The board's settings that are rules, as plain data."""
    return citations.BoardSettings(
        decision_making=board.decision_making,
        decision_rule=board.decision_rule,
        escalation=board.escalation,
        chair_casting_vote=board.chair_casting_vote,
        absent_partner_rule=board.absent_partner_rule,
        delegated_authority_rule=board.delegated_authority_rule,
        deputising_chair=board.deputising_chair,
        decision_scope=tuple(board.decision_scope or ()),
        risk_share_commitments_only=board.risk_share_commitments_only,
        minutes_deadline_days=board.minutes_deadline_days,
        meeting_frequency_months=board.meeting_frequency_months,
        extraordinary_notice_clear_days=board.extraordinary_notice_clear_days,
        clear_days_working_only=board.clear_days_working_only,
        papers_working_days=board.papers_working_days,
        reconvene_within_days=board.reconvene_within_days,
        chair_arrangement=board.chair_arrangement,
        chair_arrangement_label=board.get_chair_arrangement_display(),
        chair_term_months=board.chair_term_months,
    )


def board_sources(board: Board) -> dict[str, citations.Source]:
    """The board's rule sources by rule key (seat limits under
    ``delegated_authority_limit:<seat id>``)."""
    rows = getattr(board, "source_list", None)
    if rows is None:
        rows = list(board.sources.all())
    found = {}
    for row in rows:
        key = f"{row.rule}:{row.seat_id}" if row.seat_id else row.rule
        found[key] = row.as_data()
    return found


def board_citations(board: Board) -> dict[str, str]:
    """Each rule key the board has a source for, cited ("Portsmouth PMG ToR 4.4")."""
    return {key: citations.cite(src) for key, src in board_sources(board).items()}


@dataclass
class Constitution:
    board: Board
    partners: list[Partner]
    seats: list[Seat]
    rules: list[RuleInWords]
    terms: list[TermsOfReference]
    current_terms: TermsOfReference | None
    terms_status: terms.ReviewStatus | None
    chair: ChairTerm | None
    chair_history: list[ChairTerm]
    next_chair_change: chairs.NextChange | None
    next_chair_label: str
    gaps: list[compliance.Gap]
    rule_rows: list[citations.RuleRow]
    reporting_line: list[Board]
    reporting_boards: list[Board]
    officers: list[AuthorisedOfficer]
    secretaries: list[User]
    seats_by_partner: dict = field(default_factory=dict)


def _constitution_prefetches(*, seats_related, chair_terms_related) -> list[Prefetch]:
    """What both the board page and a list row read of a board's constitution
    (active seats, quorum rules, terms, chair terms, rule sources), each into a
    list; the page joins more to the seats and chair terms than a row needs.
    ``seats_related=None``: no seats (a list row reads their facts as values)."""
    seats = (
        []
        if seats_related is None
        else [
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(active=True)
                .select_related(*seats_related)
                .order_by("order", "id"),
                to_attr="active_seats",
            )
        ]
    )
    return [
        *seats,
        Prefetch(
            "quorum_rules",
            queryset=QuorumRule.objects.order_by("business_type"),
            to_attr="rules",
        ),
        Prefetch(
            "terms",
            queryset=TermsOfReference.objects.order_by("-review_due", "-id"),
            to_attr="term_versions",
        ),
        Prefetch(
            "chair_terms",
            # (``select_related()`` with no names would follow every key.)
            queryset=(
                ChairTerm.objects.select_related(*chair_terms_related)
                if chair_terms_related
                else ChairTerm.objects.all()
            ),
            to_attr="chair_term_list",
        ),
        Prefetch("sources", queryset=RuleSource.objects.all(), to_attr="source_list"),
    ]


def _board_with_everything() -> QuerySet[Board]:
    parents = "__".join(["reports_to"] * REPORTING_DEPTH)
    return Board.objects.select_related(
        "agreement", "agreement__host_partner", parents
    ).prefetch_related(
        "partners",
        "secretaries",
        "reporting_boards",
        *_constitution_prefetches(
            seats_related=("partner", "holder", "deputy"),
            chair_terms_related=("person", "seat", "partner"),
        ),
        Prefetch(
            "agreement__authorised_officers",
            queryset=AuthorisedOfficer.objects.filter(active=True).select_related(
                "partner"
            ),
            to_attr="active_officers",
        ),
    )


def _chair_terms(board: Board) -> list[chairs.Term]:
    return [
        chairs.Term(
            person_id=t.person_id,
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            seat_id=t.seat_id,
            partner_id=t.partner_id,
        )
        for t in board.chair_term_list
    ]


def _seat_facts(seats: list[Seat]) -> list[compliance.SeatFacts]:
    return [
        compliance.SeatFacts(
            id=s.pk,
            title=s.title,
            partner=s.partner.label,
            voting=s.voting,
            has_holder=s.holder_id is not None,
            has_deputy=s.deputy_id is not None,
            deputy_notified=s.deputy_notified,
            has_limit=s.delegated_authority_limit is not None,
        )
        for s in seats
    ]


def _seat_facts_by_board(board_ids: list[int]) -> dict[int, list[compliance.SeatFacts]]:
    """The same facts of every active seat of these boards, in one query of values
    (no model instance per seat and partner: a list of boards grows with both)."""
    found: dict[int, list[compliance.SeatFacts]] = {pk: [] for pk in board_ids}
    rows = (
        Seat.objects.filter(board_id__in=board_ids, active=True)
        .order_by("order", "id")
        .values_list(
            "board_id",
            "pk",
            "title",
            Coalesce(NullIf("partner__short_name", Value("")), "partner__name"),
            "voting",
            "holder_id",
            "deputy_id",
            "deputy_notified_on",
            "delegated_authority_limit",
        )
    )
    for board_id, pk, title, partner, voting, holder, deputy, notified, limit in rows:
        found[board_id].append(
            compliance.SeatFacts(
                id=pk,
                title=title,
                partner=partner,
                voting=voting,
                has_holder=holder is not None,
                has_deputy=deputy is not None,
                deputy_notified=deputy is not None and notified is not None,
                has_limit=limit is not None,
            )
        )
    return found


def _gaps(
    board: Board, today: date, seat_facts: list[compliance.SeatFacts]
) -> list[compliance.Gap]:
    rows = citations.rule_rows(board_settings(board), board_sources(board))
    current = board.term_versions[0] if board.term_versions else None
    chair = chairs.term_covering(_chair_terms(board), today)
    return compliance.gaps(
        seats=seat_facts,
        terms_review_due=current.review_due if current else None,
        has_chair=chair is not None,
        decision_making=board.decision_making,
        has_routine_quorum_rule=any(
            r.business_type == BusinessType.ROUTINE for r in board.rules
        ),
        today=today,
        terms_approved=current.approved if current else True,
        delegated_authority_rule=board.decision_making
        and board.delegated_authority_rule,
        unsourced_rules=tuple(r.label for r in rows if r.needs_source),
    )


def board_constitution(board_id: int, *, today: date | None = None) -> Constitution:
    """Everything the board page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    board = _board_with_everything().get(pk=board_id)
    partners = sorted(board.partners.all(), key=lambda p: p.name)
    seats = board.active_seats
    chair_terms = sorted(board.chair_term_list, key=lambda t: t.starts_on, reverse=True)
    plain_terms = _chair_terms(board)
    now_term = chairs.term_covering(plain_terms, today)
    chair = next(
        (
            t
            for t in chair_terms
            if now_term
            and t.starts_on == now_term.starts_on
            and t.person_id == now_term.person_id
        ),
        None,
    )
    next_change = chairs.next_change(
        arrangement=board.chair_arrangement,
        term_months=board.chair_term_months,
        terms=plain_terms,
        today=today,
        partners=[chairs.PartnerRef(p.pk, p.kind) for p in partners],
        alternate_seat_ids=[s.pk for s in seats if s.is_alternate_chair],
    )
    next_label = ""
    if next_change:
        by_partner = {p.pk: p for p in partners}
        by_seat = {s.pk: s for s in seats}
        if next_change.partner_id in by_partner:
            next_label = by_partner[next_change.partner_id].name
        elif next_change.seat_id in by_seat:
            next_label = str(by_seat[next_change.seat_id])
    line = []
    parent = board.reports_to
    while parent is not None and len(line) < REPORTING_DEPTH:
        line.append(parent)
        parent = parent.reports_to if len(line) < REPORTING_DEPTH else None
    current = board.term_versions[0] if board.term_versions else None
    labels = dict(SeatCategory.choices)
    sources = board_sources(board)
    seats_by_partner: dict[int, list[Seat]] = {}
    for seat in seats:
        seat.category_labels = [labels.get(c, c) for c in seat.categories or []]
        seat.limit_citation = citations.cite(
            sources.get(f"delegated_authority_limit:{seat.pk}")
        )
        seats_by_partner.setdefault(seat.partner_id, []).append(seat)
    return Constitution(
        board=board,
        partners=partners,
        seats=seats,
        rules=[
            RuleInWords(
                r,
                quorum.describe(r.as_data()),
                citations.cite(sources.get(f"quorum.{r.business_type}")),
            )
            for r in board.rules
        ],
        terms=board.term_versions,
        current_terms=current,
        terms_status=terms.review_status(current.review_due, today)
        if current
        else None,
        chair=chair,
        chair_history=chair_terms,
        next_chair_change=next_change,
        next_chair_label=next_label,
        gaps=_gaps(board, today, _seat_facts(seats)),
        rule_rows=citations.rule_rows(board_settings(board), sources),
        reporting_line=line,
        reporting_boards=sorted(board.reporting_boards.all(), key=lambda b: b.name),
        officers=(
            sorted(
                board.agreement.active_officers, key=lambda o: (o.partner.name, o.name)
            )
            if board.agreement
            else []
        ),
        secretaries=sorted(board.secretaries.all(), key=lambda u: u.name),
        seats_by_partner=seats_by_partner,
    )


def _board_list_rows_queryset() -> QuerySet[Board]:
    """What a list row reads (its gaps, seat count, terms and the board it reports
    to), each prefetch into a list: no related manager made per board."""
    return (
        Board.objects.select_related("reports_to")
        .prefetch_related(
            *_constitution_prefetches(seats_related=None, chair_terms_related=())
        )
        .order_by("name")
    )


def board_list_rows(
    boards: QuerySet[Board], *, today: date | None = None
) -> list[dict]:
    """Boards with their gap counts, for the list page and the dashboard."""
    today = today or timezone.localdate()
    rows = []
    listed = list(_board_list_rows_queryset().filter(pk__in=boards.values("pk")))
    seats = _seat_facts_by_board([board.pk for board in listed])
    for board in listed:
        found = _gaps(board, today, seats[board.pk])
        current = board.term_versions[0] if board.term_versions else None
        rows.append(
            {
                "board": board,
                "gaps": found,
                "seats": len(seats[board.pk]),
                "terms": current,
                "terms_status": terms.review_status(current.review_due, today)
                if current
                else None,
            }
        )
    return rows


def dashboard_panels(user) -> list[dict]:
    """A panel for board secretaries: compliance gaps and terms of reference reviews
    due within 60 days or overdue, for the boards they serve."""
    if not user.is_authenticated:
        return []
    rows = board_list_rows(Board.objects.filter(secretaries=user, active=True))
    if not rows:
        return []
    attention = [
        r
        for r in rows
        if r["gaps"] or (r["terms_status"] and r["terms_status"].needs_attention)
    ]
    return [
        {
            "title": "Constitution: gaps and reviews",
            "template": "boards/partials/dashboard_panel.html",
            "rows": attention,
            "board_count": len(rows),
        }
    ]
