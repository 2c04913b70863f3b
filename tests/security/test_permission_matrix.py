"""The permission matrix (OWASP ASVS 5.0 V8; SPEC s.7 "permissions are per board and
per fund"; issue 8): each role x each named page and API endpoint of the product x
allowed or refused, as one table.

The URLs come from the URL resolver, filled with ids from the demo: board A is the
Portsmouth PMG (the demo secretary's board, where member@demo holds a seat), board
B is the West Kent Section 75 Group (where member B holds a seat and member A does
not), the fund is the West Kent BCF pool. ``allowed`` means the answer is neither
403 nor 404 nor a redirect to sign in; ``refused`` means it is one of those.

A URL missing from the table fails the completeness test, so a new page cannot ship
without someone deciding who may see it. Run with ``PRINT_MATRIX=1`` and ``-s`` to
print what the product does now, to review a new row.
"""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from governance.models import User

ROLES = ("ADM", "SEC", "MEM_A", "MEM_B", "FIN", "MGR", "AUD")
ROLE_EMAILS = {
    "ADM": "admin@demo.example",
    "SEC": "secretary@demo.example",
    "MEM_A": "member@demo.example",
    "MEM_B": "ian.ayres@westkentccg.example",
    "FIN": "finance@demo.example",
    "MGR": "manager@demo.example",
    "AUD": "auditor@demo.example",
}
ALL = frozenset(ROLES)
NOBODY = frozenset()


def roles(spec: str) -> frozenset:
    """``"ADM SEC AUD"`` -> those roles; ``"*"`` -> everyone; ``"-"`` -> nobody."""
    if spec == "*":
        return ALL
    if spec == "-":
        return NOBODY
    return frozenset(spec.split())


