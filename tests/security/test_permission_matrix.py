"""The permission matrix (OWASP ASVS 5.0 V8; SPEC s.7 "permissions are per board and
per fund"; issue 8): each role x each named page and API endpoint of the product x
who may and who may not, as one table.

The roles act in a world of their own (tests/security/permission_world.py): board A,
where the secretary serves and member A holds a voting seat; board B, the fund's
board, where the secretary also serves and member B holds the chair (and member A
nothing); the fund with its finance officer and manager. Each row makes one request
(tests/security/matrix_requests.py): it builds the state the request needs (a motion
open for votes, a return submitted, minutes approved...) and sends a valid body, and
every role sends the same request on the same state, each in a transaction rolled
back afterwards. Each answer is read as one of:

    ok      2xx, or a redirect (not to sign in), with no form error and no error
            message: the role did the thing
    403     refused
    404     not found
    400     bad input: 400, or a page showing its form again with errors
    409     a rule refused: 409, or a page's error message
    login   401 or a redirect to sign in

A cell lists the roles that must get ``ok``; every other role must get 403, unless
the cell names another answer for it (``"ADM SEC; 400: FIN"``: the finance officer
is refused by a form that does not offer the board). So each row proves both who
may and who may not, and a row whose state or body is wrong fails instead of
passing. ``"*"`` is everyone, ``"-"`` nobody.

A URL missing from the table fails the completeness test, so a new page cannot ship
without someone deciding who may use it. Run with ``PRINT_MATRIX=1`` and ``-s`` to
print what the product answers now, to review a new row.
"""

import os
import re
from dataclasses import dataclass

import pytest
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from governance.models import Role
from tests.governance.factories import UserFactory
from tests.html_forms import page_form
from tests.pooled_funds.factories import PooledFundFactory
from tests.security.matrix_requests import Form, Request, requests
from tests.security.permission_world import ROLES, build_world

ALL = frozenset(ROLES)


@dataclass(frozen=True)
class Cell:
    allowed: frozenset
    others: dict  # role -> the answer it gets instead of 403

    def expected(self) -> dict[str, str]:
        return {
            role: "ok" if role in self.allowed else self.others.get(role, "403")
            for role in ROLES
        }


