"""The request each row of the permission matrix makes: the state it needs, built in
the row's own transaction, and a valid body, so a role that may do the thing gets a
success and nothing else (tests/security/test_permission_matrix.py).

A row with no entry here is a GET of its URL filled with the world's ids
(``World.ids``). ``Form(overrides)`` posts the page's own form as a browser would,
with the fields a person would fill in; a dict is a JSON body for the API.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.services.consultations import consultation_require
from tests.governance.factories import UserFactory
from tests.security.matrix_states import (
    a_chaired_meeting,
    a_guest_of_b,
    a_late_paper,
    a_late_paper_of_b,
    a_meeting_to_start,
    approved_minutes,
    carried_motion_of_fund,
    confirmable_minutes,
    draft_minutes,
    draft_minutes_of_b,
    elected_chair_meeting,
    in_progress,
    minutes_to_confirm_at_b,
    open_motion,
    return_csv,
    submitted_return,
    unissued_meeting_of_b,
    unpublished,
)
from tests.security.permission_world import PDF, World, at, held_meeting, lines


@dataclass
class Form:
    """Post the page's form (read from a GET of ``page`` as the administrator, or of
    the URL itself) with these fields changed; ``files`` are uploads."""

    fields: dict = field(default_factory=dict)
    page: str | None = None
    files: dict = field(default_factory=dict)


@dataclass
class Request:
    path: str
    body: dict | Form | None = None


def a_duplicate():
    """A second record of member A, made by mistake (to merge)."""
    return UserFactory(email="mary.member.2@matrix.example", name="Member A")


def _date(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- the rows ----------------------------------------------------------------------

V1 = "/api/v1"


def requests(w: World) -> dict[tuple[str, str], object]:
    """(URL name, method) -> the Request, or a function of the world making it."""
    b, m, s = w.board.pk, w.coming.pk, w.seat.pk
    return {
        # --- API: constitution
        ("api-agreements", "POST"): Request(
            f"{V1}/agreements/",
            {
                "name": "Another agreement",
                "partners": [w.council.pk, w.ccg.pk],
                "host_partner": w.council.pk,
                "starts_on": "2015-04-01",
            },
        ),
        ("api-authorised-officers", "POST"): Request(
            f"{V1}/agreements/{w.agreement.pk}/authorised-officers/",
            {"partner": w.ccg.pk, "name": "Owen Officer", "email": "owen@m.example"},
        ),
        ("api-meeting-chair", "GET"): lambda w: Request(
            f"{V1}/meetings/{a_chaired_meeting(w).pk}/chair/"
        ),
        ("api-meeting-chair-authority", "POST"): lambda w: _chair_authority(
            w, api=True
        ),
        ("meetings:chair_authority", "GET"): lambda w: _chair_authority(w),
        ("meetings:chair_authority", "POST"): lambda w: _chair_authority(w),
        ("meetings:meeting_chair", "POST"): lambda w: Request(
            f"/meetings/{in_progress(w).pk}/chair/", {"seat": w.chair_seat.pk}
        ),
        ("boards:rule_source", "GET"): Request(
            f"/boards/{b}/rules/absent_partner_rule/source/"
        ),
        ("boards:rule_source", "POST"): Request(
            f"/boards/{b}/rules/absent_partner_rule/source/",
            Form({"kind": "terms", "document": "Matrix ToR", "paragraph": "4.4"}),
        ),
        ("api-boards", "POST"): Request(
            f"{V1}/boards/",
            {
                "name": "Another board",
                "partners": [w.council.pk, w.ccg.pk],
                "agreement": w.agreement.pk,
            },
        ),
        ("api-partners", "POST"): Request(
            f"{V1}/partners/", {"name": "Another partner", "kind": "other"}
        ),
        ("api-people", "POST"): Request(
            f"{V1}/people/", {"name": "Pat Person", "email": "pat@m.example"}
        ),
        ("api-invitations", "POST"): Request(
            f"{V1}/invitations/",
            {
                "name": "Nia New",
                "email": "nia.new@matrix.example",
                "role": "member",
                "target": w.chair_seat.pk,
            },
        ),
        ("api-person-global-role", "POST"): Request(
            f"{V1}/people/{w.users['MEM_A'].pk}/global-role/", {"role": "auditor"}
        ),
        ("api-person-merge", "POST"): lambda w: Request(
            f"{V1}/people/{w.users['MEM_A'].pk}/merge/",
            {"duplicate": a_duplicate().pk},
        ),
        ("api-person-roles", "POST"): Request(
            f"{V1}/people/{w.users['MEM_A'].pk}/roles/",
            {"role": "member", "target": w.chair_seat.pk},
        ),
        ("api-person-roles-revoke", "POST"): Request(
            f"{V1}/people/{w.users['MEM_A'].pk}/roles/revoke/",
            {"role": "member", "target": w.seat.pk},
        ),
        ("api-quorum-rules", "POST"): Request(
            f"{V1}/boards/{b}/quorum-rules/",
            {"business_type": "pooled_fund", "min_present": 1},
        ),
        ("api-seats", "POST"): Request(
            f"{V1}/boards/{b}/seats/",
            {"title": "Council adviser", "partner": w.council.pk, "voting": False},
        ),
        # --- API: meetings
        ("api-meetings", "POST"): Request(
            f"{V1}/meetings/",
            {"board": b, "kind": "extraordinary", "starts_at": at(20).isoformat()},
        ),
        ("api-meeting-items", "POST"): Request(
            f"{V1}/meetings/{m}/items/",
            {"title": "Another item", "business_type": "routine"},
        ),
        ("api-meeting-apologies", "POST"): Request(
            f"{V1}/meetings/{m}/apologies/", {"seat": s}
        ),
        ("api-meeting-deputy", "POST"): Request(
            f"{V1}/meetings/{m}/deputy/", {"seat": s}
        ),
        ("api-meeting-cancel", "POST"): Request(f"{V1}/meetings/{m}/cancel/"),
        ("api-meeting-publish", "POST"): lambda w: Request(
            f"{V1}/meetings/{unpublished(w).pk}/publish/"
        ),
        ("api-meeting-start", "POST"): lambda w: Request(
            f"{V1}/meetings/{a_meeting_to_start(w).pk}/start/"
        ),
        ("api-meeting-close", "POST"): lambda w: Request(
            f"{V1}/meetings/{in_progress(w).pk}/close/"
        ),
        ("api-meeting-inquorate", "POST"): lambda w: Request(
            f"{V1}/meetings/{in_progress(w, present=False).pk}/inquorate/"
        ),
        ("api-meeting-chair-election", "POST"): lambda w: Request(
            f"{V1}/meetings/{elected_chair_meeting(w).pk}/chair-election/",
            {"seat": w.chair_seat.pk, "unanimous": True},
        ),
        # --- API: decisions
        ("api-item-positions", "POST"): Request(
            f"{V1}/items/{w.item.pk}/positions/",
            {"partner": w.ccg.pk, "position": "support", "text": "We agree."},
        ),
        ("api-motion-open", "POST"): Request(f"{V1}/motions/{w.motion.pk}/open/"),
        ("api-motion-withdraw", "POST"): Request(
            f"{V1}/motions/{w.motion.pk}/withdraw/", {"reason": "Not ready"}
        ),
        ("api-motion-consult-board", "POST"): Request(
            f"{V1}/motions/{w.motion.pk}/consult-board/", {"board": w.board_b.pk}
        ),
        ("api-motion-consultation", "POST"): lambda w: _consultation(w, api=True),
        ("api-motion-votes", "POST"): lambda w: Request(
            f"{V1}/motions/{open_motion(w).pk}/votes/", {"seat": s, "choice": "for"}
        ),
        ("api-motion-close", "POST"): lambda w: Request(
            f"{V1}/motions/{open_motion(w, voted=True).pk}/close/"
        ),
        ("api-escalation-resolve", "POST"): Request(
            f"{V1}/escalations/{w.escalation.pk}/resolve/",
            {"resolution": "Agreed by the partners", "agreed": True},
        ),
        # --- API: minutes
        ("minutes-versions", "POST"): lambda w: Request(
            f"{V1}/meetings/{held_meeting(w.board, [w.seat], days=-3).pk}/minutes/"
        ),
        ("minutes-approve", "POST"): lambda w: Request(
            f"{V1}/minutes/{draft_minutes_of_b(w).pk}/approve/"
        ),
        ("minutes-circulate", "POST"): lambda w: Request(
            f"{V1}/minutes/{approved_minutes(w).pk}/circulate/"
        ),
        ("minutes-correct", "POST"): Request(
            f"{V1}/minutes/{w.version.pk}/correct/", {"change_note": "Names."}
        ),
        ("minutes-confirm-at-meeting", "POST"): lambda w: Request(
            f"{V1}/items/{minutes_to_confirm_at_b(w).pk}/confirm-minutes/"
        ),
        ("minutes-confirm", "POST"): lambda w: Request(
            f"{V1}/minutes/{confirmable_minutes(w).pk}/confirm/"
        ),
        # --- API: pooled funds
        ("api-fund-returns", "POST"): Request(
            f"{V1}/funds/{w.fund.pk}/returns/",
            {"period": "2015-Q2", "lines": lines(w.fund)},
        ),
        ("api-fund-return-submit", "POST"): Request(
            f"{V1}/fund-returns/{w.ret.pk}/submit/"
        ),
        ("api-fund-return-approve", "POST"): lambda w: Request(
            f"{V1}/fund-returns/{submitted_return(w).pk}/approve/"
        ),
        ("api-fund-return-send-back", "POST"): lambda w: Request(
            f"{V1}/fund-returns/{submitted_return(w).pk}/send-back/",
            {"reason": "Explain the overspend."},
        ),
        ("api-fund-decisions", "POST"): lambda w: Request(
            f"{V1}/funds/{w.fund.pk}/decisions/",
            {
                "kind": "commitment",
                "amount": "5.00",
                "motion": carried_motion_of_fund(w).pk,
            },
        ),
        ("api-funds", "POST"): Request(
            f"{V1}/funds/",
            {
                "name": "Matrix Carers Fund",
                "agreement": w.fund.agreement.pk,
                "host_partner": w.fund.host_partner.pk,
                "financial_year": 2016,
                "frequency": "quarterly",
                "pooled_total": "1000",
            },
        ),
        ("api-fund-schemes", "POST"): Request(
            f"{V1}/funds/{w.fund.pk}/schemes/",
            {
                "reference": "S9",
                "name": "Carers' breaks",
                "lead_partner": w.fund.host_partner.pk,
            },
        ),
        ("api-fund-contributions", "POST"): Request(
            f"{V1}/funds/{w.fund.pk}/contributions/",
            {"partner": w.fund.host_partner.pk, "stream": "additional", "amount": "10"},
        ),
        ("api-fund-metric-actuals", "POST"): Request(
            f"{V1}/funds/{w.fund.pk}/metric-actuals/",
            {
                "period": "2015-Q1",
                "values": [{"metric": w.fund.metrics.get().pk, "actual": "9000"}],
            },
        ),
        # --- pages: constitution
        ("boards:agreement_add", "POST"): Request(
            "/boards/agreements/new/",
            Form(
                {
                    "name": "Another agreement",
                    "partners": [w.council.pk, w.ccg.pk],
                    "host_partner": w.council.pk,
                    "starts_on": "2015-04-01",
                }
            ),
        ),
        ("boards:schedule_add", "POST"): Request(
            f"/boards/agreements/{w.agreement.pk}/schedules/new/",
            Form({"name": "Schedule 3: risk share"}),
        ),
        ("boards:officer_add", "POST"): Request(
            f"/boards/agreements/{w.agreement.pk}/officers/new/",
            Form({"partner": w.ccg.pk, "name": "Owen Officer", "email": "o@m.example"}),
        ),
        ("boards:officer_deactivate", "POST"): Request(
            f"/boards/officers/{w.officer.pk}/deactivate/"
        ),
        ("boards:partner_add", "POST"): Request(
            "/boards/partners/new/", Form({"name": "Another partner", "kind": "other"})
        ),
        ("boards:partner_edit", "POST"): Request(
            f"/boards/partners/{w.council.pk}/edit/", Form({"short_name": "MCC"})
        ),
        ("boards:person_add", "POST"): Request(
            "/boards/people/new/", Form({"name": "Pat Person", "email": "p@m.example"})
        ),
        ("boards:create", "POST"): Request(
            "/boards/new/",
            Form(
                {
                    "name": "Another board",
                    "partners": [w.council.pk, w.ccg.pk],
                    "agreement": w.agreement.pk,
                }
            ),
        ),
        ("boards:edit", "POST"): Request(f"/boards/{b}/edit/", Form({"purpose": "x"})),
        ("publication:board_publication", "POST"): Request(
            f"/publication/boards/{b}/",
            Form({"published": "on", "source": "Local Government Act 1972 Part VA"}),
        ),
        ("boards:seat_add", "POST"): Request(
            f"/boards/{b}/seats/new/",
            Form({"title": "Council adviser", "partner": w.council.pk}),
        ),
        ("boards:seat_edit", "POST"): Request(
            f"/boards/seats/{s}/edit/", Form({"title": "CCG Director of Finance"})
        ),
        ("boards:seat_deactivate", "POST"): Request(f"/boards/seats/{s}/deactivate/"),
        ("boards:seat_notify", "POST"): Request(f"/boards/seats/{s}/notify-deputy/"),
        ("boards:quorum_rule_add", "POST"): Request(
            f"/boards/{b}/quorum-rules/new/",
            Form({"business_type": "pooled_fund", "min_present": 1}),
        ),
        ("boards:quorum_rule_edit", "POST"): Request(
            f"/boards/quorum-rules/{w.quorum_rule.pk}/edit/", Form({"min_present": 2})
        ),
        ("boards:terms_add", "POST"): Request(
            f"/boards/{b}/terms/new/", Form({"version": "v9", "review_due": _date(900)})
        ),
        ("boards:chair_add", "POST"): Request(
            f"/boards/{b}/chairs/new/",
            Form({"seat": w.chair_seat.pk, "starts_on": _date(0)}),
        ),
        # --- pages: meetings
        ("meetings:create", "POST"): Request(
            "/meetings/new/",
            Form({"board": b, "kind": "extraordinary", "date": _date(20)}),
        ),
        ("meetings:edit", "POST"): Request(
            f"/meetings/{m}/edit/", Form({"location": "Civic Offices"})
        ),
        ("meetings:status", "POST"): lambda w: Request(
            f"/meetings/{a_meeting_to_start(w).pk}/status/start/"
        ),
        # A coming meeting (w.coming): a held one refuses to be moved or cancelled.
        ("meetings:edit", "GET"): Request(f"/meetings/{m}/edit/"),
        ("meetings:cancel", "GET"): Request(f"/meetings/{m}/cancel/"),
        ("meetings:cancel", "POST"): Request(
            f"/meetings/{m}/cancel/", Form({"reason": "No business this month."})
        ),
        ("meetings:authorise_start", "POST"): lambda w: Request(
            f"/meetings/{unissued_meeting_of_b(w).pk}/authorise-start/"
        ),
        ("meetings:authorise_late", "POST"): lambda w: Request(
            f"/meetings/{a_late_paper_of_b(w).item.meeting_id}/authorise-late/"
        ),
        ("meetings:item_create", "POST"): Request(
            f"/meetings/{m}/items/new/",
            Form({"title": "Another item", "kind": "information"}),
        ),
        ("meetings:item_edit", "POST"): Request(
            f"/meetings/items/{w.item.pk}/edit/", Form({"presenter": "Sam"})
        ),
        ("meetings:item_move", "POST"): Request(
            f"/meetings/items/{w.item.pk}/move/up/"
        ),
        ("meetings:item_notes", "POST"): Request(
            f"/meetings/items/{w.item.pk}/notes/", {"notes": "Discussed."}
        ),
        ("meetings:paper_upload", "POST"): lambda w: Request(
            f"/meetings/items/{w.item.pk}/papers/new/",
            Form(
                {"title": "Annex"},
                files={"file": SimpleUploadedFile("annex.pdf", PDF, "application/pdf")},
            ),
        ),
        ("meetings:paper_authorise", "POST"): lambda w: Request(
            f"/meetings/papers/{a_late_paper_of_b(w).pk}/authorise/"
        ),
        ("meetings:guest_invite", "POST"): Request(
            f"/meetings/{m}/guests/new/",
            Form({"name": "Visiting officer", "items": [w.item.pk]}),
        ),
        ("meetings:guest_approve", "POST"): lambda w: Request(
            f"/meetings/guests/{a_guest_of_b(w).pk}/approve/"
        ),
        ("meetings:attendance", "POST"): Request(
            f"/meetings/{m}/attendance/{s}/", {"status": "apologies"}
        ),
        ("meetings:apologies", "POST"): Request(f"/meetings/{m}/apologies/{s}/"),
        ("meetings:deputy", "POST"): Request(f"/meetings/{m}/deputy/{s}/"),
        ("meetings:declaration_add", "POST"): Request(
            f"/meetings/items/{w.item.pk}/declarations/",
            {"seat": s, "interest": "A relative works for a provider."},
        ),
        ("meetings:action_add", "POST"): Request(
            f"/meetings/{m}/actions/",
            {"description": "Circulate the plan", "owner_name": "Sam"},
        ),
        ("meetings:action_status", "POST"): Request(
            f"/meetings/actions/{w.action.pk}/status/", {"status": "done"}
        ),
        ("meetings:agenda_pack", "POST"): Request(f"/meetings/{w.held.pk}/pack/"),
        # --- pages: decisions
        ("meetings:decisions-open", "POST"): Request(
            f"/meetings/motions/{w.motion.pk}/open/"
        ),
        ("meetings:decisions-withdraw", "POST"): Request(
            f"/meetings/motions/{w.motion.pk}/withdraw/", {"reason": "Not ready"}
        ),
        ("meetings:decisions-consult-board", "POST"): Request(
            f"/meetings/motions/{w.motion.pk}/consult-board/", {"board": w.board_b.pk}
        ),
        ("meetings:decisions-consultation", "POST"): lambda w: _consultation(w),
        ("meetings:decisions-vote", "POST"): lambda w: Request(
            f"/meetings/motions/{open_motion(w).pk}/vote/",
            {"seat": s, "choice": "for"},
        ),
        ("meetings:decisions-show-of-hands", "POST"): lambda w: Request(
            f"/meetings/motions/{open_motion(w).pk}/show-of-hands/",
            {"seat": s, "choice": "for"},
        ),
        ("meetings:decisions-close", "POST"): lambda w: Request(
            f"/meetings/motions/{open_motion(w, voted=True).pk}/close/"
        ),
        ("meetings:decisions-position", "POST"): Request(
            f"/meetings/items/{w.item.pk}/position/",
            Form({"partner": w.ccg.pk, "position": "support", "text": "We agree."}),
        ),
        ("meetings:decisions-escalation-resolve", "POST"): Request(
            f"/meetings/escalations/{w.escalation.pk}/resolve/",
            {"resolution": "Agreed by the partners", "agreed": "yes"},
        ),
        ("meetings:decisions-chair-election", "POST"): lambda w: Request(
            f"/meetings/{elected_chair_meeting(w).pk}/chair-election/",
            Form({"seat": w.chair_seat.pk, "unanimous": "on"}),
        ),
        # --- pages: minutes
        ("meetings:minutes_export", "GET"): Request(
            f"/meetings/minutes/audit/export/?start={_date(-60)}&end={_date(0)}"
        ),
        ("meetings:minutes_start", "POST"): lambda w: Request(
            f"/meetings/{held_meeting(w.board, [w.seat], days=-3).pk}/minutes/start/"
        ),
        ("meetings:minutes_entry", "POST"): lambda w: _entry(w),
        ("meetings:minutes_summary", "POST"): lambda w: Request(
            f"/meetings/minutes/{draft_minutes(w).pk}/summary/",
            {"summary": "A short meeting."},
        ),
        ("meetings:minutes_approve", "POST"): lambda w: Request(
            f"/meetings/minutes/{draft_minutes_of_b(w).pk}/approve/"
        ),
        ("meetings:minutes_reopen", "POST"): lambda w: Request(
            f"/meetings/minutes/{approved_minutes(w).pk}/reopen/"
        ),
        ("meetings:minutes_circulate", "POST"): lambda w: Request(
            f"/meetings/minutes/{approved_minutes(w).pk}/circulate/"
        ),
        ("meetings:minutes_correct", "POST"): Request(
            f"/meetings/minutes/{w.version.pk}/correct/", {"change_note": "Names."}
        ),
        ("meetings:minutes_confirm_at_meeting", "POST"): lambda w: Request(
            f"/meetings/items/{minutes_to_confirm_at_b(w).pk}/confirm-minutes/"
        ),
        ("meetings:minutes_confirm", "POST"): lambda w: Request(
            f"/meetings/minutes/{confirmable_minutes(w).pk}/confirm/"
        ),
        # --- pages: people
        ("people:edit", "POST"): Request(
            f"/people/{w.users['MEM_A'].pk}/edit/", Form({"job_title": "Director"})
        ),
        ("people:global_role", "POST"): Request(
            f"/people/{w.users['MEM_A'].pk}/role/", {"role": "auditor"}
        ),
        ("people:invite", "POST"): Request(
            "/people/invite/",
            Form(
                {
                    "name": "Nia New",
                    "email": "nia.new@matrix.example",
                    "role": f"member:{w.chair_seat.pk}",
                }
            ),
        ),
        ("people:merge", "POST"): lambda w: Request(
            f"/people/{w.users['MEM_A'].pk}/merge/",
            Form({"duplicate": a_duplicate().pk}),
        ),
        ("people:role_give", "POST"): Request(
            f"/people/{w.users['MEM_A'].pk}/roles/give/",
            {"role": f"member:{w.chair_seat.pk}"},
        ),
        ("people:role_take", "POST"): Request(
            f"/people/{w.users['MEM_A'].pk}/roles/take/",
            {"role": f"member:{w.seat.pk}"},
        ),
        # --- pages: pooled funds
        ("pooled_funds:return_enter", "POST"): Request(
            f"/funds/{w.fund.pk}/returns/enter/?period=2015-Q2", Form()
        ),
        ("pooled_funds:return_upload", "POST"): lambda w: Request(
            f"/funds/{w.fund.pk}/returns/upload/",
            Form({"period": "2015-Q2"}, files={"file": return_csv(w)}),
        ),
        ("pooled_funds:return_submit", "POST"): Request(
            f"/funds/returns/{w.ret.pk}/submit/"
        ),
        ("pooled_funds:return_approve", "POST"): lambda w: Request(
            f"/funds/returns/{submitted_return(w).pk}/approve/"
        ),
        ("pooled_funds:return_send_back", "POST"): lambda w: Request(
            f"/funds/returns/{submitted_return(w).pk}/send-back/",
            {"reason": "Explain the overspend."},
        ),
        ("pooled_funds:decision_record", "POST"): lambda w: Request(
            f"/funds/{w.fund.pk}/decisions/new/",
            Form(
                {
                    "kind": "commitment",
                    "amount": "5",
                    "motion": carried_motion_of_fund(w).pk,
                }
            ),
        ),
        ("pooled_funds:fund_create", "POST"): Request(
            "/funds/new/",
            Form(
                {
                    "name": "Matrix Carers Fund",
                    "agreement": w.fund.agreement.pk,
                    "host_partner": w.fund.host_partner.pk,
                    "financial_year": "2016",
                    "frequency": "quarterly",
                    "due_day": "15",
                    "pooled_total": "1000",
                }
            ),
        ),
        ("pooled_funds:fund_edit", "POST"): Request(
            f"/funds/{w.fund.pk}/edit/", Form({"name": "Matrix pooled fund"})
        ),
        ("pooled_funds:scheme_create", "POST"): Request(
            f"/funds/{w.fund.pk}/schemes/new/",
            Form(
                {
                    "reference": "S9",
                    "name": "Carers' breaks",
                    "lead_partner": w.fund.host_partner.pk,
                    "scheme_type": "nhs",
                    "budget": "0",
                    "order": "9",
                }
            ),
        ),
        ("pooled_funds:scheme_edit", "POST"): Request(
            f"/funds/schemes/{w.scheme.pk}/edit/", Form({"name": "Renamed scheme"})
        ),
        ("pooled_funds:contribution_create", "POST"): Request(
            f"/funds/{w.fund.pk}/contributions/new/",
            Form(
                {
                    "partner": w.fund.host_partner.pk,
                    "stream": "additional",
                    "amount": "10",
                }
            ),
        ),
        ("pooled_funds:contribution_edit", "POST"): Request(
            f"/funds/contributions/{w.contribution.pk}/edit/",
            Form({"conditions": "Reported quarterly."}),
        ),
        ("pooled_funds:metric_actuals", "POST"): Request(
            f"/funds/{w.fund.pk}/metrics/?period=2015-Q1",
            Form({f"metric_{w.fund.metrics.get().pk}": "9000"}),
        ),
        # --- obligations and forward plans, members' records (issue 18)
        ("planning:obligation_add", "POST"): Request(
            f"/planning/boards/{b}/obligations/new/",
            Form(
                {
                    "title": "Annual risk assessment",
                    "source": "Matrix ToR 2.1.5",
                    "kind": "decision",
                    "frequency": "annually",
                    "first_due": _date(60),
                }
            ),
        ),
        ("planning:evidence_add", "POST"): lambda w: Request(
            f"/planning/obligations/{_duty(w).pk}/evidence/",
            {
                "kind": "report_sent",
                "done_on": _date(0),
                "description": "Agreed by written procedure.",
            },
        ),
        ("planning:evidence_add", "GET"): lambda w: Request(
            f"/planning/obligations/{_duty(w).pk}/evidence/"
        ),
        ("meetings:interest_end", "GET"): lambda w: Request(
            f"/meetings/interests/{_interest(w).pk}/end/"
        ),
        ("api-board-forward-plan-accept", "POST"): lambda w: Request(
            f"{V1}/boards/{b}/forward-plan/accept/", {"key": _duty_key(_duty(w))}
        ),
        ("planning:accept", "POST"): lambda w: Request(
            f"/planning/boards/{b}/forward-plan/accept/",
            {"key": _duty_key(_duty(w))},
        ),
        ("meetings:interest_add", "POST"): Request(
            f"/meetings/people/{w.users['MEM_A'].pk}/interests/",
            {
                "category": "financial",
                "organisation": "Acme Care Ltd",
                "description": "Shareholding.",
                "declared_on": _date(0),
            },
        ),
        ("meetings:register_reviewed", "POST"): Request(
            f"/meetings/people/{w.users['MEM_A'].pk}/interests/reviewed/"
        ),
        ("meetings:interest_edit", "GET"): lambda w: Request(
            f"/meetings/interests/{_interest(w).pk}/"
        ),
        ("meetings:interest_edit", "POST"): lambda w: Request(
            f"/meetings/interests/{_interest(w).pk}/",
            {
                "category": "indirect",
                "organisation": "Solent Care Homes Ltd",
                "description": "Spouse was a director until March.",
                "declared_on": _date(-365),
            },
        ),
        ("meetings:interest_end", "POST"): lambda w: Request(
            f"/meetings/interests/{_interest(w).pk}/end/", {"ended_on": _date(0)}
        ),
        ("meetings:declare_from_register", "POST"): lambda w: Request(
            f"/meetings/items/{w.item.pk}/declare-from-register/",
            {"seat": s, "entry": _interest(w).pk},
        ),
        ("meetings:tracker_status", "POST"): Request(
            f"/meetings/actions/{w.action.pk}/tracker-status/",
            {"status": "done", "back": "tracker"},
        ),
    }


def _chair_authority(w: World, *, api=False) -> Request:
    """The chair's written authority for a late paper, with the e-mail attached."""
    paper = a_late_paper(w)
    evidence = SimpleUploadedFile("chair.eml", b"From: the chair\n\nAgreed.")
    if api:
        return Request(
            f"{V1}/meetings/{paper.item.meeting_id}/chair-authority/",
            {
                "act": "late_paper",
                "target": paper.pk,
                "chair_name": "Carol Chair",
                "evidence": evidence,
            },
        )
    return Request(
        f"/meetings/{paper.item.meeting_id}/chair-authority/late_paper/?id={paper.pk}",
        Form({"chair_name": "Carol Chair"}, files={"evidence": evidence}),
    )


