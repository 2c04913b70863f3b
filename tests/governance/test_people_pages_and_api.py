"""The people pages and API (issue 15): find by name or e-mail, duplicates, the person
page, and no path, page or API, by which a board secretary escalates anyone's role
(403, the grant table's reason)."""

import pytest
from django.urls import reverse

from boards.models import Seat
from governance.models import Invitation, Role, User
from tests.boards.factories import BoardFactory, PartnerFactory, SeatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    partner = PartnerFactory()
    board = BoardFactory(name="Partnership Management Group", partners=[partner])
    board.seat = SeatFactory(board=board, partner=partner, holder=None, title="CFO")
    return board


@pytest.fixture
def secretary(make_user, board):
    person = make_user(Role.SECRETARY, email="sec@council.example")
    board.secretaries.add(person)
    return person


@pytest.fixture
def quinns():
    return [
        User.objects.create_user(email=f"quinn{n}@ccg.example", name="Quinn Testington")
        for n in range(3)
    ]


def test_people_are_found_by_name_or_email(client, administrator, quinns):
    User.objects.create_user(email="other@ccg.example", name="Someone Else")
    client.force_login(administrator)
    html = client.get(reverse("people:list"), {"q": "quinn1@"}).content.decode()
    assert "quinn1@ccg.example" in html and "quinn0@ccg.example" not in html
    html = client.get(reverse("people:list"), {"q": "testington"}).content.decode()
    assert html.count("Quinn Testington") == 3 and "Someone Else" not in html


def test_the_duplicates_filter_lists_people_sharing_a_name(
    client, administrator, quinns
):
    User.objects.create_user(email="other@ccg.example", name="Someone Else")
    client.force_login(administrator)
    html = client.get(reverse("people:list"), {"duplicates": "1"}).content.decode()
    assert html.count("Quinn Testington") == 3 and "Someone Else" not in html