def cell(spec: str) -> Cell:
    """``"ADM SEC; 400: FIN MGR; 409: MEM_A"``, ``"*"`` (everyone), ``"-"`` (nobody)."""
    allowed, *rest = (part.strip() for part in spec.split(";"))
    roles = (
        ALL if allowed == "*" else frozenset() if allowed == "-" else allowed.split()
    )
    others = {}
    for part in rest:
        answer, names = part.split(":")
        others |= dict.fromkeys(names.split(), answer.strip())
    return Cell(frozenset(roles), others)


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
    "api-fund-contributions": ("ADM SEC MEM_B FIN MGR AUD", "ADM FIN MGR"),
    "api-fund-contribution": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-scheme": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-decisions": ("ADM SEC MEM_B FIN MGR AUD", "ADM SEC MGR"),
    "api-fund-metric-actuals": ("ADM SEC MEM_B FIN MGR AUD", "ADM FIN"),
    "api-fund-return": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-return-approve": (None, "ADM MGR"),
    "api-fund-return-send-back": (None, "ADM MGR"),
    "api-fund-return-submit": (None, "ADM FIN"),
    "api-fund-returns": ("ADM SEC MEM_B FIN MGR AUD", "ADM FIN"),
    "api-fund-risk-share": ("ADM SEC MEM_B FIN MGR AUD", None),
    "api-fund-schemes": ("ADM SEC MEM_B FIN MGR AUD", "ADM FIN MGR"),
    "api-funds": ("*", "ADM MGR"),
    "api-invitation-resend": (None, "ADM SEC"),
    "api-invitation-revoke": (None, "ADM SEC"),
    "api-invitations": ("ADM SEC MGR AUD", "ADM SEC"),
    "api-person-deactivate": (None, "ADM"),
    "api-person-global-role": (None, "ADM"),
    "api-person-merge": (None, "ADM"),
    "api-person-reactivate": (None, "ADM"),
    "api-person-roles": ("ADM SEC MGR AUD", "ADM SEC"),
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
    "api-meeting-chair": (
        "ADM SEC MEM_A AUD",
        None,
    ),  # PUT: tests/meetings/test_chairing
    "api-meeting-chair-authority": (None, "ADM SEC"),
    "api-board-sources": ("ADM SEC MEM_A AUD", None),
    "api-meeting-items": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "api-meeting-quorum": ("ADM SEC MEM_A AUD", None),
    "api-meetings": ("*", "ADM SEC MEM_A"),
    "api-motion": ("ADM SEC MEM_A AUD", None),
    "api-motion-close": (None, "ADM SEC"),
    "api-motion-consultation": (None, "ADM SEC"),
    "api-motion-consult-board": (None, "ADM SEC"),
    "api-motion-open": (None, "ADM SEC"),
    "api-motion-votes": ("ADM SEC MEM_A AUD", "ADM SEC MEM_A"),
    "api-motion-withdraw": (None, "ADM SEC"),
    "api-partner": ("*", None),
    "api-partners": ("*", "ADM"),
    "api-people": ("ADM SEC MGR AUD", "ADM SEC"),
    "api-person": ("ADM SEC MGR AUD", None),
    "api-quorum-rule": ("ADM SEC MEM_A AUD", None),
    "api-quorum-rules": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "api-seat": ("ADM SEC MEM_A AUD", None),
    "api-seats": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "audit:history": ("ADM AUD", None),
    "boards:agreement": ("ADM SEC AUD", None),
    "boards:agreement_add": ("ADM", "ADM"),
    "boards:agreements": ("*", None),
    "boards:rule_source": ("ADM SEC", "ADM SEC"),
    "boards:chair_add": ("ADM SEC", "ADM SEC"),
    "boards:create": ("ADM SEC", "ADM SEC"),
    "boards:detail": ("ADM SEC MEM_A AUD", None),
    "boards:edit": ("ADM SEC", "ADM SEC"),
    "boards:list": ("*", None),
    "boards:officer_add": ("ADM", "ADM"),
    "boards:officer_deactivate": (None, "ADM"),
    "boards:partner_add": ("ADM", "ADM"),
    "boards:partner_edit": ("ADM", "ADM"),
    "boards:partners": ("ADM SEC MGR AUD", None),
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
    "meetings:action_status": (None, "ADM SEC"),
    "meetings:agenda_pack": (None, "ADM SEC MEM_A"),
    "meetings:apologies": (None, "MEM_A"),
    "meetings:attendance": (None, "ADM SEC"),
    "meetings:authorise_late": (None, "MEM_B; 409: ADM"),  # chair of board B
    "meetings:authorise_start": (None, "MEM_B; 409: ADM"),  # chair of board B
    "meetings:cancel": ("ADM SEC", "ADM SEC"),
    "meetings:calendar": ("*", None),
    # Only boards the person may schedule for are offered: others meet a form error.
    "meetings:create": ("*", "ADM SEC MEM_A; 400: MEM_B FIN MGR"),
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
    "meetings:decisions-show-of-hands": (None, "ADM SEC"),
    "meetings:decisions-vote": ("ADM SEC MEM_A AUD", "ADM SEC MEM_A"),
    "meetings:decisions-withdraw": (None, "ADM SEC"),
    "meetings:declaration_add": (None, "ADM SEC"),
    "meetings:deputy": (None, "MEM_A"),
    "meetings:detail": ("ADM SEC MEM_A AUD", None),
    "meetings:edit": ("ADM SEC", "ADM SEC"),
    "meetings:guest_approve": (None, "MEM_B; 409: ADM"),  # chair of board B
    "meetings:meeting_chair": (None, "ADM SEC"),
    "meetings:chair_authority": ("ADM SEC", "ADM SEC"),
    "meetings:guest_invite": ("ADM SEC", "ADM SEC"),
    "meetings:ical_board": ("ADM SEC MEM_A AUD", None),
    "meetings:ical_meeting": ("ADM SEC MEM_A AUD", None),
    "meetings:item_create": ("ADM SEC", "ADM SEC"),
    "meetings:item_edit": ("ADM SEC", "ADM SEC"),
    "meetings:item_move": (None, "ADM SEC"),
    "meetings:item_notes": (None, "ADM SEC"),
    "meetings:list": ("*", None),
    "meetings:minutes": ("ADM SEC MEM_A AUD", None),
    "meetings:minutes_approve": (None, "MEM_B; 409: ADM SEC"),  # chair of B
    "meetings:minutes_audit": ("ADM AUD", None),
    "meetings:minutes_circulate": (None, "ADM SEC"),
    # Never directly: at the next meeting, under its item "Minutes of the previous
    # meeting" (issue 13); whoever may manage minutes is told so (409).
    "meetings:minutes_confirm": (None, "-; 409: ADM SEC"),
    "meetings:minutes_confirm_at_meeting": (None, "MEM_B; 409: ADM SEC"),  # chair of B
    "meetings:minutes_correct": (None, "ADM SEC"),
    "meetings:minutes_deadlines": ("*", None),
    "meetings:minutes_entry": (None, "ADM SEC"),
    "meetings:minutes_export": ("ADM AUD", None),
    "meetings:minutes_job": ("ADM SEC AUD", None),  # the requester, auditors
    "meetings:minutes_job_download": ("ADM SEC AUD", None),
    "meetings:minutes_pdf": ("ADM SEC MEM_A AUD", None),
    # Where a circulation stands (its PDFs being prepared): whoever reads them.
    "meetings:minutes_circulation": ("ADM SEC MEM_A AUD", None),
    "meetings:minutes_record_pdf": ("ADM SEC MEM_A AUD", None),
    "meetings:minutes_reopen": (None, "ADM SEC"),
    "meetings:minutes_start": (None, "ADM SEC"),
    "meetings:minutes_summary": (None, "ADM SEC"),
    "meetings:paper": ("ADM SEC MEM_A AUD", None),
    "meetings:paper_authorise": (None, "MEM_B; 409: ADM"),  # chair of board B
    "meetings:paper_upload": ("ADM SEC", "ADM SEC"),
    "meetings:quorum": ("ADM SEC MEM_A AUD", None),
    "meetings:run": ("ADM SEC", None),
    "meetings:status": (None, "ADM SEC"),
    "minutes-approve": (None, "MEM_B; 409: ADM SEC"),  # chair of board B
    "minutes-circulate": (None, "ADM SEC"),
    "minutes-confirm": (None, "-; 409: ADM SEC"),
    "minutes-confirm-at-meeting": (None, "MEM_B; 409: ADM SEC"),  # chair of board B
    "minutes-correct": (None, "ADM SEC"),
    "minutes-pdf": ("ADM SEC MEM_A AUD", None),
    "minutes-versions": ("ADM SEC MEM_A AUD", "ADM SEC"),
    "people:deactivate": (None, "ADM"),
    "people:detail": ("ADM SEC MGR AUD", None),
    "people:edit": ("ADM", "ADM"),
    "people:global_role": (None, "ADM"),
    "people:invitation_resend": (None, "ADM SEC"),
    "people:invitation_revoke": (None, "ADM SEC"),
    "people:invite": ("ADM SEC", "ADM SEC"),
    "people:list": ("ADM SEC MGR AUD", None),
    "people:merge": ("ADM", "ADM"),
    "people:reactivate": (None, "ADM"),
    "people:role_give": (None, "ADM SEC"),
    "people:role_take": (None, "ADM SEC"),
    "pooled_funds:contribution_create": ("ADM FIN MGR", "ADM FIN MGR"),
    "pooled_funds:contribution_edit": ("ADM FIN MGR", "ADM FIN MGR"),
    "pooled_funds:decision_record": ("ADM SEC MGR", "ADM SEC MGR"),
    "pooled_funds:fund_create": ("ADM MGR", "ADM MGR"),
    "pooled_funds:fund_edit": ("ADM MGR", "ADM MGR"),
    "pooled_funds:detail": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:import_job": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:list": ("*", None),
    "pooled_funds:metric_actuals": ("ADM FIN", "ADM FIN"),
    "pooled_funds:return": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_approve": (None, "ADM MGR"),
    "pooled_funds:return_bcf_csv": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_bcf_xlsx": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_enter": ("ADM FIN", "ADM FIN"),
    "pooled_funds:return_report": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_send_back": (None, "ADM MGR"),
    "pooled_funds:return_submit": (None, "ADM FIN"),
    "pooled_funds:return_template": ("ADM SEC MEM_B FIN MGR AUD", None),
    "pooled_funds:return_upload": ("ADM FIN", "ADM FIN"),
    "pooled_funds:scheme_create": ("ADM FIN MGR", "ADM FIN MGR"),
    "pooled_funds:scheme_edit": ("ADM FIN MGR", "ADM FIN MGR"),
    "publication:board_publication": ("ADM SEC", "ADM SEC"),
    # Obligations, forward plans and members' records (issue 18). A register of
    # interests is kept by its person, their boards' secretaries and administrators.
    "api-board-obligations": ("ADM SEC MEM_A AUD", None),
    "api-board-forward-plan": ("ADM SEC MEM_A AUD", None),
    "api-board-forward-plan-accept": (None, "ADM SEC"),
    "meetings:action_tracker": ("ADM SEC MEM_A AUD", None),
    "meetings:board_attendance": ("ADM SEC MEM_A AUD", None),
    "meetings:declare_from_register": (None, "ADM SEC MEM_A"),
    "meetings:interest_add": (None, "ADM SEC MEM_A"),
    "meetings:interest_edit": ("ADM SEC MEM_A", "ADM SEC MEM_A"),
    "meetings:interest_end": (None, "ADM SEC MEM_A"),
    "meetings:my_records": ("*", None),
    "meetings:person_records": ("ADM SEC MEM_A AUD", None),
    "meetings:register_reviewed": (None, "ADM SEC MEM_A"),
    "meetings:tracker_status": (None, "ADM SEC"),
    "planning:accept": (None, "ADM SEC"),
    "planning:evidence_add": (None, "ADM SEC"),
    "planning:forward_plan": ("ADM SEC MEM_A AUD", None),
    "planning:forward_plan_ics": ("ADM SEC MEM_A AUD", None),
    "planning:forward_plan_pdf": ("ADM SEC MEM_A AUD", None),
    "planning:index": ("*", None),
    "planning:obligation_add": ("ADM SEC", "ADM SEC"),
    "planning:obligations": ("ADM SEC MEM_A AUD", None),
}

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
    "readyz",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery_codes",
    "invitation_accept",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "api-schema",
    "meetings:ical_person",
    # The public record (issue 19): open to everyone, signed in or not; what each
    # shows is walked with real ids by tests/publication/test_leaks.py, which fails
    # when a /public/ or /api/v1/public/ route is added without a place in the walk.
    "public:index",
    "public:search",
    "public:feed",
    "public:board",
    "public:board_decisions",
    "public:board_decisions_csv",
    "public:board_feed",
    "public:board_ics",
    "public:follow",
    "public:meeting",
    "public:minutes",
    "public:item",
    "public:decision",
    "public:paper",
    "public:subscription_confirm",
    "public:subscription_end",
    "api-public-boards",
    "api-public-board",
    "api-public-meeting",
    "api-public-item",
    "api-public-decisions",
    "api-public-decision",
    "api-public-search",
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, prefix + str(entry.pattern)


