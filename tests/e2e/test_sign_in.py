"""Every demo role signs in and reaches its dashboard and navigation pages with no
serious or critical axe violation (WCAG 2.2 AA) and no CSP violation; sign-in works
with the keyboard alone."""

import pytest

pytestmark = pytest.mark.browser


def test_each_role_reaches_its_pages_accessibly(demo, visit):
    """Secretary, member, finance officer, fund manager and auditor each sign in and
    every page of their navigation passes axe."""
    tabs = []
    for email in (
        "secretary@demo.example",
        "member@demo.example",
        "finance@demo.example",
        "manager@demo.example",
        "auditor@demo.example",
    ):
        tab = visit(email.split("@")[0])
        tab.sign_in(email)
        tab.check()
        links = tab.page.locator("#main-nav a.nav-link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for href in hrefs:
            tab.goto(href)
        tab.screenshot()
        tabs.append(tab)
    problems = [p for tab in tabs for p in tab.problems]
    assert not problems, "\n".join(problems)


def test_sign_in_with_the_keyboard_alone(demo, visit):
    """Tab to the fields, type, press Enter: signed in, no mouse."""
    tab = visit()
    tab.page.goto(tab.base_url + "/accounts/login/")
    page = tab.page
    # The e-mail field has focus on arrival (autofocus): no pointer needed.
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("member@demo.example")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-password-2026")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    tab.check()
    tab.assert_clean()