def _consultation(w: World, *, api=False) -> Request:
    consultation_require(motion=w.motion, board=w.board_b, by=w.users["SEC"])
    if api:
        return Request(
            f"{V1}/motions/{w.motion.pk}/consultation/", {"note": "IE agreed."}
        )
    return Request(
        f"/meetings/motions/{w.motion.pk}/consultation/", {"note": "IE agreed."}
    )


def _entry(w: World) -> Request:
    version = draft_minutes(w)
    item = version.meeting.items.get()
    return Request(
        f"/meetings/minutes/{version.pk}/items/{item.pk}/", {"text": "Agreed."}
    )


def _duty(w: World):
    """A duty of board A falling due before its coming meeting."""
    from planning.services.obligations import obligation_create

    return obligation_create(
        board=w.board,
        title="Annual risk assessment",
        source="Matrix ToR 2.1.5",
        kind="decision",
        frequency="annually",
        first_due=timezone.localdate() + datetime.timedelta(days=45),
        first_due_source="local practice (test)",
    )


def _duty_key(duty) -> str:
    return f"obligation:{duty.pk}:{duty.first_due}"


def _interest(w: World):
    """Member A's registered interest, current since a year ago."""
    from meetings.services.interests import interest_register

    return interest_register(
        person=w.users["MEM_A"],
        category="indirect",
        organisation="Solent Care Homes Ltd",
        description="Spouse is a director.",
        declared_on=timezone.localdate() - datetime.timedelta(days=365),
        by=w.users["MEM_A"],
    )
