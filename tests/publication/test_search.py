"""Full-text search (issue 19): published agendas, items, minutes, decisions and
paper text; for a signed-in person also what they may read; filters by board, date,
kind and outcome; ranked and highlighted; a page of results in constant queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Role
from meetings.models import AgendaItem, Meeting, Motion
from publication import search
from publication.models import SearchDocument
from tests.governance.factories import UserFactory

from .world import PUBLIC, SECRETS


def _search(user=None, **filters):
    return search.search(user, search.Filters(**filters))


def test_finds_a_decision_and_the_paper_it_was_taken_on(world):
    page = _search(q="hospital discharge")
    kinds = {r.kind for r in page.results}
    assert {"item", "decision", "paper", "minutes"} <= kinds
    paper = next(r for r in page.results if r.kind == "paper")
    assert paper.url == f"/public/papers/{world.public_paper.pk}/"
    decision = next(r for r in page.results if r.kind == "decision")
    assert decision.url == f"/public/decisions/{world.public_motion.pk}/"


def test_the_paper_is_found_by_words_only_its_text_holds(world):
    page = _search(q="heliotrope analysis")
    assert [r.kind for r in page.results] == ["paper"]
    assert "<mark>" in page.results[0].snippet


def test_matches_are_marked_and_everything_else_escaped(world):
    item = world.public_item
    AgendaItem.objects.filter(pk=item.pk).update(
        title="Hospital <script>alert(1)</script> discharge"
    )
    item.refresh_from_db()
    item.save()  # reindexed
    page = _search(q="hospital discharge", kind="item")
    title = str(page.results[0].title)
    assert "<script>" not in title
    assert "&lt;script&gt;" in title
    assert "<mark>" in title.lower()


def test_ranked_best_first_titles_before_text(world):
    page = _search(q="heliotrope")
    assert page.results[0].kind == "paper"  # title and text both say it
    if connection.vendor == "postgresql":
        assert page.engine == "postgresql"
    else:
        assert page.engine == "fallback"


def test_a_visitor_finds_nothing_withheld(world):
    for word in SECRETS.values():
        assert _search(q=word).total == 0, word


def test_a_member_also_finds_what_they_may_read(world):
    """Signed in, a member of both boards finds the confidential item and the
    unpublished board, marked as not public and linked to the signed-in pages."""
    page = _search(world.member, q=SECRETS["hidden_item"])
    assert page.total >= 1
    assert all(not r.public for r in page.results)
    assert all(not r.url.startswith("/public/") for r in page.results)
    confidential = _search(world.member, q=SECRETS["confidential_paper_text"])
    assert confidential.total == 1


def test_a_person_from_another_board_finds_only_what_is_published(world):
    stranger = UserFactory(role=Role.MEMBER)
    assert _search(stranger, q=SECRETS["hidden_item"]).total == 0
    assert _search(stranger, q="hospital discharge").total >= 4


def test_an_auditor_finds_everything_but_superseded_minutes(world):
    auditor = UserFactory(role=Role.AUDITOR)
    assert _search(auditor, q=SECRETS["confidential_minutes"]).total == 1
    assert _search(auditor, q=SECRETS["draft_minutes"]).total == 1


def test_filters_by_board_kind_outcome_and_date(world):
    assert _search(q="hospital", board=world.hidden.pk).total == 0
    assert _search(q="hospital", board=world.published.pk).total >= 4
    decisions = _search(q="hospital", outcome="carried")
    assert [r.kind for r in decisions.results] == ["decision"]
    assert _search(q="hospital", outcome="referred").total == 0
    held = timezone.localdate(world.held.starts_at)
    assert _search(q="hospital", date_from=held, date_to=held).total >= 4
    later = held + datetime.timedelta(days=1)
    assert _search(q="hospital", date_from=later).total == 0
    assert _search(q="hospital", kind="minutes").total == 1


def test_browsing_without_words_lists_by_date(world):
    page = _search(outcome="carried")
    assert page.total == 1
    assert page.results[0].kind == "decision"


def test_a_decision_whose_item_becomes_confidential_disappears(world):
    """Visibility is judged on the record as it is now, not when indexed."""
    assert _search(q="hospital discharge").total >= 4
    AgendaItem.objects.filter(pk=world.public_item.pk).update(confidential=True)
    assert _search(q="hospital discharge").total == 0


def test_a_result_page_costs_the_same_queries_whatever_its_size(world):
    """Constant queries: permitted boards (signed in), count, ids, rows."""
    member = world.member
    with CaptureQueriesContext(connection) as few:
        _search(member, q="hospital")
    meeting = world.held
    for n in range(25):
        AgendaItem.objects.create(
            meeting=meeting, order=10 + n, title=f"Hospital discharge item {n}"
        )
    with CaptureQueriesContext(connection) as many:
        page = _search(member, q="hospital")
    assert page.total > search.PAGE_SIZE
    assert len(many) == len(few) <= 4


def test_the_search_page_for_a_visitor(client, world):
    response = client.get("/public/search/", {"q": "hospital discharge"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>" in body
    assert PUBLIC["item"] in body.replace("<mark>", "").replace("</mark>", "")


def test_bad_filters_are_a_message_not_an_error(client, world):
    response = client.get("/public/search/", {"q": "x", "date_from": "31/31/2020"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_terms_and_snippets_of_the_fallback():
    assert search.terms('Hospital "delayed discharge" -bed, and') == [
        "hospital",
        "delayed discharge",
    ]
    text = "x " * 200 + "the Hospital <b>discharge</b> team " + "y " * 200
    snippet = search.snippet(text, ["hospital", "discharge"])
    assert "<mark>Hospital</mark>" in snippet
    assert "&lt;b&gt;<mark>discharge</mark>&lt;/b&gt;" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_every_record_has_its_document(world):
    assert SearchDocument.objects.filter(kind="meeting").count() == (
        Meeting.objects.count()
    )
    assert SearchDocument.objects.filter(kind="decision").count() == (
        Motion.objects.filter(status="closed").count()
    )


def test_the_board_filter_offers_what_the_person_may_search(world):
    assert list(search.searchable_boards(None)) == [world.published]
    assert set(search.searchable_boards(world.member)) == {
        world.published,
        world.hidden,
    }
