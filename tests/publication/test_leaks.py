"""Nothing confidential or unpublished reaches any public page, feed, export, JSON
answer or search result (issue 19).

The walk builds the record of ``world.py`` (a confidential item with its motion,
paper and minutes; a board that does not publish; an agenda not issued; a late paper
nobody authorised; draft minutes), then requests every public URL with the id of
every record, as a visitor and as a signed-in person from another board, and every
search of every secret word. No answer may hold a secret; the public record must
appear (so the walk read real pages). A public URL added later without a place in
the walk fails ``test_the_walk_covers_every_public_url``.

It runs on the database of the session (PostgreSQL in CI) and, from
``test_leaks_sqlite.py``, again on SQLite in a subprocess, so both search engines
are walked.
"""

import os

from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

from meetings.models import AgendaItem, Meeting, Motion, Paper
from publication.models import Subscription
from tests.governance.factories import UserFactory

from .world import PUBLIC, SECRETS

# Routes of the public namespace and the public API, by the id they take.
BY_BOARD = [
    "/public/boards/{}/",
    "/public/boards/{}/decisions/",
    "/public/boards/{}/decisions.csv",
    "/public/boards/{}/feed.atom",
    "/public/boards/{}/meetings.ics",
    "/api/v1/public/boards/{}/",
    "/api/v1/public/decisions/?board={}",
]
BY_MEETING = [
    "/public/meetings/{}/",
    "/public/meetings/{}/minutes/",
    "/api/v1/public/meetings/{}/",
]
BY_ITEM = ["/public/items/{}/", "/api/v1/public/items/{}/"]
BY_DECISION = ["/public/decisions/{}/", "/api/v1/public/decisions/{}/"]
BY_PAPER = ["/public/papers/{}/"]
BY_TOKEN = [
    "/public/subscriptions/{}/confirm/",
    "/public/subscriptions/{}/end/",
]
FIXED = [
    "/public/",
    "/public/feed.atom",
    "/public/search/",
    "/api/v1/public/boards/",
    "/api/v1/public/decisions/",
]
SEARCHES = ["/public/search/?q={}", "/api/v1/public/search/?q={}"]
# Routes that only take a POST (nothing to read).
POST_ONLY = {"/public/boards/{}/follow/"}
SECRET_WORDS = sorted(SECRETS.values())


def _routes() -> set[str]:
    """Every route of /public/ and /api/v1/public/, ids as ``{}``."""
    import re

    found = set()

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = "/" + prefix + str(entry.pattern)
                if route.startswith(("/public/", "/api/v1/public/")):
                    found.add(re.sub(r"<(?:\w+:)?\w+>", "{}", route))

    walk(get_resolver())
    return found


def test_the_walk_covers_every_public_url():
    walked = {
        url.split("?")[0]
        for url in BY_BOARD
        + BY_MEETING
        + BY_ITEM
        + BY_DECISION
        + BY_PAPER
        + BY_TOKEN
        + FIXED
        + SEARCHES
    } | POST_ONLY
    assert _routes() - walked == set()


def _urls(world) -> list[str]:
    ids = {
        "board": [world.published.pk, world.hidden.pk],
        "meeting": list(Meeting.objects.values_list("pk", flat=True)),
        "item": list(AgendaItem.objects.values_list("pk", flat=True)),
        "decision": list(Motion.objects.values_list("pk", flat=True)),
        "paper": list(Paper.objects.values_list("pk", flat=True)),
    }
    sub = Subscription.objects.create(
        board=world.published, email="resident@example.org"
    )
    urls = list(FIXED)
    for routes, key in (
        (BY_BOARD, "board"),
        (BY_MEETING, "meeting"),
        (BY_ITEM, "item"),
        (BY_DECISION, "decision"),
        (BY_PAPER, "paper"),
    ):
        urls += [route.format(pk) for route in routes for pk in ids[key]]
    urls += [route.format(sub.token) for route in BY_TOKEN]
    words = SECRET_WORDS + [PUBLIC["item"], "hospital discharge", "contract"]
    urls += [route.format(w.replace(" ", "+")) for route in SEARCHES for w in words]
    urls += [
        f"/public/search/?q={w.split()[0]}&kind={kind}"
        for w in SECRET_WORDS
        for kind in ("item", "decision", "paper", "minutes", "meeting")
    ]
    return urls


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace").lower()


def _searched(url: str) -> str:
    """The words a search URL asked for (the page repeats them back)."""
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(url).query).get("q", [""])[0].lower()


def _walk(client, world) -> tuple[list[str], str]:
    leaks, seen = [], []
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        body = _body(response)
        query = _searched(url)
        if query in [w.lower() for w in SECRET_WORDS] or (
            query and any(w.lower().startswith(query) for w in SECRET_WORDS)
        ):
            # A search for a secret: the page says the words back, and must find
            # nothing at all.
            if url.startswith("/api/"):
                found = response.json()["count"]
            else:
                found = 0 if ">0 results" in body else "some"
            if found:
                leaks.append(f"{url}: {found} result(s)")
            body = body.replace(query, "")
        seen.append(body)
        for word in SECRET_WORDS:
            if word.lower() in body:
                leaks.append(f"{url}: {word!r}")
    return leaks, "\n".join(seen)


def test_engine_is_the_one_expected():
    """The SQLite run (``test_leaks_sqlite.py``) really runs on SQLite."""
    expected = os.environ.get("PUBLICATION_EXPECT_VENDOR")
    if expected:
        assert connection.vendor == expected


def test_a_visitor_finds_nothing_confidential_or_unpublished(client, world):
    leaks, seen = _walk(client, world)
    assert leaks == []
    for word in PUBLIC.values():
        assert word.lower() in seen, word
    assert "exempt" in seen


def test_a_signed_in_person_from_another_board_finds_nothing_either(client, world):
    """Signed in, a member of an unrelated board searches and reads the public
    pages: the confidential items and the unpublished board stay out."""
    client.force_login(UserFactory(email="stranger@elsewhere.example"))
    leaks, seen = _walk(client, world)
    assert leaks == []
    assert PUBLIC["paper_text"] in seen


def test_the_walk_sees_a_leak_when_there_is_one(client, world):
    """Not vacuous: publishing the hidden board shows its record."""
    from publication.services.publication import board_publication_set

    with transaction.atomic():
        board_publication_set(board=world.hidden, published=True, source="test")
        leaks, _ = _walk(client, world)
        transaction.set_rollback(True)
    assert any(SECRETS["hidden_item"].lower() in leak.lower() for leak in leaks)