ROUTES = sorted({name: route for name, route in _walk(get_resolver())}.items())


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
    "schemes": "scheme",
    "fund-schemes": "scheme",
    "contributions": "contribution",
    "fund-contributions": "contribution",
    "board": "board",
}
PARAMS = {
    "seat_pk": "seat",
    "item_id": "item",
    "version_id": "version",
    "job_id": "job",
}
FIXED = {"action": "start", "direction": "up", "fmt": "csv"}


def concrete(route: str, ids: dict) -> str:
    """A route such as ``meetings/<int:pk>/attendance/<int:seat_pk>/`` with the
    world's ids; a parameter naming nothing known fails (no made-up ids)."""

    def fill(match):
        param = match.group(2)
        if param in FIXED:
            return FIXED[param]
        if param in PARAMS:
            return str(ids[PARAMS[param]])
        before = route[: match.start()].rstrip("/").split("/")
        key = SEGMENT_KEYS.get(before[-1])
        if key is None and len(before) > 1:
            key = SEGMENT_KEYS.get(before[-2])
        assert key in ids, f"no object for <{param}> in {route}"
        return str(ids[key])

    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    return "/" + path.replace("\\.", ".")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module (papers stored under a module folder) and
    rolled back at the end; each test runs in a savepoint inside it."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("matrix-media")
    with override_settings(MEDIA_ROOT=media, OTP_REQUIRED=False):
        with django_db_blocker.unblock(), transaction.atomic():
            yield {"world": build_world(), "media": media}
            transaction.set_rollback(True)


