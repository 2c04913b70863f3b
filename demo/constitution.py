"""Loading the demo constitution (partners, people, agreements, boards, seats, quorum
rules, terms of reference, chair terms) through the boards services, so every row is
validated and has its audit history.

Idempotent: each row is found by its natural key (a partner or board by name, a seat
by board and title, a quorum rule by board and kind of business, terms by version, an
officer by agreement, partner and e-mail) and created when missing, changed through
the update service when it differs, left alone when it is the same. Two things are
history, loaded once: a board's chair terms (a board that has any keeps them), and a
deputy's notice (a notice already recorded stays as recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from boards.models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    ChairTerm,
    Partner,
    QuorumRule,
    RuleSource,
    Seat,
    TermsOfReference,
)
from boards.services import (
    agreements,
    boards,
    chairs,
    partners,
    quorum_rules,
    seats,
    sources,
    terms_of_reference,
)
from governance.models import Role, User
from governance.services import people

from .files import DemoData, DemoFileError, check_keys
from .when import Clock, date_of

BOARD_KEYS = {
    "key",
    "name",
    "short_name",
    "agreement",
    "partners",
    "reports_to",
    "secretaries",
    "purpose",
    "settings",
    "seat_defaults",
    "seats",
    "quorum",
    "terms",
    "chairs",
    "publication",
    "sources",
}
SEAT_KEYS = {
    "title",
    "partner",
    "voting",
    "categories",
    "holder",
    "deputy",
    "deputy_notified_on",
    "delegated_authority_limit",
    "limit_source",
    "alternate_chair",
}
TERMS_KEYS = {
    "version",
    "summary",
    "reviewed_by",
    "reviewed_on",
    "approved_by",
    "approved_on",
    "review_due",
    "source",
}


@dataclass
class Context:
    """What the loading phases share: the clock and what earlier phases made."""

    clock: Clock
    partners: dict[str, Partner] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)
    agreements: dict[str, Agreement] = field(default_factory=dict)

    def partner(self, key: str, where: str) -> Partner:
        if key not in self.partners:
            raise DemoFileError(f"{where}: no partner {key!r} in the demo files")
        return self.partners[key]

    def board(self, key: str, where: str) -> Board:
        if key not in self.boards:
            raise DemoFileError(f"{where}: no board {key!r} in the demo files")
        return self.boards[key]


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- people ----------------------------------------------------------------------


def load_logins(shared: dict) -> list[User]:
    """The demo logins, with the printed demo password; the administrator is a
    superuser. A login whose password is already set keeps it."""
    password = shared["password"]
    found = []
    for entry in shared["logins"]:
        check_keys(entry, {"email", "name", "role", "job_title"}, "shared.yaml login")
        user = person(
            {"name": entry["name"], "email": entry["email"]},
            role=entry["role"],
            job_title=entry.get("job_title", ""),
        )
        if not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
        if entry["role"] == Role.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        found.append(user)
    return found


def person(spec, *, role: str = Role.MEMBER, job_title: str = "") -> User | None:
    """``spec`` is an e-mail of someone already in the demo, a mapping ``{name,
    email[, job_title]}`` (created without a login when new), or None."""
    if spec is None:
        return None
    if isinstance(spec, str):
        user = User.objects.filter(email__iexact=spec).first()
        if user is None:
            raise DemoFileError(f"no demo person {spec!r}: give name and email")
        return user
    check_keys(spec, {"name", "email", "job_title"}, "person", required=("email",))
    user = User.objects.filter(email__iexact=spec["email"]).first()
    if user is not None:
        return user
    return people.person_create(
        by=None,
        name=spec.get("name", ""),
        email=spec["email"],
        role=role,
        job_title=spec.get("job_title", job_title),
    )


# --- partners and agreements --------------------------------------------------------


def load_partners(data: DemoData, context: Context) -> None:
    for file, key, spec in data.partners:
        where = f"{file} partner {key}"
        check_keys(spec, {"name", "short_name", "kind"}, where, required=("name",))
        found = Partner.objects.filter(name=spec["name"]).first()
        if found is None:
            found = partners.partner_create(
                name=spec["name"],
                kind=spec["kind"],
                short_name=spec.get("short_name", ""),
            )
        else:
            wanted = {
                "short_name": spec.get("short_name", ""),
                "kind": spec["kind"],
                "active": True,
            }
            if any(getattr(found, k) != v for k, v in wanted.items()):
                found = partners.partner_update(partner=found, **wanted)
        context.partners[key] = found


def load_agreements(data: DemoData, context: Context) -> None:
    allowed = {
        "name",
        "partners",
        "host",
        "starts_on",
        "dispute_resolution",
        "schedules",
        "authorised_officers",
    }
    for file, spec in data.agreements:
        where = f"{file} agreement {spec.get('name')}"
        check_keys(spec, allowed, where, required=("name", "partners", "host"))
        members = [context.partner(k, where) for k in spec["partners"]]
        agreement = Agreement.objects.filter(name=spec["name"]).first()
        if agreement is None:
            agreement = agreements.agreement_create(
                name=spec["name"],
                partners=members,
                host_partner=context.partner(spec["host"], where),
                starts_on=date_of(spec["starts_on"], context.clock),
                dispute_resolution=spec.get("dispute_resolution", ""),
            )
        for schedule in spec.get("schedules") or []:
            check_keys(schedule, {"number", "name", "description"}, where)
            if not agreement.schedules.filter(name=schedule["name"]).exists():
                agreements.schedule_add(
                    agreement=agreement,
                    number=str(schedule.get("number", "")),
                    name=schedule["name"],
                    description=schedule.get("description", ""),
                )
        for officer in spec.get("authorised_officers") or []:
            check_keys(officer, {"partner", "name", "email"}, where)
            partner = context.partner(officer["partner"], where)
            existing = AuthorisedOfficer.objects.filter(
                agreement=agreement, partner=partner, email__iexact=officer["email"]
            ).first()
            if existing is None or not existing.active:
                agreements.authorised_officer_add(
                    agreement=agreement,
                    partner=partner,
                    name=officer["name"],
                    email=officer["email"],
                )
        context.agreements[spec["name"]] = agreement


# --- boards ------------------------------------------------------------------------


def _board_fields(spec: dict, context: Context, where: str) -> dict:
    fields = {"short_name": spec.get("short_name", ""), "purpose": ""}
    fields["purpose"] = (spec.get("purpose") or "").strip()
    for name, value in (spec.get("settings") or {}).items():
        if name not in boards.BOARD_FIELDS:
            raise DemoFileError(f"{where}: unknown board setting {name!r}")
        fields[name] = value
    agreement = spec.get("agreement")
    if agreement is not None:
        if agreement not in context.agreements:
            raise DemoFileError(f"{where}: no agreement {agreement!r}")
        fields["agreement"] = context.agreements[agreement]
    return fields


def _differs(instance, fields: dict) -> bool:
    return any(getattr(instance, name) != value for name, value in fields.items())


def load_boards(data: DemoData, context: Context) -> None:
    """Boards first (settings, partners, secretaries), then their reporting lines, so
    a board may report to one defined later or in another file."""
    for file, spec in data.boards:
        where = f"{file} board {spec.get('key')}"
        check_keys(spec, BOARD_KEYS, where, required=("key", "name", "partners"))
        fields = _board_fields(spec, context, where)
        members = [context.partner(k, where) for k in spec["partners"]]
        secretaries = [person(email) for email in spec.get("secretaries") or []]
        board = Board.objects.filter(name=spec["name"]).first()
        if board is None:
            board = boards.board_create(
                name=spec["name"], partners=members, secretaries=secretaries, **fields
            )
        elif (
            _differs(board, fields)
            or set(board.partners.all()) != set(members)
            or set(board.secretaries.all()) != set(secretaries)
        ):
            board = boards.board_update(
                board=board, partners=members, secretaries=secretaries, **fields
            )
        context.boards[spec["key"]] = board
    for file, spec in data.boards:
        where = f"{file} board {spec['key']}"
        board = context.boards[spec["key"]]
        parent = spec.get("reports_to")
        parent = context.board(parent, where) if parent else None
        if board.reports_to_id != (parent.pk if parent else None):
            boards.board_update(board=board, reports_to=parent)


def load_constitutions(data: DemoData, context: Context) -> None:
    for file, spec in data.boards:
        where = f"{file} board {spec['key']}"
        board = context.boards[spec["key"]]
        cite_as = data.cite_as.get(file, "")
        defaults = spec.get("seat_defaults") or {}
        listed = set()
        for order, seat in enumerate(spec.get("seats") or [], start=1):
            seat = {**defaults, **seat}
            made = _seat(board, order, seat, context, where)
            listed.add(made.pk)
            if seat.get("limit_source"):
                _source(
                    board,
                    "delegated_authority_limit",
                    seat["limit_source"],
                    cite_as,
                    where,
                    seat=made,
                )
        # A seat the file no longer lists is made inactive (never deleted).
        for seat in board.seats.filter(active=True).exclude(pk__in=listed):
            seats.seat_deactivate(seat=seat)
        for rule, source in (spec.get("sources") or {}).items():
            _source(board, rule, source, cite_as, where)
        for business_type, rule in (spec.get("quorum") or {}).items():
            _quorum_rule(board, business_type, rule or {})
        for terms in spec.get("terms") or []:
            _terms(board, terms, context, where)
        if not ChairTerm.objects.filter(board=board).exists():
            for term in spec.get("chairs") or []:
                _chair(board, term, context, where)


def _seat(board: Board, order: int, spec: dict, context: Context, where: str) -> Seat:
    where = f"{where} seat {spec.get('title')}"
    check_keys(spec, SEAT_KEYS, where, required=("title", "partner"))
    title = " ".join(spec["title"].split())
    has_deputy = spec.get("deputy") is not None
    notice = spec.get("deputy_notified_on")
    spec = {k: v for k, v in spec.items() if k != "limit_source"}
    fields = {
        "partner": context.partner(spec["partner"], where),
        "voting": spec.get("voting", True),
        "categories": sorted(set(spec.get("categories") or [])),
        "holder": person(spec.get("holder"), job_title=title),
        "deputy": person(spec.get("deputy"), job_title=f"Deputy to the {title}"),
        "delegated_authority_limit": money(spec.get("delegated_authority_limit")),
        "is_alternate_chair": spec.get("alternate_chair", False),
        "order": order,
    }
    wanted_notice = (
        date_of(notice, context.clock) if has_deputy and notice is not None else None
    )
    seat = Seat.objects.filter(board=board, title=title).first()
    if seat is None:
        return seats.seat_create(
            board=board, title=title, deputy_notified_on=wanted_notice, **fields
        )
    if (seat.deputy_notified_on is None) != (wanted_notice is None):
        fields["deputy_notified_on"] = wanted_notice
    if not seat.active:
        fields["active"] = True
    if _differs(seat, fields):
        seat = seats.seat_update(seat=seat, **fields)
    return seat


def _quorum_rule(board: Board, business_type: str, spec: dict) -> QuorumRule:
    fields = {name: spec.get(name) for name in spec}
    unknown = set(fields) - set(quorum_rules.QUORUM_FIELDS)
    if unknown:
        raise DemoFileError(f"{board}: unknown quorum field(s) {sorted(unknown)}")
    rule = QuorumRule.objects.filter(board=board, business_type=business_type).first()
    if rule is None:
        return quorum_rules.quorum_rule_create(
            board=board, business_type=business_type, **fields
        )
    complete = {
        "min_present": 0,
        "min_voting_per_partner": 0,
        "min_any_per_partner": 0,
        "category_minimums": {},
        "per_partner_category_minimums": {},
        "partner_kind_minimums": {},
        "chair_required": False,
        **fields,
    }
    if _differs(rule, complete):
        rule = quorum_rules.quorum_rule_update(rule=rule, **complete)
    return rule


def _terms(board: Board, spec: dict, context: Context, where: str) -> None:
    check_keys(spec, TERMS_KEYS, f"{where} terms", required=("version",))
    version = str(spec["version"])
    if TermsOfReference.objects.filter(board=board, version=version).exists():
        return
    dates = {
        name: date_of(spec[name], context.clock) if spec.get(name) else None
        for name in ("reviewed_on", "approved_on", "review_due")
    }
    terms_of_reference.terms_add(
        board=board,
        version=version,
        source=spec.get("source", ""),
        summary=" ".join(spec.get("summary", "").split()),
        reviewed_by=spec.get("reviewed_by", ""),
        approved_by=spec.get("approved_by", ""),
        **dates,
    )


def _chair(board: Board, spec: dict, context: Context, where: str) -> None:
    check_keys(spec, {"seat", "starts_on", "ends_on", "source"}, f"{where} chair")
    seat = Seat.objects.filter(board=board, title=spec["seat"]).first()
    if seat is None or seat.holder is None:
        raise DemoFileError(f"{where}: no held seat {spec['seat']!r} to chair")
    chairs.chair_term_start(
        board=board,
        person=seat.holder,
        seat=seat,
        starts_on=date_of(spec["starts_on"], context.clock),
        ends_on=date_of(spec["ends_on"], context.clock)
        if spec.get("ends_on")
        else None,
        source=spec.get("source", ""),
    )


LOCAL_DEMO = "local practice (demo)"


def source_fields(spec, cite_as: str, where: str) -> dict:
    """A source in a demo file: "local practice (demo)", or ``{paragraph, quote}``
    of the file's own document (``cite_as``), or ``{document, paragraph, quote}``,
    or ``{decided_by, decided_on}`` for local practice."""
    if spec == LOCAL_DEMO:
        return {"kind": RuleSource.Kind.LOCAL_PRACTICE, "decided_by": "demo"}
    if isinstance(spec, str):
        return {"kind": RuleSource.Kind.TERMS, "document": cite_as, "paragraph": spec}
    check_keys(
        spec,
        {"document", "paragraph", "quote", "decided_by", "decided_on"},
        f"{where} source",
    )
    if "decided_by" in spec:
        return {
            "kind": RuleSource.Kind.LOCAL_PRACTICE,
            "decided_by": spec["decided_by"],
            "decided_on": spec.get("decided_on"),
        }
    return {
        "kind": RuleSource.Kind.TERMS,
        "document": spec.get("document", cite_as),
        "paragraph": str(spec.get("paragraph", "")),
        "quote": " ".join(str(spec.get("quote", "")).split()),
    }


def _source(board: Board, rule: str, spec, cite_as: str, where: str, seat=None):
    fields = source_fields(spec, cite_as, where)
    existing = RuleSource.objects.filter(board=board, rule=rule, seat=seat).first()
    complete = {
        "document": "",
        "paragraph": "",
        "quote": "",
        "decided_by": "",
        "decided_on": None,
        **fields,
    }
    if existing is not None and not _differs(existing, complete):
        return existing
    return sources.rule_source_set(board=board, rule=rule, seat=seat, **complete)
