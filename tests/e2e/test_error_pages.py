"""The 403 and 404 pages in a browser (issue 13): styled like every page, saying why
and where to go, with no serious or critical axe violation."""

import pytest

from governance.models import Role
from tests.governance.factories import UserFactory

pytestmark = pytest.mark.browser


def test_error_pages_say_why_and_where_to_go(transactional_db, settings, visit):
    settings.OTP_REQUIRED = False
    UserFactory(email="member@example.org", name="Pat Member", role=Role.MEMBER)
    tab = visit()
    page = tab.page
    response = page.goto(tab.base_url + "/no/such/page/")
    assert response.status == 404
    tab.check()
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.get_by_role("link", name="Sign in").is_visible()
    tab.screenshot("-404")
    tab.sign_in("member@example.org", "correct-horse-battery")
    response = page.goto(tab.base_url + "/people/")
    assert response.status == 403
    tab.check()
    assert page.get_by_test_id("error-reason").inner_text() == "You may not do this."
    with page.expect_navigation():
        page.get_by_role("link", name="Go to your dashboard").click()
    assert page.url == tab.base_url + "/"
    tab.screenshot("-403-then-dashboard")
    tab.assert_clean()