@pytest.fixture
def w(world, db, settings):
    settings.MEDIA_ROOT = world["media"]
    settings.OTP_REQUIRED = False
    # Each role's request is rolled back, its session row with it: a session kept
    # in the cache too (cached_db on Redis) would outlive the row and fail to save.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    return world["world"]


def answer(response) -> str:
    """What the response says, in the table's words."""
    status = response.status_code
    if status == 401 or (
        status == 302 and "/accounts/login/" in response.get("Location", "")
    ):
        return "login"
    if status in (400, 403, 404, 405, 409):
        return str(status)
    assert status < 500, (status, response.content[:500])
    form = (response.context or {}).get("form") if status == 200 else None
    if form is not None and getattr(form, "errors", None):
        return "400"
    errors = [
        m.message
        for m in get_messages(response.wsgi_request)
        if m.level >= constants.ERROR
    ]
    return "409" if errors else "ok"


def detail(response) -> str:
    """Why, for the failure message: the body's rule, the form's errors or the
    page's error message."""
    if response.get("Content-Type", "").startswith("application/json"):
        return response.content.decode()[:300]
    form = (response.context or {}).get("form") if response.context else None
    if form is not None and getattr(form, "errors", None):
        return str(form.errors.get_json_data())[:300]
    messages = [m.message for m in get_messages(response.wsgi_request)]
    return "; ".join(messages)[:300] or str(response.status_code)


