"""Time the secretary's meeting page for a board of 5 and of 50 seats.

    .venv/bin/python bench/bench_meeting_page.py                 # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/bench_meeting_page.py

Runs in a throwaway test database (``test_<NAME>``), created without migrations
and dropped afterwards. For each size: a board with that many seats (half
present, a quarter by notified deputy), an agenda of 40 items (half for decision
with a motion, each with a paper and a declaration), 20 actions. Prints the median
and the 90th percentile of 25 requests through the Django test client (the full
middleware stack, templates included), and the number of SQL queries per request.
"""

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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REQUESTS = 25
ITEMS = 40


def _blank_pdf() -> bytes:
    """A real one-page PDF: papers are opened with pypdf at upload."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


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


def build(seats: int):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from boards.models import Board, Partner, QuorumRule, Seat
    from governance.models import Role, User
    from meetings.models import Action, Declaration, Meeting
    from meetings.services.agenda import MotionInput, item_add
    from meetings.services.attendance import AttendanceChange, attendance_record_many
    from meetings.services.papers import paper_upload

    tag = f"b{seats}"
    secretary = User.objects.create_user(
        f"sec-{tag}@example.org", name="Secretary", role=Role.SECRETARY
    )
    partners = [
        Partner.objects.create(name=f"{tag} council", kind="local_authority"),
        Partner.objects.create(name=f"{tag} CCG", kind="nhs_body"),
    ]
    board = Board.objects.create(name=f"Bench board {tag}")
    board.partners.set(partners)
    board.secretaries.add(secretary)
    QuorumRule.objects.create(board=board, min_voting_per_partner=1, min_present=3)
    meeting = Meeting.objects.create(
        board=board, starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    seat_rows = []
    for n in range(seats):
        holder = User.objects.create_user(f"h{n}-{tag}@example.org", name=f"Holder {n}")
        deputy = User.objects.create_user(f"d{n}-{tag}@example.org", name=f"Deputy {n}")
        seat_rows.append(
            Seat.objects.create(
                board=board,
                title=f"Seat {n}",
                partner=partners[n % 2],
                voting=n % 3 != 0,
                holder=holder,
                deputy=deputy,
                deputy_notified_on=timezone.localdate(),
                order=n,
            )
        )
    changes = [
        AttendanceChange(seat, "present" if n % 4 else "deputy")
        for n, seat in enumerate(seat_rows[: seats // 2 + 1])
    ]
    attendance_record_many(meeting=meeting, changes=changes, by=secretary)
    for n in range(ITEMS):
        motion = MotionInput(text=f"That proposal {n} is approved.") if n % 2 else None
        item = item_add(
            meeting=meeting,
            title=f"Item {n}",
            business_type="routine" if n % 3 else "pooled_fund",
            motion=motion,
            by=secretary,
        )
        paper_upload(
            item=item,
            title=f"Paper {n}",
            upload=SimpleUploadedFile(f"p{n}.pdf", PDF),
            by=secretary,
        )
        Declaration.objects.create(
            item=item, seat=seat_rows[0], person=seat_rows[0].holder, interest="Trustee"
        )
    for n in range(20):
        Action.objects.create(
            meeting=meeting, description=f"Action {n}", owner_name="Owner"
        )
    return secretary, meeting


def run() -> None:
    from django.test import Client
    from django.urls import reverse

    print(
        f"database: {connection.vendor}; agenda of {ITEMS} items; {REQUESTS} requests"
    )
    print(f"{'seats':>6} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'KiB':>6}")
    for seats in (5, 50):
        secretary, meeting = build(seats)
        client = Client()
        client.force_login(secretary)
        url = reverse("meetings:run", args=[meeting.pk])
        client.get(url)  # warm the template cache
        timings = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.sort()
        print(
            f"{seats:>6} {statistics.median(timings):>10.1f} "
            f"{timings[int(len(timings) * 0.9) - 1]:>8.1f} {len(queries):>8} "
            f"{len(response.content) / 1024:>6.0f}"
        )


if __name__ == "__main__":
    main()
