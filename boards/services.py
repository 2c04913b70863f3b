"""Writes to the constitution: the only place its state changes (SPEC s.1, s.3).

Every function takes keyword-only arguments and runs in a transaction. Invalid input
raises ``django.core.exceptions.ValidationError`` with a field dict (the API answers
400 with it, forms show it on the field); a rule of the terms that refuses an action
raises ``RuleViolation`` (409). Nothing is ever hard-deleted: partners, officers,
seats and boards are made inactive.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import OutboxMessage, Role, User
from governance.outbox import outbox_enqueue

from . import terms as terms_rules
from .models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    BusinessType,
    ChairTerm,
    Partner,
    PartnerKind,
    QuorumRule,
    Schedule,
    Seat,
    SeatCategory,
    TermsOfReference,
)

# --- partners and people -------------------------------------------------------


@transaction.atomic
def partner_create(*, name: str, kind: str, short_name: str = "") -> Partner:
    name = name.strip()
    if kind not in PartnerKind.values:
        raise ValidationError({"kind": [f'"{kind}" is not a kind of partner.']})
    if Partner.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ["A partner with this name already exists."]})
    return Partner.objects.create(name=name, kind=kind, short_name=short_name.strip())


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    if "name" in fields and (
        Partner.objects.filter(name__iexact=fields["name"].strip())
        .exclude(pk=partner.pk)
        .exists()
    ):
        raise ValidationError({"name": ["A partner with this name already exists."]})
    for key in ("name", "short_name", "kind", "active"):
        if key in fields:
            setattr(partner, key, fields[key])
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def person_create(
    *, name: str, email: str, role: str = Role.MEMBER, job_title: str = ""
) -> User:
    """A person without a login (an unusable password) until an administrator gives
    one; e-mail addresses are unique, compared without case."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["A person with this e-mail already exists."]})
    return User.objects.create_user(
        email=email, name=name.strip(), role=role, job_title=job_title
    )


# --- agreements ----------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    name: str,
    partners: Iterable[Partner],
    host_partner: Partner,
    starts_on: date,
    kind: str = Agreement.Kind.S75,
    ends_on: date | None = None,
    status: str = Agreement.Status.ACTIVE,
    dispute_resolution: str = "",
) -> Agreement:
    """The host partner is one of the partners (West Kent: KCC hosts the pool)."""
    partners = list(partners)
    errors = {}
    if host_partner not in partners:
        errors["host_partner"] = ["The host partner must be one of the partners."]
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = ["An agreement cannot end before it starts."]
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.create(
        name=name,
        kind=kind,
        host_partner=host_partner,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        dispute_resolution=dispute_resolution,
    )
    agreement.partners.set(partners)
    return agreement


@transaction.atomic
def schedule_add(
    *, agreement: Agreement, name: str, number: str = "", description: str = ""
) -> Schedule:
    return Schedule.objects.create(
        agreement=agreement, number=number, name=name, description=description
    )


@transaction.atomic
def authorised_officer_add(
    *, agreement: Agreement, partner: Partner, name: str, email: str
) -> AuthorisedOfficer:
    """Each partner names authorised officers for an agreement (SPEC s.1); they
    receive minutes and escalations and may have no login."""
    email = email.strip().lower()
    if not agreement.partners.filter(pk=partner.pk).exists():
        raise ValidationError(
            {"partner": ["This partner is not party to the agreement."]}
        )
    existing = AuthorisedOfficer.objects.filter(
        agreement=agreement, partner=partner, email=email
    ).first()
    if existing and existing.active:
        raise ValidationError(
            {"email": ["This officer is already named for the partner."]}
        )
    if existing:
        existing.name, existing.active = name, True
        existing.save()
        return existing
    return AuthorisedOfficer.objects.create(
        agreement=agreement, partner=partner, name=name, email=email
    )


@transaction.atomic
def authorised_officer_deactivate(*, officer: AuthorisedOfficer) -> AuthorisedOfficer:
    officer.active = False
    officer.save(update_fields=["active"])
    return officer


# --- boards ----------------------------------------------------------------------

BOARD_FIELDS = (
    "name",
    "short_name",
    "agreement",
    "decision_making",
    "decision_rule",
    "escalation",
    "chair_casting_vote",
    "minutes_deadline_days",
    "reports_to",
    "purpose",
    "meeting_frequency_months",
    "extraordinary_notice_clear_days",
    "clear_days_working_only",
    "papers_working_days",
    "reconvene_within_days",
    "chair_arrangement",
    "chair_term_months",
    "active",
)