def send(client, request: Request, method: str, body):
    if method == "GET":
        return client.get(request.path)
    if body is None:
        return client.post(request.path)
    uploads = isinstance(body, dict) and any(hasattr(v, "read") for v in body.values())
    if request.path.startswith("/api/") and not uploads:
        return client.post(request.path, body, content_type="application/json")
    return client.post(request.path, body)


def form_body(client, request: Request, w) -> dict:
    """The page's form as a browser sends it, read as the administrator (who may
    open every form page), with the row's fields filled in."""
    client.force_login(w.users["ADM"])
    page = client.get(request.body.page or request.path)
    assert page.status_code == 200, (request.path, page.status_code)
    path = request.path.split("?")[0]
    data = page_form(page.content.decode(), path) | {
        name: value if isinstance(value, list) else [value]
        for name, value in request.body.fields.items()
    }
    return data | request.body.files


def observe(client, w, name: str, route: str, method: str) -> dict[str, tuple]:
    """Each role's answer (and why) to the row's request, each on the same state."""
    made = requests(w).get((name, method))
    seen, same_form = {}, None
    for role in ROLES:
        with transaction.atomic():
            request = made(w) if callable(made) else made
            if request is None:
                request = Request(concrete(route, w.ids()))
            body = request.body
            if isinstance(body, Form) and (callable(made) or body.files):
                body = form_body(client, request, w)  # state (or uploads) per role
            elif isinstance(body, Form):
                same_form = same_form or form_body(client, request, w)
                body = same_form
            client.force_login(w.users[role])
            client.cookies.pop("messages", None)  # none left from another role
            response = send(client, request, method, body)
            seen[role] = (answer(response), detail(response), request.path)
            transaction.set_rollback(True)
    client.logout()
    return seen


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
def test_permission_matrix(client, w, name, route, method):
    """Exactly the roles in the table succeed; every other role gets the refusal
    the table names (403 unless it says otherwise)."""
    expected = cell(MATRIX[name][0 if method == "GET" else 1]).expected()
    seen = observe(client, w, name, route, method)
    wrong = {
        role: f"expected {expected[role]}, got {got} ({why}) at {path}"
        for role, (got, why, path) in seen.items()
        if got != expected[role]
    }
    assert not wrong, "\n".join(f"{role}: {text}" for role, text in wrong.items())


def test_every_url_is_in_the_matrix(client, w):
    """A new page or endpoint must have a row: who may use it is a decision.
    With PRINT_MATRIX=1 (and -s) it prints what the product does now, to review
    (see print_matrix)."""
    if os.environ.get("PRINT_MATRIX"):
        print_matrix(client, w)
    missing = [name for name, _ in ROUTES if name not in PUBLIC and name not in MATRIX]
    assert not missing, f"add rows to MATRIX for: {missing}"