# URL name -> (who may GET, who may POST). None: the method is not part of the check
# (a POST-only action is checked under POST, a read-only page under GET).
MATRIX: dict[str, tuple[str | None, str | None]] = {
    "api-agreement": ("ADM SEC AUD", None),
    "api-agreements": ("*", "ADM"),
    "api-authorised-officers": ("ADM SEC AUD", "ADM"),
    "api-board": ("ADM SEC MEM_A AUD", None),
    "api-board-decisions": ("ADM SEC MEM_A AUD", None),
    "api-boards": ("*", "ADM SEC"),
    "api-escalation-resolve": (None, "ADM SEC MEM_B"),
    "api-escalations": ("*", None),
    "api-fund": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-contributions": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-decisions": ("ADM SEC MEM_B FIN MGR AUD", "ADM SEC MGR"),
    "api-fund-metric-actuals": ("ADM SEC MEM_B FIN MGR AUD", "ADM FIN"),
    "api-fund-return": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-return-approve": (None, "ADM MGR"),
    "api-fund-return-send-back": (None, "ADM MGR"),
    "api-fund-return-submit": (None, "ADM FIN"),
    "api-fund-returns": ("ADM SEC MEM_B FIN MGR AUD", "ADM FIN"),
    "api-fund-risk-share": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-schemes": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-funds": ("*", None),
    "api-invitation-resend": (None, "ADM SEC"),
    "api-invitation-revoke": (None, "ADM SEC"),
    "api-invitations": ("ADM SEC AUD", "ADM SEC"),
    "api-person-deactivate": (None, "ADM"),
    "api-person-global-role": (None, "ADM"),
    "api-person-merge": (None, "ADM"),
    "api-person-reactivate": (None, "ADM"),
    "api-person-roles": ("ADM SEC AUD", "ADM SEC"),
    "api-person-roles-revoke": (None, "ADM SEC"),
    "api-item": ("ADM SEC MEM_A AUD", None),
    "api-item-positions": ("ADM SEC MEM_A AUD", "ADM SEC MEM_A"),
    "api-meeting": ("ADM SEC MEM_A AUD", None),
    "api-meeting-apologies": (None, "MEM_A"),
    "api-meeting-attendance": ("ADM SEC MEM_A AUD", None),
    "api-meeting-cancel": (None, "ADM SEC"),
    "api-meeting-deputy": (None, "MEM_A"),
    "api-meeting-close": (None, "ADM SEC"),
    "api-meeting-inquorate": (None, "ADM SEC"),
    "api-meeting-publish": (None, "ADM SEC"),
    "api-meeting-start": (None, "ADM SEC"),
    "api-meeting-chair-election": (None, "ADM SEC"),
    "api-meeting-items": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "api-meeting-quorum": ("ADM SEC MEM_A AUD", None),
    "api-meetings": ("*", "ADM SEC MEM_A MEM_B FIN MGR"),
    "api-motion": ("ADM SEC MEM_A AUD", None),
    "api-motion-close": (None, "ADM SEC"),
    "api-motion-consultation": (None, "ADM SEC"),
    "api-motion-consult-board": (None, "ADM SEC"),
    "api-motion-open": (None, "ADM SEC"),
    "api-motion-votes": ("ADM SEC MEM_A AUD", "ADM SEC MEM_A"),
    "api-motion-withdraw": (None, "ADM SEC"),
    "api-partner": ("*", None),
    "api-partners": ("*", "ADM"),
    "api-people": ("ADM SEC AUD", "ADM SEC"),
    "api-person": ("ADM SEC AUD", None),
    "api-quorum-rule": ("ADM SEC MEM_A AUD", None),
    "api-quorum-rules": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "api-seat": ("ADM SEC MEM_A AUD", None),
    "api-seats": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "audit:history": ("ADM AUD", None),
    "boards:agreement": ("ADM SEC AUD", None),
    "boards:agreement_add": ("ADM", "ADM"),
    "boards:agreements": ("*", None),
    "boards:chair_add": ("ADM SEC", "ADM SEC"),
    "boards:create": ("ADM SEC", "ADM SEC"),
    "boards:detail": ("ADM SEC MEM_A AUD", None),
    "boards:edit": ("ADM SEC", "ADM SEC"),
    "boards:list": ("*", None),
    "boards:officer_add": ("ADM", "ADM"),
    "boards:officer_deactivate": (None, "ADM"),
    "boards:partner_add": ("ADM", "ADM"),
    "boards:partner_edit": ("ADM", "ADM"),
    "boards:partners": ("ADM SEC AUD", None),
    "boards:person_add": ("ADM SEC", "ADM SEC"),
    "boards:quorum_rule_add": ("ADM SEC", "ADM SEC"),
    "boards:quorum_rule_edit": ("ADM SEC", "ADM SEC"),
    "boards:schedule_add": ("ADM", "ADM"),
    "boards:seat_add": ("ADM SEC", "ADM SEC"),
    "boards:seat_deactivate": (None, "ADM SEC"),
    "boards:seat_edit": ("ADM SEC", "ADM SEC"),
    "boards:seat_notify": (None, "ADM SEC"),
    "boards:terms_add": ("ADM SEC", "ADM SEC"),
    "dashboard": ("*", None),
    "meetings:action_add": (None, "ADM SEC"),
    "meetings:action_status": (None, "-"),
    "meetings:agenda_pack": (None, "ADM SEC MEM_A"),
    "meetings:apologies": (None, "MEM_A"),
    "meetings:attendance": (None, "ADM SEC"),
    "meetings:authorise_late": (None, "ADM"),
    "meetings:calendar": ("*", None),
    "meetings:create": ("*", "ADM SEC MEM_A MEM_B FIN MGR"),
    "meetings:decisions-board-log": ("ADM SEC MEM_A AUD", None),
    "meetings:decisions-chair-election": ("ADM SEC", "ADM SEC"),
    "meetings:decisions-close": (None, "ADM SEC"),
    "meetings:decisions-consultation": (None, "ADM SEC"),
    "meetings:decisions-consult-board": (None, "ADM SEC"),
    "meetings:decisions-escalation-resolve": (None, "ADM SEC MEM_B"),
    "meetings:decisions-escalations": ("*", None),
    "meetings:decisions-item": ("ADM SEC MEM_A AUD", None),
    "meetings:decisions-meeting-log": ("ADM SEC MEM_A AUD", None),
    "meetings:decisions-open": (None, "ADM SEC"),
    "meetings:decisions-position": ("ADM SEC MEM_A", "ADM SEC MEM_A"),
    "meetings:decisions-show-of-hands": (None, "-"),
    "meetings:decisions-vote": ("ADM SEC MEM_A AUD", "-"),
    "meetings:decisions-withdraw": (None, "ADM SEC"),
    "meetings:declaration_add": (None, "ADM SEC"),
    "meetings:deputy": (None, "MEM_A"),
    "meetings:detail": ("ADM SEC MEM_A AUD", None),
    "meetings:edit": ("ADM SEC", "ADM SEC"),
    "meetings:guest_approve": (None, "-"),
    "meetings:guest_invite": ("ADM SEC", "ADM SEC"),
    "meetings:ical_board": ("ADM SEC MEM_A AUD", None),
    "meetings:ical_meeting": ("ADM SEC MEM_A AUD", None),
    "meetings:item_create": ("ADM SEC", "ADM SEC"),
    "meetings:item_edit": ("ADM SEC", "ADM SEC"),
    "meetings:item_move": (None, "ADM SEC"),
    "meetings:item_notes": (None, "ADM SEC"),
    "meetings:list": ("*", None),
    "meetings:minutes": ("ADM SEC MEM_A AUD", None),
    "meetings:minutes_approve": (None, "ADM SEC"),
    "meetings:minutes_audit": ("ADM AUD", None),
    "meetings:minutes_circulate": (None, "ADM SEC"),
    "meetings:minutes_confirm": (None, "ADM SEC"),
    "meetings:minutes_correct": (None, "ADM SEC"),
    "meetings:minutes_deadlines": ("*", None),
    "meetings:minutes_entry": (None, "ADM SEC"),
    "meetings:minutes_export": ("ADM AUD", None),
    "meetings:minutes_job": ("-", None),
    "meetings:minutes_job_download": ("-", None),
    "meetings:minutes_pdf": ("ADM SEC MEM_A AUD", None),
    "meetings:minutes_record_pdf": ("ADM SEC MEM_A AUD", None),
    "meetings:minutes_reopen": (None, "ADM SEC"),
    "meetings:minutes_start": (None, "ADM SEC"),
    "meetings:minutes_summary": (None, "ADM SEC"),
    "meetings:paper": ("ADM SEC MEM_A AUD", None),
    "meetings:paper_authorise": (None, "ADM"),
    "meetings:paper_upload": ("ADM SEC", "ADM SEC"),
    "meetings:quorum": ("ADM SEC MEM_A AUD", None),
    "meetings:run": ("ADM SEC", None),
    "meetings:status": (None, "ADM SEC"),
    "minutes-approve": (None, "ADM SEC"),
    "minutes-circulate": (None, "ADM SEC"),
    "minutes-confirm": (None, "ADM SEC"),
    "minutes-correct": (None, "ADM SEC"),
    "minutes-pdf": ("ADM SEC MEM_A AUD", None),
    "minutes-versions": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "people:deactivate": (None, "ADM"),
    "people:detail": ("ADM SEC AUD", None),
    "people:edit": ("ADM", "ADM"),
    "people:global_role": (None, "ADM"),
    "people:invitation_resend": (None, "ADM SEC"),
    "people:invitation_revoke": (None, "ADM SEC"),
    "people:invite": ("ADM SEC", "ADM SEC"),
    "people:list": ("ADM SEC AUD", None),
    "people:merge": ("ADM", "ADM"),
    "people:reactivate": (None, "ADM"),
    "people:role_give": (None, "ADM SEC"),
    "people:role_take": (None, "ADM SEC"),
    "pooled_funds:decision_record": ("ADM SEC MGR", "ADM SEC MGR"),
    "pooled_funds:detail": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:import_job": ("-", None),
    "pooled_funds:list": ("*", None),
    "pooled_funds:metric_actuals": ("ADM FIN", "ADM FIN"),
    "pooled_funds:return": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_approve": (None, "ADM MGR"),
    "pooled_funds:return_bcf_csv": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_enter": ("ADM FIN", "ADM FIN"),
    "pooled_funds:return_report": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_send_back": (None, "ADM MGR"),
    "pooled_funds:return_submit": (None, "ADM FIN"),
    "pooled_funds:return_template": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_upload": ("ADM FIN", "ADM FIN"),
}

