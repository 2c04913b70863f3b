"""Members' records in the browser (issue 18): the register of interests offered at
the vote and declared from it (a withdrawn member then cannot vote), the person's
own page (register, seats, attendance), who may read or keep a register (403), the
board's attendance statistics and its action tracker (secretary sets a status, a
member may not)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from governance.models import Role
from meetings.models import Action, Declaration, Meeting, RegisteredInterest, Vote
from meetings.services.actions import action_add
from meetings.services.interests import interest_register
from meetings.services.motions import motion_open
from tests.meetings.decisions_world import build

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def login(client, user):
    client.force_login(user)
    return client


def register_entry(person) -> RegisteredInterest:
    return interest_register(
        person=person,
        category=RegisteredInterest.Category.INDIRECT,
        organisation="Solent Care Homes Ltd",
        description="Spouse is a director.",
        declared_on=TODAY - datetime.timedelta(days=100),
        by=person,
    )


def test_the_members_register_is_offered_at_the_vote_and_declared_from_it(client):
    w = build()
    entry = register_entry(w.c1.holder)
    motion_open(motion=w.motion, by=w.secretary)
    login(client, w.c1.holder)
    vote_url = reverse("meetings:decisions-vote", args=[w.motion.pk])
    page = client.get(vote_url).content.decode()
    assert "Your registered interests" in page
    assert "Solent Care Homes Ltd" in page
    response = client.post(
        reverse("meetings:declare_from_register", args=[w.item.pk]),
        {"seat": w.c1.pk, "entry": entry.pk, "withdrew": "on", "back": "vote"},
    )
    assert response["Location"] == vote_url
    declaration = Declaration.objects.get(item=w.item)
    assert declaration.withdrew and "Solent Care Homes Ltd" in declaration.interest
    assert "Declared on this item" in client.get(vote_url).content.decode()
    # Withdrawn from the item: the vote is refused.
    client.post(vote_url, {"seat": w.c1.pk, "choice": "for"})
    assert not Vote.objects.filter(seat=w.c1).exists()


def test_no_register_offer_for_a_member_with_nothing_registered(client):
    w = build()
    register_entry(w.c1.holder)
    motion_open(motion=w.motion, by=w.secretary)
    page = login(client, w.c2.holder).get(
        reverse("meetings:decisions-vote", args=[w.motion.pk])
    )
    assert "Your registered interests" not in page.content.decode()


def test_a_member_may_not_declare_someone_elses_interest(client):
    w = build()
    entry = register_entry(w.c1.holder)
    response = login(client, w.c2.holder).post(
        reverse("meetings:declare_from_register", args=[w.item.pk]),
        {"seat": w.c1.pk, "entry": entry.pk},
    )
    assert response.status_code == 403
    assert not Declaration.objects.exists()


def test_my_records_shows_seats_register_and_attendance(client):
    w = build()
    register_entry(w.c1.holder)
    login(client, w.c1.holder)
    response = client.get(reverse("meetings:my_records"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Seats and terms of office" in page and w.c1.title in page
    assert "Register of interests" in page and "Solent Care Homes Ltd" in page
    assert "Attendance statistics" in page


def test_a_register_is_kept_by_its_person_not_by_another_member(client, make_user):
    w = build()
    add = reverse("meetings:interest_add", args=[w.c1.holder.pk])
    data = {
        "category": RegisteredInterest.Category.FINANCIAL,
        "organisation": "Acme Care",
        "description": "Shareholding.",
        "declared_on": TODAY.isoformat(),
    }
    assert login(client, w.c2.holder).post(add, data).status_code == 403
    stranger = make_user(role=Role.MEMBER)
    records = reverse("meetings:person_records", args=[w.c1.holder.pk])
    assert login(client, stranger).get(records).status_code == 403
    assert login(client, w.c1.holder).post(add, data).status_code == 302
    assert RegisteredInterest.objects.get().organisation == "Acme Care"


def test_the_people_page_shows_the_register_to_an_administrator(client, make_user):
    w = build()
    register_entry(w.c1.holder)
    admin = make_user(role=Role.ADMINISTRATOR)
    page = login(client, admin).get(reverse("people:detail", args=[w.c1.holder.pk]))
    assert page.status_code == 200
    assert "Solent Care Homes Ltd" in page.content.decode()


def test_board_attendance_statistics_and_who_may_see_them(client, make_user):
    """Everyone present at the one meeting held: each seat 1 of 1, 100%."""
    w = build()
    Meeting.objects.filter(pk=w.meeting.pk).update(status=Meeting.Status.CLOSED)
    url = reverse("meetings:board_attendance", args=[w.board.pk])
    assert login(client, make_user(role=Role.MEMBER)).get(url).status_code == 403
    response = login(client, w.c1.holder).get(url)
    assert response.status_code == 200
    stats = response.context["stats"]
    row = next(r for r in stats.seats if r.seat == w.c1)
    assert (row.counts.total, row.counts.present, row.counts.rate) == (1, 1, 100)


def test_the_tracker_lists_open_actions_and_only_the_secretary_sets_status(client):
    w = build()
    action = action_add(
        meeting=w.meeting,
        description="Circulate the dashboard",
        owner_name="Director",
        due_on=TODAY - datetime.timedelta(days=2),
        by=w.secretary,
    )
    url = reverse("meetings:action_tracker", args=[w.board.pk])
    page = login(client, w.c1.holder).get(url).content.decode()
    assert "Circulate the dashboard" in page and "Overdue by 2 days" in page
    assert "tracker-status-" not in page  # a member reads, does not update
    status_url = reverse("meetings:tracker_status", args=[action.pk])
    assert client.post(status_url, {"status": "done"}).status_code == 403
    login(client, w.secretary).post(status_url, {"status": "done", "back": "tracker"})
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_the_tracker_reads_its_order_from_sql_the_same_as_the_rule_and_pages_it(
    client, monkeypatch, django_assert_num_queries
):
    """The tracker pages its actions (50 a page) in SQL, in the order the rule
    (``action_tracker.sort_key``) gives: overdue, due, open by due date (undated
    last), then done and dropped; the page's queries do not grow with actions."""
    from meetings import action_tracker
    from meetings.selectors import members as selectors

    w = build()
    days = [None, 40, -30, 2, -3, 200, None, 5]
    for n, offset in enumerate(days):
        action_add(
            meeting=w.meeting,
            description=f"Action {n}",
            owner_name="Director",
            due_on=None if offset is None else TODAY + datetime.timedelta(offset),
            by=w.secretary,
        )
    Action.objects.filter(description__in=["Action 3", "Action 6"]).update(
        status=Action.Status.DONE
    )
    by_rule = sorted(
        Action.objects.select_related("meeting"),
        key=lambda a: action_tracker.sort_key(selectors._facts_of(a), TODAY),
    )
    shown = selectors.board_actions(w.board, today=TODAY, include_closed=True)
    assert [t.action.pk for t in shown] == [a.pk for a in by_rule]

    monkeypatch.setattr(selectors, "TRACKER_PAGE", 3)
    url = reverse("meetings:action_tracker", args=[w.board.pk])
    login(client, w.secretary)
    eight = []
    with connection.execute_wrapper(
        lambda run, sql, *a: eight.append(sql) or run(sql, *a)
    ):
        first = client.get(url, {"show": "all"})
    assert [t.action.pk for t in first.context["tracked"]] == [
        a.pk for a in by_rule[:3]
    ]
    assert 'href="?show=all&amp;page=2" rel="next"' in first.content.decode()
    last = client.get(url, {"show": "all", "page": 3})
    assert [t.action.pk for t in last.context["tracked"]] == [a.pk for a in by_rule[6:]]
    for n in range(20):
        action_add(
            meeting=w.meeting, description=f"More {n}", owner_name="X", by=w.secretary
        )
    with django_assert_num_queries(len(eight)):
        client.get(url, {"show": "all"})


