"""Journey 3 (issue 8): a finance officer uploads a return with an error, fixes it
and submits it; the pooled fund manager approves it (SPEC s.6)."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from pooled_funds.models import PooledFund, Return

pytestmark = pytest.mark.browser


def _break(template: str) -> tuple[str, str]:
    """The template with one bad amount (row 2), and the same template filled in
    properly: actual to date and forecast at the budget."""
    rows = list(csv.DictReader(io.StringIO(template)))
    fieldnames = list(rows[0].keys())
    good, bad = [], []
    for index, row in enumerate(rows):
        if (row.get("scheme") or "").upper() == "TOTAL":
            continue
        budget = row.get("budget") or row.get("original_budget") or "0"
        filled = {
            **row,
            "budget": budget,
            "actual_to_date": budget,
            "forecast_outturn": budget,
        }
        good.append(filled)
        bad.append(
            {**filled, "actual_to_date": "twelve pounds"} if index == 0 else filled
        )

    def write(data):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(data)
        return out.getvalue()

    return write(bad), write(good)


def test_finance_officer_fixes_an_upload_and_submits_and_manager_approves(demo, visit):
    """A bad amount is rejected with its row and column and nothing is saved; the
    corrected file saves a draft; submitted, the manager approves it."""
    # The demo's overdue return (West Kent's year is complete): Leicestershire's
    # joint commissioning Q4, a draft the upload replaces.
    fund = PooledFund.objects.get(name__startswith="Leicestershire joint commissioning")
    before = Return.objects.filter(fund=fund).count()

    finance = visit("finance")
    finance.sign_in("finance@demo.example")
    finance.goto(f"/funds/{fund.pk}/")
    page = finance.page
    with page.expect_navigation():
        page.get_by_role("link", name="Upload a return file").click()
    finance.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    template = open(download.value.path(), encoding="utf-8-sig").read()
    bad, good = _break(template)

    page.get_by_label(re.compile("Return file")).set_input_files(
        {"name": "return.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check and upload").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_contain_text("The file was not saved")
    expect(errors).to_contain_text("actual_to_date")
    assert Return.objects.filter(fund=fund).count() == before, "nothing saved"
    finance.check()
    finance.screenshot("-error")

    page.get_by_label(re.compile("Return file")).set_input_files(
        {"name": "return.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_role("status").first).to_contain_text("uploaded")
    finance.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit to the pooled fund manager").click()
    expect(page.get_by_role("status").first).to_contain_text("submitted")
    return_url = page.url
    finance.check()

    manager = visit("manager")
    manager.sign_in("manager@demo.example")
    manager.goto(return_url.removeprefix(manager.base_url))
    with manager.page.expect_navigation():
        manager.page.get_by_role("button", name="Approve").click()
    manager.check()
    manager.screenshot()
    ret = Return.objects.filter(fund=fund).order_by("-pk").first()
    assert ret.status == "approved", ret.status
    finance.assert_clean()
    manager.assert_clean()
