"""Time the minutes PDF of a meeting with 40 items and 30 seats, and the agenda pack
with 10 papers of 20 pages each, beside the time WeasyPrint alone takes for the same
HTML.

    .venv/bin/python bench/bench_pdf.py                 # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/bench_pdf.py

Runs in a throwaway test database (``test_<NAME>``), created without migrations and
dropped afterwards. The meeting: 30 seats (2 partners, all present), 40 items, half
for decision with a motion and 30 votes each, a declaration per item, an action per
item, a narrative per item. Prints the median of 3 runs for: building the record
from the database, rendering the HTML template, WeasyPrint alone on that HTML, and
the whole minutes PDF; then for the pack: WeasyPrint alone on the cover and agenda
HTML, the cover with the papers merged as they are (the floor), and the whole pack
(page references, 200 stamped pages merged with pypdf, bookmarks) with its ratio to
that floor (issue 17's target: <= 1.5), timed interleaved with the floor.

    BENCH_PACK_ONLY=1 BENCH_RUNS=9 .venv/bin/python bench/bench_pdf.py   # the pack only
"""

import io
import logging
import os
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
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PACK_ONLY = os.environ.get("BENCH_PACK_ONLY") == "1"
ITEMS = 40
SEATS = 30
PAPERS = 10
PAPER_PAGES = 20

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def timed(fn, runs=RUNS):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def build():
    import datetime

    from django.utils import timezone

    from boards.models import Board, Partner, Seat
    from governance.models import Role, User
    from meetings.models import (
        Action,
        AgendaItem,
        Attendance,
        Declaration,
        Meeting,
        Motion,
        Vote,
    )

    secretary = User.objects.create_user(
        "sec@example.org", name="Secretary", role=Role.SECRETARY
    )
    partners = [
        Partner.objects.create(name="Bench council", kind="local_authority"),
        Partner.objects.create(name="Bench CCG", kind="nhs_body"),
    ]
    board = Board.objects.create(name="Bench board", short_name="BB")
    board.partners.set(partners)
    meeting = Meeting.objects.create(
        board=board,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        status=Meeting.Status.CLOSED,
    )
    seats = []
    for n in range(SEATS):
        holder = User.objects.create_user(f"m{n}@example.org", name=f"Member {n}")
        seat = Seat.objects.create(
            board=board,
            title=f"Seat {n}",
            partner=partners[n % 2],
            holder=holder,
            order=n,
        )
        seats.append(seat)
        Attendance.objects.create(
            meeting=meeting, seat=seat, status="present", attendee=holder
        )
    for n in range(ITEMS):
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=n,
            title=f"Item {n}: a report of moderate length on scheme {n}",
            kind="decision" if n % 2 == 0 else "information",
        )
        Declaration.objects.create(
            item=item,
            seat=seats[n % SEATS],
            person=seats[n % SEATS].holder,
            interest="Spouse employed by a provider.",
        )
        Action.objects.create(
            meeting=meeting,
            item=item,
            description=f"Report back on scheme {n}.",
            owner=seats[n % SEATS].holder,
        )
        if n % 2 == 0:
            motion = Motion.objects.create(
                item=item,
                text=f"That the board approves proposal {n}.",
                status="closed",
                outcome="carried",
                quorum_snapshot={"quorate": True, "unmet": []},
            )
            Vote.objects.bulk_create(
                Vote(motion=motion, seat=s, choice="for", cast_by=s.holder)
                for s in seats
            )
    return meeting, secretary


def paper(pages: int, label: str) -> bytes:
    from meetings import pdf

    body = "".join(
        f"<h1>{label}</h1><p>Page {n}.</p>"
        + "<p>Lorem ipsum dolor sit amet. </p>" * 30
        + '<p class="break"></p>'
        for n in range(pages)
    )
    return pdf.html_to_pdf(f"<style>.break{{break-after:page}}</style>{body}")


