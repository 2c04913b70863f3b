"""Browser journey (issue 3 done-means): the demo secretary sets up a new board with
its rules in the browser, and every constitution page passes axe (WCAG 2.2 AA) with
no CSP violation."""

import pytest

from boards.models import Board, QuorumRule
from demo import load as demo_files

pytestmark = pytest.mark.browser


def test_secretary_sets_up_a_board_in_the_browser(demo, visit):
    tab = visit()
    tab.sign_in("secretary@demo.example")
    page = tab.page
    for key in ("pmg", "ifpg", "ie", "jcg", "wk_s75", "wk_slg"):
        tab.goto(demo_files.board(key).get_absolute_url())
    tab.goto(demo_files.board("pmg").get_absolute_url())
    tab.screenshot("-pmg")
    assert "CCG Chief Finance Officer" in page.inner_text("main")

    tab.goto("/boards/")
    tab.goto("/boards/new/")
    page.locator("#id_name").fill("Mapping the Future Delivery Board")
    page.get_by_label("Kent County Council").check()
    page.get_by_label("NHS West Kent CCG").check()
    page.locator("#id_minutes_deadline_days").fill("14")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    tab.check()
    board = Board.objects.get(name="Mapping the Future Delivery Board")

    tab.goto(f"/boards/{board.pk}/seats/new/")
    page.locator("#id_title").fill("Chief Financial Officer")
    page.locator("#id_partner").select_option(label="NHS West Kent CCG")
    page.get_by_label("Finance", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    tab.check()

    tab.goto(f"/boards/{board.pk}/quorum-rules/new/")
    page.get_by_label("Representatives of any kind from each partner").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    tab.check()
    assert QuorumRule.objects.get(board=board).min_any_per_partner == 2
    assert "At least 2 representatives from each partner." in page.inner_text("main")
    tab.screenshot("-new-board")
    tab.assert_clean()
