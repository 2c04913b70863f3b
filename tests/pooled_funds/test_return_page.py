"""The return page: approve and send back ask for confirmation; the table has seven
columns (commentary on its own row), so it reads at 1366 px without scrolling
(measured in tests/e2e/test_journey_return_layout.py)."""

import re

import pytest

from pooled_funds.services.returns import return_enter, return_submit
from tests.pooled_funds.conftest import all_lines

pytestmark = pytest.mark.django_db


def test_approve_and_send_back_ask_for_confirmation(client, fund, officer, manager):
    ret = return_enter(fund=fund, period="2015-Q1", rows=all_lines(), user=officer)
    return_submit(ret=ret, user=officer)
    client.force_login(manager)
    page = client.get(ret.get_absolute_url()).content.decode()
    forms = re.findall(r"<form [^>]*>", page)
    approve = [f for f in forms if "/approve/" in f]
    send_back = [f for f in forms if "/send-back/" in f]
    assert approve and 'data-confirm="Approve the return' in approve[0]
    assert send_back and 'data-confirm="Send the return' in send_back[0]


def test_the_return_table_has_seven_columns_and_a_notes_row(client, fund, officer):
    rows = all_lines(
        S1={
            "commentary": "Agency staff",
            "forecast_outturn": "510000",
            "action_plan": "Recover",
        }
    )
    ret = return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)
    client.force_login(officer)
    page = client.get(ret.get_absolute_url()).content.decode()
    table = page[
        page.index('class="table table-sm table-bordered align-middle return-lines"') :
    ]
    head = table[: table.index("</thead>")]
    assert head.count('<th scope="col"') == 7
    assert "Movement" in head and 'class="scheme-notes"' in table
    assert 'data-label="Forecast outturn"' in table