def plain_merge(cover_html, css, papers) -> bytes:
    """The floor for the pack: the cover rendered once and the papers appended as
    they are (no page numbers, no bookmarks)."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    cover = HTML(string=cover_html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[css]
    )
    writer = PdfWriter()
    for content in (cover, *papers):
        writer.append(PdfReader(io.BytesIO(content)), import_outline=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def run():
    from pypdf import PdfReader
    from weasyprint import CSS, HTML

    from meetings import pdf
    from meetings.record import meeting_record

    meeting, _ = build()
    narratives = {
        i: "The board discussed the report at length. " * 8
        for i in meeting.items.values_list("pk", flat=True)
    }
    css = CSS(filename=str(Path(settings.BASE_DIR) / "static/meetings/css/pdf.css"))
    version = {"number": 1, "status": "Circulated"}

    if PACK_ONLY:
        return pack_bench(meeting, css)
    t_record, record = timed(
        lambda: meeting_record(
            meeting, include_confidential=True, narratives=narratives
        )
    )
    t_html, html = timed(lambda: pdf.minutes_html(record, draft=False, version=version))
    t_weasy, alone = timed(
        lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[css]
        )
    )
    del alone
    t_total, content = timed(
        lambda: pdf.minutes_pdf(
            meeting_record(meeting, include_confidential=True, narratives=narratives),
            draft=False,
            version=version,
        )
    )
    pages = len(PdfReader(io.BytesIO(content)).pages)
    print(
        f"Minutes: {ITEMS} items, {SEATS} seats, {pages} pages "
        f"(median of {RUNS}, {connection.vendor})"
    )
    print(f"  record from the database   {t_record:7.3f} s")
    print(f"  HTML template              {t_html:7.3f} s")
    print(f"  WeasyPrint alone           {t_weasy:7.3f} s")
    print(f"  whole minutes PDF          {t_total:7.3f} s")

    pack_bench(meeting, css)


def pack_bench(meeting, css):
    from django.template.loader import render_to_string
    from pypdf import PdfReader
    from weasyprint import HTML

    from meetings import pdf
    from meetings.services.minutes_jobs import pack_meeting

    papers = [paper(PAPER_PAGES, f"Paper {n}") for n in range(PAPERS)]
    items = [
        pdf.PackItem(
            number=n + 1,
            title=f"Item {n + 1}",
            kind="For decision",
            papers=[pdf.PackPaper(title=f"Paper {n + 1}", content=papers[n])],
        )
        for n in range(PAPERS)
    ]
    meta = pack_meeting(meeting)
    cover_html = render_to_string(
        "meetings/pdf/agenda_cover.html", {"meeting": meta, "items": items}
    )
    t_cover, _ = timed(
        lambda: HTML(string=cover_html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[css]
        )
    )
    # Interleaved, so a change in the machine's load hits both alike (2 shared
    # cores): the ratio printed is the median of each run's own ratio.
    plains, packs = [], []
    for _ in range(RUNS):
        plains.append(timed(lambda: plain_merge(cover_html, css, papers), runs=1)[0])
        t, pack = timed(lambda: pdf.agenda_pack(meta, items), runs=1)
        packs.append(t)
    t_plain, t_pack = statistics.median(plains), statistics.median(packs)
    ratio = statistics.median(p / q for p, q in zip(packs, plains, strict=True))
    pack_pages = len(PdfReader(io.BytesIO(pack)).pages)
    print(
        f"Agenda pack: {PAPERS} papers x {PAPER_PAGES} pages, {pack_pages} pages, "
        f"{len(pack) / 1e6:.1f} MB (median of {RUNS})"
    )
    print(f"  WeasyPrint alone (cover)   {t_cover:7.3f} s")
    print(f"  cover + plain merge        {t_plain:7.3f} s")
    print(f"  whole pack                 {t_pack:7.3f} s")
    print(f"  pack / (cover + merge)     {ratio:7.2f}   (target <= 1.5)")


def main() -> None:
    import tempfile

    settings.MIGRATION_MODULES = _NoMigrations()
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-media-"))
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