# Sign-in pages, the health check and the calendar feed (authenticated by its
# secret token) are public or self-service: not part of the matrix.
PUBLIC = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery_codes",
    "invitation_accept",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "api-schema",
    "meetings:ical_person",
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, prefix + str(entry.pattern)


ROUTES = sorted({name: route for name, route in _walk(get_resolver())}.items())


def _ids() -> dict[str, int | str]:
    """Demo objects the URLs are filled with (all of board A unless named _b)."""
    from boards.models import AuthorisedOfficer, Board, QuorumRule, Seat
    from meetings.models import (
        Action,
        AgendaItem,
        Escalation,
        Guest,
        Meeting,
        MinutesJob,
        MinutesVersion,
        Motion,
        Paper,
    )
    from pooled_funds.models import ImportJob, PooledFund, Return

    board = Board.objects.get(name__contains="Partnership Management Group")
    member = User.objects.get(email=ROLE_EMAILS["MEM_A"])
    seat = Seat.objects.filter(board=board, holder=member).first()
    versions = MinutesVersion.objects.filter(meeting__board=board).order_by("-pk")
    version = versions.filter(status="circulated").first() or versions.first()
    meeting = (
        version.meeting if version else Meeting.objects.filter(board=board).first()
    )
    motion = Motion.objects.filter(item__meeting__board=board).order_by("-pk").first()
    fund = PooledFund.objects.first()
    agreement = board.agreement if hasattr(board, "agreement") else None

    def pk(obj):
        return obj.pk if obj is not None else 999999

    return {
        "board": board.pk,
        "seat": pk(seat),
        "quorum_rule": pk(QuorumRule.objects.filter(board=board).first()),
        "partner": pk(board.partners.first()),
        "agreement": pk(agreement),
        "officer": pk(AuthorisedOfficer.objects.filter(agreement=agreement).first()),
        "meeting": pk(meeting),
        "item": pk(AgendaItem.objects.filter(meeting=meeting).first()),
        "paper": pk(Paper.objects.filter(item__meeting__board=board).first()),
        "guest": pk(Guest.objects.filter(meeting__board=board).first()),
        "action": pk(Action.objects.filter(meeting__board=board).first()),
        "motion": pk(motion),
        "escalation": pk(
            Escalation.objects.filter(board=board).first() or Escalation.objects.first()
        ),
        "version": pk(version),
        "job": pk(MinutesJob.objects.first()),
        "person": member.pk,
        "invitation": _invitation(board).pk,
        "fund": pk(fund),
        "return": pk(Return.objects.filter(fund=fund).first()),
        "import": pk(ImportJob.objects.first()),
    }