# Kept only to refuse with the reason and where to go instead (issue 13: minutes
# are confirmed at the next meeting, under its item "Minutes of the previous
# meeting"): nobody passes; who may manage minutes gets the 409, the others 403.
REFUSAL_ONLY = {"meetings:minutes_confirm", "minutes-confirm"}


def test_every_row_names_who_may():
    """No row says "nobody": a row that nobody passes proves nothing about who may
    (except an endpoint kept only to refuse, whose row still proves who is told
    why)."""
    empty = [
        f"{method} {name}"
        for name, cells in MATRIX.items()
        for method, spec in zip(("GET", "POST"), cells, strict=True)
        if spec is not None and not cell(spec).allowed and name not in REFUSAL_ONLY
    ]
    assert not empty, empty


def test_a_cell_reads_as_who_may_and_how_the_others_are_refused():
    """The cell notation: allowed roles, then answers other than 403 by role."""
    assert cell("ADM SEC; 400: FIN MGR").expected() == {
        "ADM": "ok",
        "SEC": "ok",
        "MEM_A": "403",
        "MEM_B": "403",
        "FIN": "400",
        "MGR": "400",
        "AUD": "403",
    }
    assert set(cell("*").expected().values()) == {"ok"}
    assert set(cell("-").expected().values()) == {"403"}


def print_matrix(client, w):  # pragma: no cover - review aid
    """PRINT_MATRIX=1: every row; =missing: rows the table lacks; anything else: a
    regular expression the rows' names must match."""
    which = os.environ.get("PRINT_MATRIX")
    for name, route in ROUTES:
        if name in PUBLIC or (which == "missing" and name in MATRIX):
            continue
        if which not in ("1", "missing") and not re.search(which, name):
            continue
        cells = []
        for method in ("GET", "POST"):
            seen = observe(client, w, name, route, method)
            answers = {role: got for role, (got, _, _) in seen.items()}
            if set(answers.values()) <= {"405"} | (
                {"403"} if method == "POST" else set()
            ):
                cells.append("None")
                continue
            ok = " ".join(r for r in ROLES if answers[r] == "ok") or "-"
            others = {}
            for role in ROLES:
                if answers[role] not in ("ok", "403"):
                    others.setdefault(answers[role], []).append(role)
            spec = "; ".join([ok] + [f"{a}: {' '.join(r)}" for a, r in others.items()])
            cells.append(f'"{spec}"')
            for role, (got, why, path) in seen.items():
                if got not in ("ok", "403"):
                    print(f"    # {method} {role} {got}: {why} ({path})")
        print(f'    "{name}": ({cells[0]}, {cells[1]}),')


# --- no escalation: every path by which a role could be given (issue 15) -------------
#
# Each attempt below gives someone a role the grant table (governance.grants) keeps
# for administrators: only ADM may; every other role gets 403 (never 404, never a
# success), on the page and the API alike. The target person is member A; board A
# is the secretary's own board; the fund is the world's.

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
    (
        "page: invite an administrator (to a seat the secretary may fill)",
        "form",
        "/people/invite/",
        {
            "name": "Ivy",
            "email": "ivy@evil.example",
            "role": "member:{vacant_seat}",
            "global_role": "administrator",
        },
    ),
    (
        "api: hand the fund to another manager",
        "patch",
        "/api/v1/funds/{fund}/",
        {"manager": "{administrator}"},
    ),
    (
        "api: create a fund naming someone else its manager",
        "post",
        "/api/v1/funds/",
        {
            "name": "Escalation Fund",
            "agreement": "{fund_agreement}",
            "host_partner": "{fund_host}",
            "manager": "{administrator}",
            "financial_year": 2016,
            "frequency": "quarterly",
            "pooled_total": "1000.00",
        },
    ),
]