def test_the_people_list_is_one_query_shape_whatever_its_length(
    client, administrator, quinns, django_assert_max_num_queries
):
    client.force_login(administrator)
    for n in range(30):
        User.objects.create_user(email=f"p{n}@ccg.example", name=f"Person {n}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("people:list")).status_code == 200


def test_the_secretaries_picker_shows_emails_and_can_be_searched(
    client, administrator, board, quinns
):
    client.force_login(administrator)
    html = client.get(reverse("boards:edit", args=[board.pk])).content.decode()
    for quinn in quinns:
        assert f"Quinn Testington &lt;{quinn.email}&gt;" in html
    assert 'data-filter="people"' in html


def test_merged_duplicates_leave_the_pickers(client, administrator, board, quinns):
    from governance.services.people import people_merge

    people_merge(by=administrator, keep=quinns[0], duplicate=quinns[1])
    client.force_login(administrator)
    html = client.get(reverse("boards:edit", args=[board.pk])).content.decode()
    assert quinns[1].email not in html and quinns[0].email in html


def test_the_person_page_shows_seats_and_invitations(client, administrator, board):
    from governance.services.invitations import invitation_create

    invitation_create(
        by=administrator,
        name="Morgan Member",
        email="morgan@ccg.example",
        role="member",
        target_id=board.seat.pk,
    )
    person = User.objects.get(email="morgan@ccg.example")
    client.force_login(administrator)
    html = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Seats and terms of office" in html and "CFO" in html
    assert "Waiting for the person" in html and "Resend" in html
    assert "Attendance" in html and "Declarations of interest" in html
    assert "No attendance recorded." in html and "No declarations recorded." in html


def test_the_person_page_lists_their_attendance_and_declarations(
    client, administrator, board, make_user
):
    """The rows themselves, not just the headings: a meeting attended in a seat
    (with the seat, partner and how they attended) and a declaration on an item."""
    from meetings.models import Attendance, Declaration
    from tests.meetings.factories import (
        AgendaItemFactory,
        AttendanceFactory,
        MeetingFactory,
    )

    person = make_user(Role.MEMBER, name="Morgan Member")
    board.seat.holder = person
    board.seat.save()
    meeting = MeetingFactory(board=board)
    AttendanceFactory(
        meeting=meeting,
        seat=board.seat,
        attendee=person,
        status=Attendance.Status.DEPUTY,
    )
    item = AgendaItemFactory(meeting=meeting, title="Carers' breaks contract")
    Declaration.objects.create(
        item=item,
        seat=board.seat,
        person=person,
        interest="Trustee of the carers' charity bidding for the contract",
        withdrew=True,
    )
    client.force_login(administrator)
    html = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "No attendance recorded." not in html
    assert "No declarations recorded." not in html
    assert meeting.get_absolute_url() in html
    assert f"CFO ({board.seat.partner.label})" in html
    assert "Deputy attending" in html
    assert "Carers&#x27; breaks contract" in html
    assert "Trustee of the carers&#x27; charity bidding for the contract" in html
    declarations = html.split('id="person-declarations-heading"')[1]
    assert "<td>Yes</td>" in declarations


def test_a_member_cannot_see_the_people_pages(client, make_user):
    client.force_login(make_user(Role.MEMBER))
    assert client.get(reverse("people:list")).status_code == 403


# --- no escalation by a secretary, by any path ----------------------------------------------


def test_a_secretary_cannot_create_privileged_people_through_the_api(api_as, secretary):
    """The bug of issue 15: POST /api/v1/people/ let a secretary create an
    administrator. Now 403 for every role but member, as on the page."""
    api = api_as(secretary)
    for n, role in enumerate(
        [Role.ADMINISTRATOR, Role.AUDITOR, Role.FUND_MANAGER, Role.SECRETARY]
    ):
        response = api.post(
            "/api/v1/people/",
            {"name": "X", "email": f"x{n}@evil.example", "role": role},
            format="json",
        )
        assert response.status_code == 403, role
        assert "administrators" in response.json()["detail"]
    assert not User.objects.filter(email__endswith="@evil.example").exists()
    ok = api.post(
        "/api/v1/people/", {"name": "Deputy", "email": "d@ccg.example"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["role"] == Role.MEMBER


def test_an_administrator_creates_an_auditor_through_the_api(api_as, administrator):
    response = api_as(administrator).post(
        "/api/v1/people/",
        {"name": "Avery", "email": "avery@audit.example", "role": "auditor"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["role"] == "auditor"


def test_the_page_form_refuses_a_forged_role_from_a_secretary(client, secretary):
    client.force_login(secretary)
    response = client.post(
        reverse("boards:person_add"),
        {"name": "X", "email": "x@evil.example", "role": Role.ADMINISTRATOR},
    )
    assert response.status_code == 400  # not a choice offered to a secretary
    assert not User.objects.filter(email="x@evil.example").exists()


def test_a_secretary_cannot_name_board_secretaries(client, api_as, secretary, board):
    ally = User.objects.create_user(email="ally@ccg.example", name="Ally")
    api = api_as(secretary)
    response = api.patch(
        f"/api/v1/boards/{board.pk}/",
        {"secretaries": [secretary.pk, ally.pk]},
        format="json",
    )
    assert response.status_code == 403
    assert list(board.secretaries.all()) == [secretary]
    # On the page the field is shown but cannot change.
    client.force_login(secretary)
    html = client.get(reverse("boards:edit", args=[board.pk])).content.decode()
    assert 'name="secretaries"' in html and "disabled" in html


def test_a_secretary_cannot_give_privileged_roles_on_the_person_page(
    client, secretary, board
):
    from tests.pooled_funds.factories import PooledFundFactory

    fund = PooledFundFactory(board=board)
    target = User.objects.create_user(email="t@ccg.example", name="Target")
    client.force_login(secretary)
    for value in (
        f"secretary:{board.pk}",
        f"fund_manager:{fund.pk}",
        f"finance_officer:{fund.pk}",
    ):
        response = client.post(
            reverse("people:role_give", args=[target.pk]), {"role": value}
        )
        assert response.status_code == 403, value
    response = client.post(
        reverse("people:global_role", args=[target.pk]), {"role": "administrator"}
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.role == Role.MEMBER and not board.secretaries.filter(pk=target.pk)


def test_a_secretary_seats_a_member_on_their_board_from_the_person_page(
    client, secretary, board
):
    target = User.objects.create_user(email="t@ccg.example", name="Target")
    client.force_login(secretary)
    response = client.post(
        reverse("people:role_give", args=[target.pk]),
        {"role": f"member:{board.seat.pk}"},
    )
    assert response.status_code == 302
    assert Seat.objects.get(pk=board.seat.pk).holder == target


def test_roles_api_gives_and_takes_by_the_same_table(api_as, secretary, board):
    target = User.objects.create_user(email="t@ccg.example", name="Target")
    api = api_as(secretary)
    url = f"/api/v1/people/{target.pk}/roles/"
    given = api.post(url, {"role": "deputy", "target": board.seat.pk}, format="json")
    assert given.status_code == 201
    assert given.json()[0]["role"] == "deputy"
    listed = api.get(url).json()  # a page, like every list
    assert listed["count"] == 1 and listed["results"][0]["role"] == "deputy"
    refused = api.post(url, {"role": "secretary", "target": board.pk}, format="json")
    assert refused.status_code == 403
    taken = api.post(
        f"{url}revoke/", {"role": "deputy", "target": board.seat.pk}, format="json"
    )
    assert taken.status_code == 200 and taken.json() == []
    missing = api.post(url, {"role": "member", "target": 999999}, format="json")
    assert missing.status_code == 400


def test_invitations_api(api_as, secretary, board, administrator):
    api = api_as(secretary)
    created = api.post(
        "/api/v1/invitations/",
        {
            "name": "New",
            "email": "new@ccg.example",
            "role": "member",
            "target": board.seat.pk,
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    refused = api.post(
        "/api/v1/invitations/",
        {"name": "Boss", "email": "boss@evil.example", "global_role": "administrator"},
        format="json",
    )
    assert refused.status_code == 403
    pk = created.json()["id"]
    assert api.post(f"/api/v1/invitations/{pk}/resend/").status_code == 200
    revoked = api.post(f"/api/v1/invitations/{pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert Invitation.objects.get(pk=pk).revoked_by == secretary


def test_deactivate_and_merge_api_are_for_administrators(
    api_as, secretary, administrator
):
    a = User.objects.create_user(email="a@ccg.example", name="A")
    b = User.objects.create_user(email="b@ccg.example", name="A")
    assert (
        api_as(secretary).post(f"/api/v1/people/{a.pk}/deactivate/").status_code == 403
    )
    merged = api_as(administrator).post(
        f"/api/v1/people/{a.pk}/merge/", {"duplicate": b.pk}, format="json"
    )
    assert merged.status_code == 200
    again = api_as(administrator).post(
        f"/api/v1/people/{a.pk}/merge/", {"duplicate": b.pk}, format="json"
    )
    assert again.status_code == 400
