"""Time full-text search of the published record at the scale of a large council:
20 boards (half of them publishing), 50 held meetings each, 12 items a meeting (one
in six confidential), a decision on half the items, minutes for every item, a paper
of ~2,500 characters on every item: 43,000 search documents. Figures and what they
show: docs/guide-publication.md ("How fast").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/bench_search.py
    .venv/bin/python bench/bench_search.py          # SQLite: the fallback search

Runs in a throwaway test database (``test_<NAME>``, tables from the models, the GIN
index of migration publication 0002 added on PostgreSQL), dropped afterwards. Prints,
per query, the median and 90th percentile of 20 searches (a visitor, and a member of
two boards) and of 20 requests of /public/search/ through the Django test client, and
the SQL queries per search. BENCH_EXPLAIN=1 prints the time of each query of one
search instead.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

BOARDS, MEETINGS, ITEMS = 20, 50, 12
RUNS = 20
QUERIES = ["hospital discharge", "equipment", '"delayed transfers of care"', "zz-none"]
WORDS = (
    "care discharge hospital equipment pooled fund scheme budget forecast outturn "
    "variance carers reablement dementia housing grant disabled facilities social "
    "prescribing admissions permanent residential nursing home support community "
    "nurses therapy falls prevention delayed transfers of care winter pressures "
    "workforce recruitment contract provider tender market quality assurance"
).split()


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build():
    import datetime

    from django.contrib.postgres.search import SearchVector
    from django.utils import timezone

    from boards.models import Board, Partner
    from governance.models import User
    from meetings.models import AgendaItem, Meeting, MinutesVersion, Motion, Paper
    from publication.models import BoardPublication, SearchDocument
    from publication.services.index import search_config, uses_postgres

    rng = random.Random(19)
    Kind = SearchDocument.Kind
    partner = Partner.objects.create(name="Bench council", kind="local_authority")
    member = User.objects.create(email="member@bench.example", name="Member")
    now = timezone.now()
    docs = []
    for b in range(BOARDS):
        board = Board.objects.create(name=f"Bench board {b}")
        board.partners.add(partner)
        BoardPublication.objects.create(board=board, published=b % 2 == 0, source="b")
        if b < 2:
            board.secretaries.add(member)
        meetings = Meeting.objects.bulk_create(
            Meeting(
                board=board,
                starts_at=now - datetime.timedelta(days=14 * m + 1),
                status="closed",
                agenda_published_at=now - datetime.timedelta(days=14 * m + 10),
            )
            for m in range(MEETINGS)
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                order=i,
                title=_text(rng, 6).capitalize(),
                confidential=i % 6 == 5,
            )
            for meeting in meetings
            for i in range(ITEMS)
        )
        motions = Motion.objects.bulk_create(
            Motion(
                item=item,
                text="That " + _text(rng, 25),
                status="closed",
                outcome="carried",
                closed_at=item.meeting.starts_at,
            )
            for item in items[::2]
        )
        versions = {
            v.meeting_id: v
            for v in MinutesVersion.objects.bulk_create(
                MinutesVersion(meeting=meeting, status="confirmed", created_by=member)
                for meeting in meetings
            )
        }
        for meeting in meetings:
            docs.append(
                SearchDocument(
                    kind=Kind.MEETING,
                    board=board,
                    meeting=meeting,
                    title=board.name,
                    body="Town Hall",
                    date=meeting.starts_at,
                )
            )
        for item in items:
            common = {
                "board": board,
                "meeting": item.meeting,
                "item": item,
                "date": item.meeting.starts_at,
            }
            docs.append(
                SearchDocument(kind=Kind.ITEM, title=item.title, body="", **common)
            )
            docs.append(
                SearchDocument(
                    kind=Kind.MINUTES,
                    minutes_version=versions[item.meeting_id],
                    title=item.title,
                    body=_text(rng, 60),
                    **common,
                )
            )
        for motion in motions:
            docs.append(
                SearchDocument(
                    kind=Kind.DECISION,
                    board=board,
                    meeting=motion.item.meeting,
                    item=motion.item,
                    motion=motion,
                    title=motion.item.title,
                    body=motion.text,
                    date=motion.closed_at,
                    outcome="carried",
                )
            )
    SearchDocument.objects.bulk_create(docs, batch_size=2000)
    # Papers: one per item, ~2,500 characters of text (the files are not needed
    # to time the search).
    papers = Paper.objects.bulk_create(
        (
            Paper(
                item=item,
                title="Report: " + item.title,
                file=f"papers/bench/{item.pk}.pdf",
                content_type="application/pdf",
                uploaded_by=member,
            )
            for item in AgendaItem.objects.select_related("meeting")
        ),
        batch_size=2000,
    )
    paper_docs = [
        SearchDocument(
            kind=Kind.PAPER,
            board_id=paper.item.meeting.board_id,
            meeting=paper.item.meeting,
            item=paper.item,
            paper=paper,
            title=paper.title,
            body=_text(rng, 350),
            date=paper.item.meeting.starts_at,
        )
        for paper in papers
    ]
    SearchDocument.objects.bulk_create(paper_docs, batch_size=2000)
    if uses_postgres():
        SearchDocument.objects.update(
            search_vector=SearchVector("title", weight="A", config=search_config())
            + SearchVector("body", weight="B", config=search_config())
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX ON publication_searchdocument USING gin (search_vector)"
            )
            cursor.execute("ANALYZE publication_searchdocument")
    return member, SearchDocument.objects.count()


def _time(fn) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def run():
    from django.test import Client

    from publication import search

    member, documents = build()
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite fallback"
    print(f"{documents} search documents, {engine}, {os.cpu_count()} CPU(s)")
    print(
        f"{'query':<28} {'hits':>6} {'visitor p50/p90 ms':>20} "
        f"{'member p50/p90 ms':>19} {'page p50/p90 ms':>17} {'queries':>8}"
    )
    client = Client()
    if os.environ.get("BENCH_EXPLAIN"):
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                search.search(None, search.Filters(q=QUERIES[0]))
            print([(q["sql"][:60], q["time"]) for q in queries.captured_queries])
        return
    for q in QUERIES:
        filters = search.Filters(q=q)
        hits = search.search(None, filters).total
        visitor = _time(lambda f=filters: search.search(None, f))
        signed_in = _time(lambda f=filters: search.search(member, f))
        page = _time(lambda q=q: client.get("/public/search/", {"q": q}))
        with CaptureQueriesContext(connection) as queries:
            search.search(member, filters)
        print(
            f"{q:<28} {hits:>6} {visitor[0]:>9.1f}/{visitor[1]:<9.1f} "
            f"{signed_in[0]:>9.1f}/{signed_in[1]:<8.1f} {page[0]:>8.1f}/{page[1]:<8.1f}"
            f" {len(queries):>7}"
        )


def main() -> None:
    settings.MIGRATION_MODULES = _NoMigrations()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