# Roles the grant table lets someone besides administrators give: here the fund's
# manager gives (and takes away) its finance officers (``governance.grants``), and
# nobody else does. That the manager may do it only for their own fund is
# test_a_fund_manager_gives_finance_officers_only_for_their_own_fund.
DELEGATED = [
    # (what, method, path, body, who besides ADM may)
    (
        "api: make someone a fund's finance officer",
        "post",
        "/api/v1/people/{person}/roles/",
        {"role": "finance_officer", "target": "{fund}"},
        {"MGR"},
    ),
    (
        "api: take a fund's finance officer away",
        "post",
        "/api/v1/people/{fin}/roles/revoke/",
        {"role": "finance_officer", "target": "{fund}"},
        {"MGR"},
    ),
    (
        "page: make someone a fund's finance officer",
        "form",
        "/people/{person}/roles/give/",
        {"role": "finance_officer:{fund}"},
        {"MGR"},
    ),
    (
        "api: name the fund's finance officers",
        "patch",
        "/api/v1/funds/{fund}/",
        {"finance_officers": ["{person}"]},
        {"MGR"},
    ),
    (
        "api: make someone a seat's member",
        "post",
        "/api/v1/people/{person}/roles/",
        {"role": "member", "target": "{vacant_seat}"},
        {"SEC"},
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


def _attempt(client, w, method, path, body, effect=None) -> dict[str, tuple]:
    """Each role in turn sends the request, in a transaction rolled back after it:
    (status, whether ``effect(w)`` holds just after) by role."""
    ids = w.ids()
    url, data = _fill(path, ids), _fill(body, ids)
    seen = {}
    for role, user in w.users.items():
        client.force_login(user)
        with transaction.atomic():
            if method == "form":
                response = client.post(url, data)
            else:
                response = getattr(client, method)(
                    url, data=data, content_type="application/json"
                )
            done = effect(w) if effect else None
            transaction.set_rollback(True)
        seen[role] = (response.status_code, done)
    client.logout()
    return seen


@pytest.mark.parametrize(
    "what, method, path, body", ESCALATIONS, ids=[e[0] for e in ESCALATIONS]
)
def test_only_an_administrator_gives_an_administrators_role(
    client, w, what, method, path, body
):
    """ADM may; SEC, members, finance officer, fund manager and auditor get 403."""
    statuses = {
        role: code
        for role, (code, _) in _attempt(client, w, method, path, body).items()
    }
    assert statuses["ADM"] in (200, 201, 302), (what, statuses)
    refused = {role: code for role, code in statuses.items() if role != "ADM"}
    assert set(refused.values()) == {403}, (what, refused)


def _is_finance_officer(key):
    return lambda w: w.fund.finance_officers.filter(pk=w.ids()[key]).exists()


DELEGATED_EFFECTS = {
    "api: make someone a fund's finance officer": _is_finance_officer("person"),
    "api: take a fund's finance officer away": lambda w: (
        not _is_finance_officer("fin")(w)
    ),
    "page: make someone a fund's finance officer": _is_finance_officer("person"),
    "api: name the fund's finance officers": _is_finance_officer("person"),
    "api: make someone a seat's member": lambda w: (
        type(w.chair_seat)
        .objects.filter(pk=w.chair_seat.pk, holder=w.users["MEM_A"])
        .exists()
    ),
}


@pytest.mark.parametrize(
    "what, method, path, body, also", DELEGATED, ids=[e[0] for e in DELEGATED]
)
def test_a_delegated_role_is_given_by_its_holder_and_nobody_else(
    client, w, what, method, path, body, also
):
    """ADM and the row's holder (the fund's manager, the board's secretary) succeed
    and the role is given or taken; every other role gets 403 and nothing changes."""
    seen = _attempt(client, w, method, path, body, DELEGATED_EFFECTS[what])
    allowed = {"ADM"} | also
    for role, (code, done) in seen.items():
        if role in allowed:
            assert code in (200, 201, 302) and done, (what, role, seen)
        else:
            assert code == 403 and not done, (what, role, seen)


def test_a_fund_manager_gives_finance_officers_only_for_their_own_fund(client, w):
    """The manager of another fund may find people (they manage a fund) but the
    grant table refuses them this fund's finance officer, on the API and the page:
    403, and nothing given."""
    other = PooledFundFactory(manager=UserFactory(role=Role.FUND_MANAGER)).manager
    person = w.users["MEM_A"]
    client.force_login(other)
    response = client.post(
        f"/api/v1/people/{person.pk}/roles/",
        {"role": "finance_officer", "target": w.fund.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client.post(
        f"/people/{person.pk}/roles/give/", {"role": f"finance_officer:{w.fund.pk}"}
    )
    assert response.status_code == 403
    assert not w.fund.finance_officers.filter(pk=person.pk).exists()
