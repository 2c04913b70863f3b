"""``GET /api/v1/boards/{id}/obligations/`` (issue 18): each duty with its clause,
frequency, next due date, status and evidence; who may read it (403 for a person
with no access to the board, 404 for no such board)."""

import datetime

import pytest
from django.utils import timezone

from governance.models import Role
from planning.models import Obligation, ObligationEvidence
from planning.services import obligations as services
from tests.meetings.builders import pmg
from tests.planning.builders import risk_assessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(board_id: int) -> str:
    return f"/api/v1/boards/{board_id}/obligations/"


def overdue_risk_assessment(built) -> Obligation:
    return risk_assessment(built.board, days=-5)


def test_obligations_list_has_the_fields_the_issue_names(api_as):
    built = pmg()
    duty = overdue_risk_assessment(built)
    response = api_as(built.secretary).get(url(built.board.pk))
    assert response.status_code == 200
    [row] = response.json()
    assert {"id", "title", "source", "frequency", "due", "status", "evidence"} <= set(
        row
    )
    assert row["id"] == duty.pk
    assert row["source"] == "Portsmouth PMG ToR 2.1.5"
    assert row["frequency"] == "annually"
    assert (row["status"], row["due"]) == (
        "overdue",
        (TODAY - datetime.timedelta(days=5)).isoformat(),
    )
    assert row["evidence"] == []


def test_evidence_recorded_shows_and_the_duty_is_up_to_date(api_as):
    built = pmg()
    duty = overdue_risk_assessment(built)
    services.evidence_record(
        obligation=duty,
        kind=ObligationEvidence.Kind.REPORT_SENT,
        done_on=TODAY,
        description="Risk assessment agreed by written procedure.",
        by=built.secretary,
    )
    [row] = api_as(built.secretary).get(url(built.board.pk)).json()
    assert row["status"] == "up_to_date"
    assert row["due"] > TODAY.isoformat()
    assert [(e["done_on"], e["description"]) for e in row["evidence"]] == [
        (TODAY.isoformat(), "Risk assessment agreed by written procedure.")
    ]


def test_a_member_of_the_board_reads_its_obligations(api_as):
    built = pmg()
    overdue_risk_assessment(built)
    member = built.seats[0].holder
    assert api_as(member).get(url(built.board.pk)).status_code == 200


def test_a_person_without_access_to_the_board_is_refused_403(api_as, make_user):
    built = pmg()
    overdue_risk_assessment(built)
    outsider = make_user(role=Role.MEMBER)
    response = api_as(outsider).get(url(built.board.pk))
    assert response.status_code == 403
    assert response.json()  # a reason, not an empty body


def test_no_such_board_is_404(api_as):
    built = pmg()
    assert api_as(built.secretary).get(url(built.board.pk + 999)).status_code == 404


def test_signed_out_is_refused(api):
    built = pmg()
    assert api.get(url(built.board.pk)).status_code in (401, 403)


def test_the_query_count_does_not_grow_with_the_duties(api_as):
    """The register is read in a fixed number of queries (the board, its duties,
    their evidence, the accepted items, terms of reference, held meetings...),
    however many duties and pieces of evidence it has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    built = pmg()
    client = api_as(built.secretary)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(built.board.pk)).status_code == 200
        return len(queries)

    overdue_risk_assessment(built)
    one = count()
    for n in range(4):
        duty = overdue_risk_assessment(built)
        services.evidence_record(
            obligation=duty,
            kind=ObligationEvidence.Kind.RECORD,
            done_on=TODAY - datetime.timedelta(days=n),
            description=f"Record {n}",
            by=built.secretary,
        )
    assert count() == one


# --- the forward plan through the API (the same operations as its page) -----------


def plan_url(board_id: int, accept: bool = False) -> str:
    return f"/api/v1/boards/{board_id}/forward-plan/" + ("accept/" if accept else "")


def coming_duty(built) -> Obligation:
    return risk_assessment(built.board)


def test_the_forward_plan_lists_meetings_with_their_proposals(api_as):
    built = pmg()
    duty = coming_duty(built)
    response = api_as(built.seats[0].holder).get(plan_url(built.board.pk))
    assert response.status_code == 200
    first = response.json()[0]
    assert first["meeting"] == built.meeting.pk
    [proposal] = [p for p in first["proposals"] if p["title"] == duty.title]
    assert proposal["key"] == f"obligation:{duty.pk}:{duty.first_due}"
    assert proposal["source"] == "Portsmouth PMG ToR 2.1.5"
    assert proposal["due"] == duty.first_due.isoformat()


def test_the_secretary_accepts_a_proposal_and_twice_is_409(api_as):
    built = pmg()
    duty = coming_duty(built)
    key = f"obligation:{duty.pk}:{duty.first_due}"
    client = api_as(built.secretary)
    response = client.post(plan_url(built.board.pk, True), {"key": key}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["meeting"], body["title"]) == (built.meeting.pk, duty.title)
    again = client.post(plan_url(built.board.pk, True), {"key": key}, format="json")
    assert again.status_code == 409
    assert again.json()["rule"] == "forward_plan"


def test_a_member_may_not_accept_403_and_no_such_board_is_404(api_as):
    built = pmg()
    duty = coming_duty(built)
    key = f"obligation:{duty.pk}:{duty.first_due}"
    member = api_as(built.seats[0].holder)
    assert (
        member.post(plan_url(built.board.pk, True), {"key": key}, format="json")
    ).status_code == 403
    secretary = api_as(built.secretary)
    missing = secretary.post(
        plan_url(built.board.pk + 999, True), {"key": key}, format="json"
    )
    assert missing.status_code == 404
    bad = secretary.post(plan_url(built.board.pk, True), {}, format="json")
    assert bad.status_code == 400
