"""The obligations register and forward plan pages: who sees them (a member of the
board reads, an outsider gets 403, no such board 404), who may put a proposal on
the agenda or record evidence (the secretary yes, a member 403), the dashboard
panel, and the plan as iCalendar and PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Role
from meetings.models import AgendaItem
from planning.models import Obligation, ObligationEvidence, PlannedItem
from planning.services import obligations as services
from tests.meetings.builders import pmg
from tests.planning.builders import risk_assessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    built = pmg()
    duty = risk_assessment(built.board, days=30)
    built.extra["duty"] = duty
    built.extra["key"] = f"obligation:{duty.pk}:{duty.first_due}"
    built.extra["member"] = built.seats[0].holder
    return built


def as_user(client, user):
    client.force_login(user)
    return client


def test_the_register_shows_each_duty_with_its_clause_and_due_date(client, world):
    response = as_user(client, world.secretary).get(
        reverse("planning:obligations", args=[world.board.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Annual risk assessment" in page
    assert "Portsmouth PMG ToR 2.1.5" in page
    assert "review and agree annually a risk assessment" in page
    assert "Record what discharged it" in page  # the secretary keeps the register


def test_a_member_reads_the_register_and_plan_but_cannot_act(client, world):
    as_user(client, world.extra["member"])
    register = client.get(reverse("planning:obligations", args=[world.board.pk]))
    plan = client.get(reverse("planning:forward_plan", args=[world.board.pk]))
    assert register.status_code == plan.status_code == 200
    assert "Record what discharged it" not in register.content.decode()
    assert "Annual risk assessment" in plan.content.decode()
    assert "Put on the agenda" not in plan.content.decode()


def test_an_outsider_is_refused_403_and_no_such_board_is_404(client, world, make_user):
    as_user(client, make_user(role=Role.MEMBER))
    for name in ("planning:obligations", "planning:forward_plan"):
        assert client.get(reverse(name, args=[world.board.pk])).status_code == 403
    as_user(client, world.secretary)
    missing = world.board.pk + 999
    assert (
        client.get(reverse("planning:forward_plan", args=[missing])).status_code == 404
    )


def test_the_secretary_puts_a_proposal_on_the_agenda_in_one_step(client, world):
    response = as_user(client, world.secretary).post(
        reverse("planning:accept", args=[world.board.pk]),
        {"key": world.extra["key"]},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=world.meeting)
    assert item.title == "Annual risk assessment"
    assert PlannedItem.objects.get().agenda_item == item
    follow = client.get(response["Location"])
    assert "is on the agenda of the meeting" in follow.content.decode()


def test_a_member_may_not_put_a_proposal_on_the_agenda(client, world):
    response = as_user(client, world.extra["member"]).post(
        reverse("planning:accept", args=[world.board.pk]),
        {"key": world.extra["key"]},
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_a_refused_accept_says_why_and_changes_nothing(client, world):
    as_user(client, world.secretary)
    url = reverse("planning:accept", args=[world.board.pk])
    client.post(url, {"key": world.extra["key"]})
    again = client.post(url, {"key": world.extra["key"]}, follow=True)
    assert again.status_code == 200
    assert AgendaItem.objects.count() == 1
    assert list(again.context["messages"])  # the reason, shown to the secretary


def test_evidence_by_the_secretary_and_not_by_a_member(client, world):
    url = reverse("planning:evidence_add", args=[world.extra["duty"].pk])
    data = {
        "kind": ObligationEvidence.Kind.REPORT_SENT,
        "done_on": TODAY.isoformat(),
        "description": "Agreed by written procedure.",
    }
    assert as_user(client, world.extra["member"]).post(url, data).status_code == 403
    assert not ObligationEvidence.objects.exists()
    assert as_user(client, world.secretary).post(url, data).status_code == 302
    assert ObligationEvidence.objects.get().description == data["description"]


def test_the_dashboard_shows_the_boards_duties_with_their_clauses(client, world):
    page = as_user(client, world.secretary).get(reverse("dashboard")).content.decode()
    assert "Annual risk assessment" in page
    assert "Portsmouth PMG ToR 2.1.5" in page


def test_the_plan_as_icalendar_and_pdf(client, world):
    as_user(client, world.extra["member"])
    ics = client.get(reverse("planning:forward_plan_ics", args=[world.board.pk]))
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VCALENDAR" in body and "Annual risk assessment" in body
    pdf = client.get(reverse("planning:forward_plan_pdf", args=[world.board.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_forward_plan_query_count_does_not_grow_with_duties_or_meetings(
    client, world
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.meetings.factories import MeetingFactory

    as_user(client, world.secretary)
    url = reverse("planning:forward_plan", args=[world.board.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for n in range(4):
        services.obligation_create(
            board=world.board,
            title=f"Quarterly report {n}",
            source="Portsmouth PMG ToR 7.1",
            kind=Obligation.Kind.RECEIVE_REPORT,
            frequency="quarterly",
            cycle="fixed",
            first_due=TODAY + datetime.timedelta(days=10 * n),
        )
        MeetingFactory(
            board=world.board,
            starts_at=world.meeting.starts_at + datetime.timedelta(days=30 * (n + 1)),
        )
    assert count() == before