def _invitation(board):
    """A pending invitation to board A, sent by the administrator: its secretary may
    resend or revoke it (the grant table), nobody else but administrators."""
    from datetime import timedelta

    from django.utils import timezone

    from governance.models import Invitation

    invited = User.objects.create_user(email="invited@demo.example", name="Ivy Invited")
    return Invitation.objects.create(
        person=invited,
        invited_by=User.objects.get(email=ROLE_EMAILS["ADM"]),
        role="member",
        scope_id=board.pk,
        role_label=f"Member: {board.name}",
        token_hash="0" * 64,
        expires_at=timezone.now() + timedelta(days=7),
    )


# The object a URL parameter names, from the path segment before it.
SEGMENT_KEYS = {
    "invitations": "invitation",
    "boards": "board",
    "seats": "seat",
    "quorum-rules": "quorum_rule",
    "partners": "partner",
    "agreements": "agreement",
    "officers": "officer",
    "meetings": "meeting",
    "items": "item",
    "papers": "paper",
    "guests": "guest",
    "actions": "action",
    "motions": "motion",
    "escalations": "escalation",
    "minutes": "version",
    "jobs": "job",
    "people": "person",
    "funds": "fund",
    "returns": "return",
    "fund-returns": "return",
    "imports": "import",
    "board": "board",
}
FIXED = {"action": "start", "direction": "up", "fmt": "csv"}


