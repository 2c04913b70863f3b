"""Machine-readable records (issue 19): the Atom 1.0 feed of new decisions and
published minutes validates (RFC 4287), the CSV of a board's decisions reads back,
and the iCalendar of its meetings parses; none holds anything withheld."""

import csv
import io

from icalendar import Calendar

from .atom import atom_problems
from .world import PUBLIC, SECRETS

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_board_feed_is_valid_atom(client, world):
    response = client.get(f"/public/boards/{world.published.pk}/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_problems(response.content) == []


def test_the_feed_has_the_decision_and_the_minutes(client, world):
    import xml.etree.ElementTree as ET

    root = ET.fromstring(client.get("/public/feed.atom").content)  # noqa: S314
    entries = root.findall(ATOM + "entry")
    links = [e.find(ATOM + "link").get("href") for e in entries]
    assert any(f"/public/decisions/{world.public_motion.pk}/" in h for h in links)
    assert any(f"/public/meetings/{world.held.pk}/minutes/" in h for h in links)
    titles = " ".join(e.find(ATOM + "title").text for e in entries)
    assert PUBLIC["item"] in titles
    body = client.get("/public/feed.atom").content.decode()
    assert atom_problems(body.encode()) == []
    for word in SECRETS.values():
        assert word not in body


def test_the_checker_sees_an_invalid_feed():
    """Not vacuous: a feed missing its id and with a bad date is refused."""
    bad = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        b"<updated>yesterday</updated><entry><title>y</title></entry></feed>"
    )
    problems = atom_problems(bad)
    assert "feed: needs exactly one atom:id" in problems
    assert any("RFC 3339" in p for p in problems)
    assert any(p.startswith("entry 1") for p in problems)


def test_the_feed_of_an_unpublished_board_is_not_found(client, world):
    assert client.get(f"/public/boards/{world.hidden.pk}/feed.atom").status_code == 404


def test_the_decisions_csv(client, world):
    response = client.get(f"/public/boards/{world.published.pk}/decisions.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["decision_id"] for r in rows] == [str(world.public_motion.pk)]
    row = rows[0]
    assert row["item"] == PUBLIC["item"]
    assert row["outcome"] == "carried"
    assert row["votes_for"] == "2"
    assert row["url"].endswith(f"/public/decisions/{world.public_motion.pk}/")


def test_a_csv_cell_never_starts_a_formula(client, world):
    from meetings.models import AgendaItem

    item = world.public_item
    AgendaItem.objects.filter(pk=item.pk).update(title='=HYPERLINK("http://x")')
    text = client.get(
        f"/public/boards/{world.published.pk}/decisions.csv"
    ).content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["item"].startswith("'=")


def test_the_calendar_of_published_meetings(client, world):
    response = client.get(f"/public/boards/{world.published.pk}/meetings.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 4
    urls = {str(e.get("url")) for e in events}
    assert any(f"/public/meetings/{world.held.pk}/" in u for u in urls)
    body = response.content.decode()
    for word in SECRETS.values():
        assert word not in body.replace("\r\n ", "")
    # The exempt item keeps its number on the agenda and shows only its paragraph.
    [held] = [
        e for e in events if f"/public/meetings/{world.held.pk}/" in str(e["url"])
    ]
    assert (
        "2. Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"
        in str(held["description"])
    )