# --- editing a register entry --------------------------------------------------------


def edit_data(**changes) -> dict:
    data = {
        "category": RegisteredInterest.Category.INDIRECT,
        "organisation": "Solent Care Homes Ltd",
        "description": "Spouse was a director until March; now a shareholder.",
        "declared_on": (TODAY - datetime.timedelta(days=100)).isoformat(),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("keeper", ["person", "secretary", "administrator"])
def test_a_register_entry_is_edited_by_whoever_keeps_the_register(
    client, make_user, keeper
):
    w = build()
    entry = register_entry(w.c1.holder)
    user = {
        "person": w.c1.holder,
        "secretary": w.secretary,
        "administrator": make_user(role=Role.ADMINISTRATOR),
    }[keeper]
    url = reverse("meetings:interest_edit", args=[entry.pk])
    login(client, user)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="Solent Care Homes Ltd"' in body
    # A date input takes only ISO dates: the day declared is shown, not blanked.
    declared = (TODAY - datetime.timedelta(days=100)).isoformat()
    assert f'type="date" name="declared_on" value="{declared}"' in body
    response = client.post(url, edit_data(category="financial"))
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("meetings:person_records", args=[w.c1.holder.pk]) + "#register"
    )
    entry.refresh_from_db()
    assert entry.category == "financial"
    assert entry.description.startswith("Spouse was a director until March")
    assert entry.recorded_by == w.c1.holder  # who first recorded it, unchanged