def concrete(name: str, route: str, ids: dict) -> str:
    """A route such as ``meetings/<int:pk>/attendance/<int:seat_pk>/`` with demo ids."""

    def fill(match):
        param = match.group(2)
        if param in FIXED:
            return FIXED[param]
        if param == "seat_pk":
            return str(ids["seat"])
        if param == "item_id":
            return str(ids["item"])
        if param == "version_id":
            return str(ids["version"])
        if param == "job_id":
            return str(ids["job"])
        before = route[: match.start()].rstrip("/").split("/")
        key = SEGMENT_KEYS.get(before[-1]) if before else None
        if key is None and len(before) > 1:
            key = SEGMENT_KEYS.get(before[-2])
        return str(ids.get(key or "", 999999))

    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    return "/" + path.replace("\\.", ".")


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module (papers stored under a module folder)
    and rolled back at the end; each test runs in a savepoint inside it."""
    from django.conf import settings
    from django.test import override_settings

    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media):
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            yield {"ids": _ids(), "media": settings.MEDIA_ROOT}
            transaction.set_rollback(True)


@pytest.fixture
def demo_ids(_demo, db, settings):
    settings.MEDIA_ROOT = _demo["media"]
    return _demo["ids"]


@pytest.fixture
def users(demo_ids):
    return {role: User.objects.get(email=email) for role, email in ROLE_EMAILS.items()}


def outcome(client, method: str, path: str) -> str:
    """'allowed', 'refused' (403, 404, or sent to sign in), or 'n/a' (405: the
    URL does not answer that method)."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={}, content_type="application/json")
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, path, response.status_code)
    if response.status_code == 405:
        return "n/a"
    if response.status_code in (401, 403, 404):
        return "refused"
    if response.status_code == 302 and "/accounts/login/" in response.get(
        "Location", ""
    ):
        return "refused"
    return "allowed"


def observe(client, users, method, path) -> frozenset | None:
    """The roles allowed; None if the URL does not answer the method at all."""
    allowed, answered = set(), False
    for role, user in users.items():
        client.force_login(user)
        result = outcome(client, method, path)
        # The auditor's writes are refused before routing, so they say nothing
        # about whether the URL takes the method.
        answered |= result != "n/a" and not (role == "AUD" and method != "GET")
        if result == "allowed":
            allowed.add(role)
    client.logout()
    return frozenset(allowed) if answered else None


CHECKED = [
    (name, route, method)
    for name, route in ROUTES
    if name not in PUBLIC
    for method, index in (("GET", 0), ("POST", 1))
    if name in MATRIX and MATRIX[name][index] is not None
]


@pytest.mark.parametrize(
    "name, route, method", CHECKED, ids=[f"{m} {n}" for n, _, m in CHECKED]
)
def test_permission_matrix(client, users, demo_ids, name, route, method):
    """Exactly the roles in the table are allowed; every other role is refused."""
    path = concrete(name, route, demo_ids)
    expected = roles(MATRIX[name][0 if method == "GET" else 1])
    assert observe(client, users, method, path) == expected, (method, path)


def test_every_url_is_in_the_matrix(client, users, demo_ids):
    """A new page or endpoint must have a row: who may see it is a decision.
    With PRINT_MATRIX=1 (and -s) it prints what the product does now, to review;
    PRINT_MATRIX=missing prints only the rows the table lacks."""
    if os.environ.get("PRINT_MATRIX"):
        print_matrix(client, users, demo_ids)
    missing = [name for name, _ in ROUTES if name not in PUBLIC and name not in MATRIX]
    assert not missing, f"add rows to MATRIX for: {missing}"