def _check_reports_to(board: Board) -> None:
    """A board cannot report to itself or to a board below it."""
    seen = {board.pk}
    parent = board.reports_to
    while parent is not None:
        if parent.pk in seen:
            raise ValidationError(
                {"reports_to": ["A board cannot report to itself or a board below it."]}
            )
        seen.add(parent.pk)
        parent = parent.reports_to


@transaction.atomic
def board_create(
    *,
    name: str,
    partners: Iterable[Partner],
    secretaries: Iterable[User] = (),
    **fields,
) -> Board:
    """Create a board. ``chair_casting_vote`` is stored as given; the decision engine
    decides what it means (every seeded board's terms refuse the chair one)."""
    if Board.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": ["A board with this name already exists."]})
    unknown = set(fields) - set(BOARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown board fields: {sorted(unknown)}")
    board = Board(name=name.strip(), **fields)
    board.full_clean(exclude=["partners", "secretaries"])
    board.save()
    _check_reports_to(board)
    board.partners.set(list(partners))
    board.secretaries.set(list(secretaries))
    return board


@transaction.atomic
def board_update(
    *,
    board: Board,
    partners: Iterable[Partner] | None = None,
    secretaries: Iterable[User] | None = None,
    **fields,
) -> Board:
    """Change a board's settings. A partner that still has active seats on the board
    cannot be removed from it (deactivate the seats first)."""
    unknown = set(fields) - set(BOARD_FIELDS)
    if unknown:
        raise TypeError(f"unknown board fields: {sorted(unknown)}")
    if "name" in fields and (
        Board.objects.filter(name__iexact=fields["name"].strip())
        .exclude(pk=board.pk)
        .exists()
    ):
        raise ValidationError({"name": ["A board with this name already exists."]})
    for key, value in fields.items():
        setattr(board, key, value)
    board.full_clean(exclude=["partners", "secretaries"])
    _check_reports_to(board)
    board.save()
    if partners is not None:
        partners = list(partners)
        kept = {p.pk for p in partners}
        orphaned = (
            board.seats.filter(active=True)
            .exclude(partner__in=kept)
            .values_list("partner__name", flat=True)
            .distinct()
        )
        if orphaned:
            raise ValidationError(
                {
                    "partners": [
                        f"{name} still has seats on this board; deactivate them first."
                        for name in orphaned
                    ]
                }
            )
        board.partners.set(partners)
    if secretaries is not None:
        board.secretaries.set(list(secretaries))
    return board


# --- seats -----------------------------------------------------------------------


def _validate_seat(seat: Seat) -> None:
    errors: dict[str, list[str]] = {}
    if not seat.board.partners.filter(pk=seat.partner_id).exists():
        errors["partner"] = ["The seat's partner must be one of the board's partners."]
    bad = [c for c in seat.categories or [] if c not in SeatCategory.values]
    if bad:
        errors["categories"] = [f'"{c}" is not a seat category.' for c in bad]
    if seat.holder_id and seat.holder_id == seat.deputy_id:
        errors["deputy"] = ["The deputy must be someone other than the holder."]
    if seat.deputy_notified_on and not seat.deputy_id:
        errors["deputy_notified_on"] = ["There is no deputy to have been notified."]
    if (
        seat.delegated_authority_limit is not None
        and seat.delegated_authority_limit < 0
    ):
        errors["delegated_authority_limit"] = ["The limit cannot be negative."]
    if errors:
        raise ValidationError(errors)


def _only_chair(seat: Seat) -> None:
    """One seat of a board holds the chair at a time."""
    if seat.is_chair:
        # Row by row (not QuerySet.update) so each change has its history row.
        for other in Seat.objects.filter(board=seat.board_id, is_chair=True).exclude(
            pk=seat.pk
        ):
            other.is_chair = False
            other.save(update_fields=["is_chair"])


@transaction.atomic
def seat_create(
    *,
    board: Board,
    title: str,
    partner: Partner,
    voting: bool = True,
    categories: list[str] | None = None,
    holder: User | None = None,
    deputy: User | None = None,
    deputy_notified_on: date | None = None,
    delegated_authority_limit: Decimal | None = None,
    is_chair: bool = False,
    is_alternate_chair: bool = False,
    order: int | None = None,
) -> Seat:
    """Add a post to a board. A voting seat should have a deputy (Portsmouth PMG ToR
    1.1); one without is allowed but shown as a compliance gap."""
    if order is None:
        order = board.seats.count() + 1
    seat = Seat(
        board=board,
        title=title.strip(),
        partner=partner,
        voting=voting,
        categories=sorted(set(categories or [])),
        holder=holder,
        deputy=deputy,
        deputy_notified_on=deputy_notified_on,
        delegated_authority_limit=delegated_authority_limit,
        is_chair=is_chair,
        is_alternate_chair=is_alternate_chair,
        order=order,
    )
    _validate_seat(seat)
    seat.save()
    _only_chair(seat)
    return seat


SEAT_FIELDS = (
    "title",
    "partner",
    "voting",
    "categories",
    "holder",
    "deputy",
    "deputy_notified_on",
    "delegated_authority_limit",
    "is_chair",
    "is_alternate_chair",
    "order",
    "active",
)


@transaction.atomic
def seat_update(*, seat: Seat, **fields) -> Seat:
    """Change a seat. Naming a different deputy clears the notice date unless a new
    one is given: the new deputy has not been notified yet."""
    unknown = set(fields) - set(SEAT_FIELDS)
    if unknown:
        raise TypeError(f"unknown seat fields: {sorted(unknown)}")
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if "order" in fields and fields["order"] is None:
        del fields["order"]  # a blank position keeps the seat where it is
    new_deputy = fields.get("deputy", seat.deputy)
    if (
        "deputy" in fields
        and (new_deputy.pk if new_deputy else None) != seat.deputy_id
        and "deputy_notified_on" not in fields
    ):
        fields["deputy_notified_on"] = None
    if "categories" in fields:
        fields["categories"] = sorted(set(fields["categories"] or []))
    for key, value in fields.items():
        setattr(seat, key, value)
    _validate_seat(seat)
    seat.save()
    _only_chair(seat)
    return seat


@transaction.atomic
def seat_deputy_notify(*, seat: Seat, on: date | None = None) -> Seat:
    """Record that the partners were told who the deputy is ("a deputy to be notified
    to the Partners in advance of any meeting", Leicestershire IFPG)."""
    if not seat.deputy_id:
        raise ValidationError({"deputy": ["Name a deputy before notifying one."]})
    seat.deputy_notified_on = on or timezone.localdate()
    seat.save(update_fields=["deputy_notified_on"])
    return seat


@transaction.atomic
def seat_deactivate(*, seat: Seat) -> Seat:
    seat.active = False
    seat.is_chair = False
    seat.save(update_fields=["active", "is_chair"])
    return seat


# --- quorum rules ------------------------------------------------------------------

QUORUM_FIELDS = (
    "min_present",
    "min_voting_per_partner",
    "min_any_per_partner",
    "category_minimums",
    "per_partner_category_minimums",
    "partner_kind_minimums",
    "chair_required",
)


def _validate_minimums(fields: dict) -> None:
    errors: dict[str, list[str]] = {}
    for name, allowed in (
        ("category_minimums", SeatCategory.values),
        ("per_partner_category_minimums", SeatCategory.values),
        ("partner_kind_minimums", PartnerKind.values),
    ):
        value = fields.get(name) or {}
        if not isinstance(value, dict):
            errors[name] = ["Give an object of name: number."]
            continue
        for key, n in value.items():
            if key not in allowed:
                errors.setdefault(name, []).append(f'"{key}" is not one of {allowed}.')
            elif not isinstance(n, int) or isinstance(n, bool) or n < 0:
                errors.setdefault(name, []).append(
                    f'"{key}" needs a whole number >= 0.'
                )
    for name in ("min_present", "min_voting_per_partner", "min_any_per_partner"):
        value = fields.get(name, 0)
        if not isinstance(value, int) or value < 0:
            errors[name] = ["A whole number >= 0."]
    if errors:
        raise ValidationError(errors)


def _clean_minimums(fields: dict) -> dict:
    for name in (
        "category_minimums",
        "per_partner_category_minimums",
        "partner_kind_minimums",
    ):
        if name in fields:
            fields[name] = {k: v for k, v in (fields[name] or {}).items() if v}
    return fields


@transaction.atomic
def quorum_rule_create(
    *, board: Board, business_type: str = BusinessType.ROUTINE, **fields
) -> QuorumRule:
    """Quorum as data (SPEC s.3): one rule per board and kind of business."""
    unknown = set(fields) - set(QUORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown quorum rule fields: {sorted(unknown)}")
    if business_type not in BusinessType.values:
        raise ValidationError(
            {"business_type": [f'"{business_type}" is not a kind of business.']}
        )
    _validate_minimums(fields)
    if QuorumRule.objects.filter(board=board, business_type=business_type).exists():
        raise ValidationError(
            {
                "business_type": [
                    "This board already has a quorum rule for this business."
                ]
            }
        )
    return QuorumRule.objects.create(
        board=board, business_type=business_type, **_clean_minimums(fields)
    )


@transaction.atomic
def quorum_rule_update(*, rule: QuorumRule, **fields) -> QuorumRule:
    unknown = set(fields) - set(QUORUM_FIELDS)
    if unknown:
        raise TypeError(f"unknown quorum rule fields: {sorted(unknown)}")
    _validate_minimums(fields)
    for key, value in _clean_minimums(fields).items():
        setattr(rule, key, value)
    rule.save()
    return rule


# --- terms of reference -------------------------------------------------------------


@transaction.atomic
def terms_add(
    *,
    board: Board,
    version: str,
    summary: str = "",
    reviewed_by: str = "",
    reviewed_on: date | None = None,
    approved_by: str = "",
    approved_on: date | None = None,
    review_due: date | None = None,
) -> TermsOfReference:
    """Record a version of the terms. Without a review date the review falls due three
    years after the version was reviewed or approved (Portsmouth PMG ToR: "at least
    every three years")."""
    if board.terms.filter(version=version).exists():
        raise ValidationError({"version": ["This version is already recorded."]})
    if review_due is None:
        review_due = terms_rules.default_review_due(
            reviewed_on=reviewed_on, approved_on=approved_on, today=timezone.localdate()
        )
    return TermsOfReference.objects.create(
        board=board,
        version=version,
        summary=summary,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        approved_by=approved_by,
        approved_on=approved_on,
        review_due=review_due,
    )


def tor_review_reminders_send(*, today: date | None = None) -> int:
    """E-mail each secretary of a board whose current terms of reference fall due for
    review within 60 days (or are overdue). Idempotent per (terms version, review
    date, secretary): the outbox key is the same on every run, so a version is
    reminded once; a new review date on a new version reminds again."""
    from .selectors import current_terms_due_by

    today = today or timezone.localdate()
    queued = 0
    for terms in current_terms_due_by(terms_rules.reminder_window(today)):
        with transaction.atomic():
            for secretary in terms.board.secretaries.all():
                key = f"tor-review:{terms.pk}:{terms.review_due:%Y%m%d}:{secretary.pk}"
                if OutboxMessage.objects.filter(key=key).exists():
                    continue
                outbox_enqueue(
                    key=key,
                    to=secretary.email,
                    subject=f"Terms of reference review due: {terms.board.name}",
                    body=(
                        f"The terms of reference of {terms.board.name} (version "
                        f"{terms.version}) are due for review on "
                        f"{terms.review_due:%d %B %Y}.\n\nRecord the reviewed version "
                        "on the board's page once the board has agreed it."
                    ),
                )
                queued += 1
    return queued


# --- chairs -----------------------------------------------------------------------------


@transaction.atomic
def chair_term_start(
    *,
    board: Board,
    person: User,
    starts_on: date,
    seat: Seat | None = None,
    partner: Partner | None = None,
    ends_on: date | None = None,
    elected_at_meeting=None,
) -> ChairTerm:
    """Begin a chair's term; the term in force ends the day before. The seat the chair
    holds becomes the board's chair seat (quorum rules may require the chair, JCG 9)."""
    errors = {}
    if seat is not None and seat.board_id != board.pk:
        errors["seat"] = ["The seat is not on this board."]
    if seat is not None and partner is None:
        partner = seat.partner
    if partner is not None and not board.partners.filter(pk=partner.pk).exists():
        errors["partner"] = ["The partner is not a partner of this board."]
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = ["A term cannot end before it starts."]
    if errors:
        raise ValidationError(errors)
    open_terms = ChairTerm.objects.select_for_update().filter(
        board=board, starts_on__lt=starts_on, ends_on__isnull=True
    )
    for term in open_terms:
        term.ends_on = starts_on - timedelta(days=1)
        term.save(update_fields=["ends_on"])
    term = ChairTerm.objects.create(
        board=board,
        person=person,
        seat=seat,
        partner=partner,
        starts_on=starts_on,
        ends_on=ends_on,
        elected_at_meeting=elected_at_meeting,
    )
    if seat is not None and starts_on <= timezone.localdate():
        # Row by row, so the seats' audit history records who became chair.
        for other in Seat.objects.filter(board=board, is_chair=True).exclude(
            pk=seat.pk
        ):
            other.is_chair = False
            other.save(update_fields=["is_chair"])
        if not seat.is_chair:
            seat.is_chair = True
            seat.save(update_fields=["is_chair"])
    return term
