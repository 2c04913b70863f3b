"""Finance officers' and fund managers' dashboards: due, overdue, sent back and
awaiting approval, with links, on the same rule the reminders are sent on."""

from datetime import date

import pytest
from django.urls import reverse

from pooled_funds import periods
from pooled_funds.selectors import dashboard_panels
from pooled_funds.services.reminders import returns_send_reminders
from pooled_funds.services.returns import return_enter, return_send_back, return_submit
from tests.pooled_funds.conftest import all_lines


@pytest.mark.parametrize(
    "statuses, today, expected",
    [
        # Q1 (due 15 July 2015) not started: due before, overdue after
        ({}, date(2015, 7, 10), [("2015-Q1", "due")]),
        ({}, date(2015, 7, 16), [("2015-Q1", "overdue")]),
        # a draft counts as not made
        ({"2015-Q1": "draft"}, date(2015, 8, 1), [("2015-Q1", "overdue")]),
        (
            {"2015-Q1": "submitted"},
            date(2015, 8, 1),
            [("2015-Q1", "awaiting_approval")],
        ),
        ({"2015-Q1": "returned"}, date(2015, 8, 1), [("2015-Q1", "sent_back")]),
        ({"2015-Q1": "approved"}, date(2015, 8, 1), []),
        # a period still running is not listed
        ({}, date(2015, 6, 30), []),
        (
            {"2015-Q1": "approved"},
            date(2016, 1, 10),
            [("2015-Q2", "overdue"), ("2015-Q3", "due")],
        ),
    ],
)
def test_return_states(statuses, today, expected):
    states = periods.return_states(
        frequency="quarterly",
        financial_year=2015,
        due_day=15,
        statuses=statuses,
        today=today,
    )
    assert [(s.period, s.state) for s in states] == expected


@pytest.mark.django_db
def test_finance_officer_sees_overdue_due_and_sent_back_with_links(
    client, fund, officer, manager
):
    """The officer mailed "overdue" sees the same periods on the dashboard, each
    linking to the entry form (or the return sent back)."""
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    return_submit(ret=ret, user=officer)
    return_send_back(ret=ret, user=manager, reason="S2 commentary missing")
    today = date(2015, 10, 20)  # Q2 due 15 October: overdue
    assert returns_send_reminders(today=today) >= 1
    panel = dashboard_panels(officer, today=today)[0]
    groups = {key: entries for _, key, entries in panel["groups"]}
    assert [e.state.period for e in groups["overdue"]] == ["2015-Q2"]
    assert groups["overdue"][0].url == (
        reverse("pooled_funds:return_enter", args=[fund.pk]) + "?period=2015-Q2"
    )
    assert [e.url for e in groups["sent_back"]] == [ret.get_absolute_url()]
    client.force_login(officer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Overdue returns" in page and "Returns sent back for changes" in page
    assert "?period=" in page


@pytest.mark.django_db
def test_manager_sees_returns_awaiting_approval(client, fund, officer, manager):
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    return_submit(ret=ret, user=officer)
    panel = dashboard_panels(manager)[0]
    assert panel["to_approve"] == [ret]
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Returns waiting for your approval" in page
    assert ret.get_absolute_url() in page


@pytest.mark.django_db
def test_people_with_no_fund_get_no_panel(make_user):
    assert dashboard_panels(make_user()) == []