def print_matrix(client, users, demo_ids):  # pragma: no cover - review aid
    def cell(allowed):
        if allowed is None:
            return "None"
        if allowed == ALL:
            return '"*"'
        if not allowed:
            return '"-"'
        return '"' + " ".join(r for r in ROLES if r in allowed) + '"'

    only_missing = os.environ.get("PRINT_MATRIX") == "missing"
    for name, route in ROUTES:
        if name in PUBLIC or (only_missing and name in MATRIX):
            continue
        path = concrete(name, route, demo_ids)
        get, post = (observe(client, users, m, path) for m in ("GET", "POST"))
        print(f'    "{name}": ({cell(get)}, {cell(post)}),  # {path}')


# --- no escalation: every path by which a role could be given (issue 15) -------------
#
# Each attempt below gives someone a role the grant table (governance.grants) keeps
# for administrators: only ADM may; every other role gets 403 (never 404, never a
# success), on the page and the API alike. The target person is member A; board A
# is the secretary's own board; the fund is the demo's first.

ESCALATIONS = [
    # (what, method, path, body)
    ("api: create an administrator", "post", "/api/v1/people/", "new:administrator"),
    ("api: create an auditor", "post", "/api/v1/people/", "new:auditor"),
    ("api: create a fund manager", "post", "/api/v1/people/", "new:fund_manager"),
    ("api: create a secretary", "post", "/api/v1/people/", "new:secretary"),
    (
        "api: make someone administrator",
        "post",
        "/api/v1/people/{person}/global-role/",
        {"role": "administrator"},
    ),
    (
        "api: make someone auditor",
        "post",
        "/api/v1/people/{person}/global-role/",
        {"role": "auditor"},
    ),
    (
        "api: make someone secretary of a board",
        "post",
        "/api/v1/people/{person}/roles/",
        {"role": "secretary", "target": "{board}"},
    ),
    (
        "api: make someone a fund's manager",
        "post",
        "/api/v1/people/{person}/roles/",
        {"role": "fund_manager", "target": "{fund}"},
    ),
    (
        "api: make someone a fund's finance officer",
        "post",
        "/api/v1/people/{person}/roles/",
        {"role": "finance_officer", "target": "{fund}"},
    ),
    (
        "api: invite an administrator",
        "post",
        "/api/v1/invitations/",
        {"name": "Ivy", "email": "ivy@evil.example", "global_role": "administrator"},
    ),
    (
        "api: add a board secretary",
        "patch",
        "/api/v1/boards/{board}/",
        {"secretaries": ["{person}"]},
    ),
    (
        "page: make someone secretary of a board",
        "form",
        "/people/{person}/roles/give/",
        {"role": "secretary:{board}"},
    ),
    (
        "page: make someone a fund's manager",
        "form",
        "/people/{person}/roles/give/",
        {"role": "fund_manager:{fund}"},
    ),
    (
        "page: make someone administrator",
        "form",
        "/people/{person}/role/",
        {"role": "administrator"},
    ),
]


def _fill(value, ids):
    if isinstance(value, str):
        if value.startswith("new:"):
            role = value.removeprefix("new:")
            return {"name": "Mallory", "email": f"{role}@evil.example", "role": role}
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize(
    "what, method, path, body", ESCALATIONS, ids=[e[0] for e in ESCALATIONS]
)
def test_only_an_administrator_gives_an_administrators_role(
    client, users, demo_ids, what, method, path, body
):
    """ADM may; SEC, members, finance officer, fund manager and auditor get 403."""
    ids = {**demo_ids}
    url = _fill(path, ids)
    data = _fill(body, ids)
    statuses = {}
    for role, user in users.items():
        client.force_login(user)
        with transaction.atomic():
            if method == "form":
                response = client.post(url, data)
            else:
                response = getattr(client, method)(
                    url, data=data, content_type="application/json"
                )
            transaction.set_rollback(True)
        statuses[role] = response.status_code
    client.logout()
    assert statuses["ADM"] in (200, 201, 302), (what, statuses)
    refused = {role: code for role, code in statuses.items() if role != "ADM"}
    assert set(refused.values()) == {403}, (what, refused)
