"""The demo publishes the Portsmouth PMG and the West Kent Section 75 Group (issue
19): their meetings' non-confidential records are open without sign-in; searching
"hospital discharge" finds the PMG's redistribution decision and its paper; the
confidential community equipment contract award appears on no public page, feed,
export or search result."""

import pytest
from django.db import transaction

from boards.models import Board
from meetings.models import AgendaItem, Meeting
from publication.models import BoardPublication
from tests.demo_copy import load_demo

from .test_leaks import BY_BOARD, SEARCHES, _body, _searched

PMG = "Better Care & Integrated Commissioning Service Partnership Management Group"
WEST_KENT = "West Kent Section 75 Group"


@pytest.fixture(scope="module")
def _media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker, _media):
    from django.test import override_settings

    with (
        override_settings(MEDIA_ROOT=_media),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo, _media, db, settings):
    settings.MEDIA_ROOT = _media


def test_the_demo_publishes_the_pmg_and_the_west_kent_group(demo):
    published = set(
        BoardPublication.objects.filter(published=True).values_list(
            "board__name", flat=True
        )
    )
    assert published == {PMG, WEST_KENT}
    for row in BoardPublication.objects.filter(published=True):
        assert row.source_text


def test_their_meetings_records_are_open_without_sign_in(client, demo):
    for name in (PMG, WEST_KENT):
        board = Board.objects.get(name=name)
        page = client.get(f"/public/boards/{board.pk}/")
        assert page.status_code == 200
        held = Meeting.objects.filter(board=board, status="closed").first()
        response = client.get(f"/public/meetings/{held.pk}/")
        assert response.status_code == 200
        public_item = AgendaItem.objects.filter(
            meeting=held, confidential=False
        ).first()
        assert public_item.title in response.content.decode()
    other = Board.objects.exclude(name__in=[PMG, WEST_KENT]).first()
    assert client.get(f"/public/boards/{other.pk}/").status_code == 404


def test_hospital_discharge_finds_the_redistribution_decision_and_its_paper(
    client, demo
):
    response = client.get("/api/v1/public/search/?q=hospital+discharge")
    results = response.json()["results"]
    kinds = {(r["kind"], r["board"]) for r in results}
    titles = " ".join(r["title"] for r in results).lower()
    assert ("paper", "Portsmouth PMG") in kinds, results
    assert ("decision", "Portsmouth PMG") in kinds, results
    assert "redistribution" in titles


def test_the_demo_never_shows_the_community_equipment_contract_award(client, demo):
    """The demo's confidential PMG item, its motion and its value appear on no
    public page, feed, export or search result."""
    words = ["community equipment contract", "preferred bidder", "480,000", "480000"]
    urls = ["/public/", "/public/feed.atom", "/api/v1/public/decisions/?limit=500"]
    for row in BoardPublication.objects.filter(published=True):
        urls += [route.format(row.board_id) for route in BY_BOARD]
    urls += [
        f"/public/meetings/{pk}/" for pk in Meeting.objects.values_list("pk", flat=True)
    ]
    urls += [
        f"/public/items/{pk}/" for pk in AgendaItem.objects.values_list("pk", flat=True)
    ]
    urls += [
        f"/api/v1/public/meetings/{pk}/"
        for pk in Meeting.objects.values_list("pk", flat=True)
    ]
    urls += [
        route.format(q)
        for route in SEARCHES
        for q in ("community+equipment+contract", "preferred+bidder", "equipment")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = _body(response).replace(_searched(url), "")
        for word in words:
            assert word not in body, (url, word)
