"""The public pages (issue 19): open without sign-in, exempt items shown only as
"exempt", minutes once circulated, the organisation's name and logo; and the board's
publication setting, which only its secretaries and administrators change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import Role
from meetings.models import AgendaItem
from publication.models import BoardPublication
from tests.governance.factories import UserFactory

from .world import PUBLIC, SECRETS

EXEMPT_3 = "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"


def _text(response) -> str:
    return response.content.decode()


def test_the_index_lists_published_boards_with_the_organisation(
    client, world, settings
):
    settings.ORGANISATION_NAME = "Lighthouse City Council"
    body = _text(client.get("/public/"))
    assert "Lighthouse City Council" in body
    assert 'src="/static/publication/img/logo.svg"' in body
    assert PUBLIC["board"] in body
    assert SECRETS["hidden_board"] not in body


def test_the_meeting_page_shows_the_agenda_with_the_exempt_item_as_a_label(
    client, world
):
    body = _text(client.get(f"/public/meetings/{world.held.pk}/"))
    assert PUBLIC["item"] in body and PUBLIC["paper"] in body
    assert f"2. {EXEMPT_3}" in body  # the paragraph that exempts it, in its place
    assert "Attendance" in body and "Finance lead" in body
    assert f"/public/meetings/{world.held.pk}/minutes/" in body


def test_an_agenda_not_issued_shows_the_date_only(client, world):
    meeting = world.objects["unissued"]
    body = _text(client.get(f"/public/meetings/{meeting.pk}/"))
    assert "The agenda has not been issued yet." in body
    assert SECRETS["unissued_item"] not in body


def test_the_minutes_page_is_the_circulated_version_without_exempt_business(
    client, world
):
    body = _text(client.get(f"/public/meetings/{world.held.pk}/minutes/"))
    assert PUBLIC["minutes"] in body
    assert "to be confirmed as a true record at the next meeting" in body
    assert SECRETS["confidential_minutes"] not in body
    assert "1 item taken as exempt business is not published" in body
    assert EXEMPT_3 in body


def test_draft_minutes_are_not_published(client, world):
    meeting = world.objects["drafted"]
    assert client.get(f"/public/meetings/{meeting.pk}/minutes/").status_code == 404


def test_an_item_made_confidential_after_circulation_leaves_the_minutes(client, world):
    AgendaItem.objects.filter(pk=world.public_item.pk).update(confidential=True)
    body = _text(client.get(f"/public/meetings/{world.held.pk}/minutes/"))
    assert PUBLIC["minutes"] not in body
    assert client.get(f"/public/items/{world.public_item.pk}/").status_code == 404
    assert client.get(f"/public/papers/{world.public_paper.pk}/").status_code == 404


def test_the_item_decision_and_paper_pages(client, world):
    item = _text(client.get(f"/public/items/{world.public_item.pk}/"))
    assert PUBLIC["motion"] in item and PUBLIC["minutes"] in item
    decision = _text(client.get(f"/public/decisions/{world.public_motion.pk}/"))
    assert "Carried" in decision and "Quorate when the decision was taken" in decision
    paper = client.get(f"/public/papers/{world.public_paper.pk}/")
    assert paper["Content-Type"] == "application/pdf"
    assert b"".join(paper.streaming_content).startswith(b"%PDF-")


def test_a_late_paper_not_authorised_is_not_found(client, world):
    late = world.objects["issued"].items.get().papers.get()
    assert client.get(f"/public/papers/{late.pk}/").status_code == 404


def test_an_unpublished_board_is_not_found_anywhere(client, world):
    assert client.get(f"/public/boards/{world.hidden.pk}/").status_code == 404
    meeting = world.hidden.meetings.first()
    assert client.get(f"/public/meetings/{meeting.pk}/").status_code == 404


def test_stopping_publication_takes_everything_down_at_once(client, world):
    BoardPublication.objects.filter(board=world.published).update(published=False)
    assert client.get(f"/public/meetings/{world.held.pk}/").status_code == 404
    assert client.get("/api/v1/public/search/?q=hospital").json()["count"] == 0


@pytest.mark.parametrize("extra", [0, 15])
def test_meeting_and_board_pages_in_constant_queries(client, world, extra):
    for n in range(extra):
        AgendaItem.objects.create(meeting=world.held, order=20 + n, title=f"Item {n}")
    with CaptureQueriesContext(connection) as meeting_page:
        client.get(f"/public/meetings/{world.held.pk}/")
    with CaptureQueriesContext(connection) as board_page:
        client.get(f"/public/boards/{world.published.pk}/")
    # meeting, items, their papers, attendance, minutes (+ session-less request)
    assert len(meeting_page) <= 6
    # board (publication joined), coming meetings, how many past meetings, one page
    # of them, which have published minutes, partners, latest decisions
    assert len(board_page) == 7


def test_the_board_page_shows_past_meetings_a_page_at_a_time(
    client, world, monkeypatch
):
    from publication import selectors

    url = f"/public/boards/{world.published.pk}/"
    everything = client.get(url).context["past"]
    assert everything.paginator.count >= 2 and not everything.has_other_pages()
    monkeypatch.setattr(selectors, "PAST_MEETINGS_PAGE", 1)
    first = client.get(url)
    assert [m.pk for m in first.context["past"]] == [everything[0].pk]
    body = first.content.decode()
    assert 'aria-label="Pages of past meetings"' in body
    assert 'href="?page=2#past" rel="next"' in body
    second = client.get(url, {"page": 2}).context["past"]
    assert [m.pk for m in second] == [everything[1].pk]


# --- the setting, for the board's secretaries ------------------------------------


def test_the_board_page_shows_the_setting_and_its_source(client, world):
    client.force_login(world.secretary)
    body = _text(client.get(f"/boards/{world.published.pk}/"))
    assert "Lighthouse ToR 9.1" in body
    assert f"/publication/boards/{world.published.pk}/" in body


def test_a_secretary_publishes_a_board_with_its_source(client, world):
    client.force_login(world.secretary)
    url = f"/publication/boards/{world.hidden.pk}/"
    refused = client.post(url, {"published": "on"})
    assert refused.status_code == 200
    assert "Give the document and paragraph" in _text(refused)
    response = client.post(
        url,
        {
            "published": "on",
            "decided_by": "the board, minute 12",
            "decided_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    row = BoardPublication.objects.get(board=world.hidden)
    assert row.published and row.source_text.startswith("local practice")
    assert row.history.count() == 2


def test_a_member_may_not_change_the_setting_and_a_visitor_signs_in(client, world):
    url = f"/publication/boards/{world.published.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(world.member)
    assert client.post(url, {"published": ""}).status_code == 403
    client.force_login(UserFactory(role=Role.AUDITOR))
    assert client.post(url, {"published": ""}).status_code == 403
    assert BoardPublication.objects.get(board=world.published).published


def test_meetings_coming_up_are_listed_with_their_date(client, world):
    body = _text(client.get(f"/public/boards/{world.published.pk}/"))
    coming = timezone.localtime(world.objects["unissued"].starts_at)
    assert coming.strftime("%-d %B %Y") in body


def test_saving_the_same_setting_again_writes_no_history(world):
    from publication.services.publication import board_publication_set

    row = BoardPublication.objects.get(board=world.published)
    before = row.history.count()
    board_publication_set(
        board=world.published, published=True, source="Lighthouse ToR 9.1"
    )
    assert row.history.count() == before
