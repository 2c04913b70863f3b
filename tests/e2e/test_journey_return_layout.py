"""The return table reads well at 1366 px and on a phone (issue 16): no sideways
scroll of the page or the table at 1366 x 768, each scheme a labelled card at
390 x 844; the manager is asked before approving. Screenshots in test-artefacts/."""

import pytest

from pooled_funds.models import PooledFund, Return

pytestmark = pytest.mark.browser

OVERFLOW = """() => {
  const table = document.querySelector('table.return-lines');
  const box = table.closest('.table-responsive') || table.parentElement;
  return {page: document.documentElement.scrollWidth - window.innerWidth,
          table: table.scrollWidth - box.clientWidth};
}"""


def test_return_table_at_1366_and_on_a_phone(demo, visit):
    fund = PooledFund.objects.get(name__startswith="Portsmouth")
    ret = Return.objects.get(fund=fund, period="2023-03")  # submitted
    manager = visit("manager")
    manager.sign_in("manager@demo.example")
    page = manager.page
    page.set_viewport_size({"width": 1366, "height": 768})
    manager.goto(ret.get_absolute_url())
    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"] <= 0 and overflow["table"] <= 0, overflow
    manager.screenshot("-1366", locator=page.locator("table.return-lines"))
    manager.screenshot("-1366-page")

    page.set_viewport_size({"width": 390, "height": 844})
    manager.goto(ret.get_absolute_url())
    assert page.evaluate(OVERFLOW)["page"] <= 0
    card = page.locator("table.return-lines tbody.scheme-line").first
    assert card.evaluate("e => getComputedStyle(e).display") == "block"
    label = card.locator("td[data-label='Forecast outturn']")
    assert "Forecast outturn" in label.evaluate(
        "e => getComputedStyle(e, '::before').content"
    )
    manager.screenshot("-phone")

    # The person answers "no": record the question, approve nothing.
    page.evaluate("window.confirm = (m) => { window.asked = m; return false; }")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.asked").startswith("Approve the return")
    ret.refresh_from_db()
    assert ret.status == "submitted", "dismissing the question approves nothing"
    manager.assert_clean()