def test_a_register_entry_is_not_edited_by_another_member_an_auditor_or_a_stranger(
    client, make_user
):
    w = build()
    entry = register_entry(w.c1.holder)
    url = reverse("meetings:interest_edit", args=[entry.pk])
    for user in (
        w.c2.holder,  # sits on the same board: reads the register, keeps it not
        make_user(role=Role.AUDITOR),
        make_user(role=Role.MEMBER),
    ):
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, edit_data(organisation="Changed")).status_code == 403
    entry.refresh_from_db()
    assert entry.organisation == "Solent Care Homes Ltd"


def test_editing_a_register_entry_that_does_not_exist_is_404(client):
    w = build()
    login(client, w.c1.holder)
    url = reverse("meetings:interest_edit", args=[999999])
    assert client.get(url).status_code == 404
    assert client.post(url, edit_data()).status_code == 404


def test_an_edited_entry_keeps_its_history_with_who_changed_what(client):
    w = build()
    entry = register_entry(w.c1.holder)
    url = reverse("meetings:interest_edit", args=[entry.pk])
    login(client, w.secretary).post(url, edit_data(organisation="Solent Care Group"))
    assert entry.history.count() == 2
    latest = entry.history.first()
    assert latest.history_user == w.secretary
    assert latest.prev_record.organisation == "Solent Care Homes Ltd"
    page = client.get(url).content.decode()
    assert "History of this entry" in page
    assert "“Solent Care Homes Ltd” → “Solent Care Group”" in page
    assert w.secretary.name in page and "Recorded on the register." in page


def test_a_bad_edit_shows_field_errors_and_changes_nothing(client):
    w = build()
    entry = register_entry(w.c1.holder)
    url = reverse("meetings:interest_edit", args=[entry.pk])
    login(client, w.c1.holder)
    response = client.post(
        url,
        edit_data(organisation="  ", declared_on=(TODAY + datetime.timedelta(1))),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    entry.refresh_from_db()
    assert entry.organisation == "Solent Care Homes Ltd" and entry.history.count() == 1


def test_an_ended_entry_shows_its_history_and_is_not_edited(client):
    w = build()
    entry = register_entry(w.c1.holder)
    url = reverse("meetings:interest_edit", args=[entry.pk])
    login(client, w.c1.holder)
    client.post(
        reverse("meetings:interest_end", args=[entry.pk]),
        {"ended_on": TODAY.isoformat()},
    )
    page = client.get(url).content.decode()
    assert "stays as it was recorded" in page and 'name="organisation"' not in page
    assert f"This interest ended on {TODAY:%-d %B %Y}" in page
    response = client.post(url, edit_data(organisation="Rewritten"))
    assert response.status_code == 200
    assert "stays as it was recorded" in response.content.decode()
    entry.refresh_from_db()
    assert entry.organisation == "Solent Care Homes Ltd"


def test_the_register_links_each_entry_to_its_edit_page_only_for_its_keepers(client):
    w = build()
    entry = register_entry(w.c1.holder)
    edit = reverse("meetings:interest_edit", args=[entry.pk])
    records = reverse("meetings:person_records", args=[w.c1.holder.pk])
    assert edit in login(client, w.c1.holder).get(records).content.decode()
    assert edit not in login(client, w.c2.holder).get(records).content.decode()
