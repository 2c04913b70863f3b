"""Grow the record to national scale on top of the demo, through bulk inserts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf .venv/bin/python bench/scale_data.py
    SCALE=0.1 ...    # a tenth of everything (a quick try)

At SCALE=1 (issue 17's larger record): 50 more boards of 10 seats (two partners
each, holders made as users), 2,050 closed meetings spread over them (41 a board,
five decision items each with a carried motion), 102,500 votes (every seat on every
motion), 2,000 circulated minutes versions (one delivery to an authorised officer
each, its outbox row sent) and a minutes deadline per meeting, 100 monthly pooled
funds of 5 schemes with 12 returns each (6,000 lines). The demo's secretary is
secretary of every new board and the demo's member holds a seat on each, so their
lists grow with the record; 5 of the funds are on the demo's first board, so its
board page grows with funds.

Run as a script it migrates the database named by DATABASE_URL, loads the demo if
it is not there and adds the larger record once (a second run adds nothing).
``bench/scale.py`` calls ``generate`` in its own throwaway database. Bulk inserts
write no audit history: the history pages are measured on what the demo wrote.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")

BOARDS = 50
SEATS = 10
MEETINGS = 2050
MOTIONS_PER_MEETING = 5
CIRCULATED = 2000
FUNDS = 100
SCHEMES = 5
FUNDS_ON_FIRST_DEMO_BOARD = 5
PREFIX = "Scale"
BATCH = 5000


def _n(value: int, scale: float, least: int = 1) -> int:
    return max(least, round(value * scale))


def generate(scale: float = 1.0, *, out=print) -> dict:
    """Add the larger record (``scale`` times issue 17's sizes); returns counts."""
    from django.db import transaction
    from django.utils import timezone

    from boards.models import (
        Agreement,
        AuthorisedOfficer,
        Board,
        Partner,
        QuorumRule,
        Seat,
    )
    from governance.models import OutboxMessage, Role, User
    from meetings.models import (
        AgendaItem,
        Attendance,
        Delivery,
        Meeting,
        MinutesDeadline,
        MinutesVersion,
        Motion,
        Vote,
    )
    from pooled_funds.models import (
        PooledFund,
        Return,
        ReturnLine,
        ReturnStatus,
        Scheme,
    )

    if Board.objects.filter(name__startswith=f"{PREFIX} board").exists():
        out("the larger record is there already: nothing added")
        return {}
    boards_n = _n(BOARDS, scale)
    meetings_n = _n(MEETINGS, scale, boards_n)
    circulated_n = min(meetings_n, _n(CIRCULATED, scale))
    funds_n = _n(FUNDS, scale)
    started = time.perf_counter()
    secretary = User.objects.get(email="secretary@demo.example")
    member = User.objects.get(email="member@demo.example")
    manager = User.objects.filter(email="manager@demo.example").first()
    first_demo_board = demo_board()
    now = timezone.now()
    counts = {}

    with transaction.atomic():
        partners = Partner.objects.bulk_create(
            Partner(name=f"{PREFIX} partner {i:03} {kind}", kind=kind)
            for i in range(boards_n)
            for kind in ("local_authority", "nhs_body")
        )
        agreements = Agreement.objects.bulk_create(
            Agreement(
                name=f"{PREFIX} agreement {i:03}",
                host_partner=partners[2 * i],
                starts_on=datetime.date(2015, 4, 1),
            )
            for i in range(boards_n)
        )
        Agreement.partners.through.objects.bulk_create(
            Agreement.partners.through(agreement=a, partner=p)
            for i, a in enumerate(agreements)
            for p in partners[2 * i : 2 * i + 2]
        )
        officers = AuthorisedOfficer.objects.bulk_create(
            AuthorisedOfficer(
                agreement=a,
                partner=partners[2 * i],
                name=f"Officer {i:03}",
                email=f"officer{i:03}@scale.example",
            )
            for i, a in enumerate(agreements)
        )
        boards = Board.objects.bulk_create(
            Board(name=f"{PREFIX} board {i:03}", agreement=a)
            for i, a in enumerate(agreements)
        )
        Board.partners.through.objects.bulk_create(
            Board.partners.through(board=b, partner=p)
            for i, b in enumerate(boards)
            for p in partners[2 * i : 2 * i + 2]
        )
        Board.secretaries.through.objects.bulk_create(
            Board.secretaries.through(board=b, user=secretary) for b in boards
        )
        QuorumRule.objects.bulk_create(
            QuorumRule(board=b, business_type="routine", min_present=3) for b in boards
        )
        holders = User.objects.bulk_create(
            User(
                email=f"holder{b:03}-{s}@scale.example",
                name=f"Holder {b:03}-{s}",
                role=Role.MEMBER,
                password="!",
            )
            for b in range(boards_n)
            for s in range(SEATS - 1)
        )
        seats = Seat.objects.bulk_create(
            Seat(
                board=b,
                title=f"Seat {s}",
                partner=partners[2 * i + s % 2],
                holder=member if s == 0 else holders[i * (SEATS - 1) + s - 1],
                is_chair=s == 0,
                order=s,
            )
            for i, b in enumerate(boards)
            for s in range(SEATS)
        )
        counts["boards"] = len(boards)
        out(f"  {len(boards)} boards, {len(seats)} seats")

        # The meetings go round the new boards and the demo board (so its decision
        # log and its API grow with history too).
        rounds = [*boards, first_demo_board]
        board_seats = {
            b.pk: seats[i * SEATS : i * SEATS + SEATS] for i, b in enumerate(boards)
        }
        board_seats[first_demo_board.pk] = list(
            Seat.objects.filter(board=first_demo_board, active=True).select_related(
                "holder"
            )
        )
        meetings = Meeting.objects.bulk_create(
            (
                Meeting(
                    board=rounds[m % len(rounds)],
                    starts_at=now
                    - datetime.timedelta(days=400 + 7 * (m // len(rounds))),
                    status=Meeting.Status.CLOSED,
                    location="Scale hall",
                )
                for m in range(meetings_n)
            ),
            batch_size=BATCH,
        )
        Attendance.objects.bulk_create(
            (
                Attendance(meeting=m, seat=seat, status="present")
                for m in meetings
                for seat in board_seats[m.board_id]
            ),
            batch_size=BATCH,
        )
        items = AgendaItem.objects.bulk_create(
            (
                AgendaItem(
                    meeting=m,
                    order=k,
                    title=f"Decision {k} of meeting {m.pk}",
                    kind="decision",
                )
                for m in meetings
                for k in range(MOTIONS_PER_MEETING)
            ),
            batch_size=BATCH,
        )
        motions = Motion.objects.bulk_create(
            (
                Motion(
                    item=item,
                    text=f"That the board agrees {item.title.lower()}.",
                    status=Motion.Status.CLOSED,
                    outcome="carried",
                    opened_at=item.meeting.starts_at,
                    closed_at=item.meeting.starts_at + datetime.timedelta(minutes=5),
                    tally={"for": SEATS, "against": 0, "abstain": 0},
                )
                for item in items
            ),
            batch_size=BATCH,
        )
        out(f"  {len(meetings)} meetings, {len(items)} items and motions")
        votes = 0
        chunk = []
        for motion in motions:
            for seat in board_seats[motion.item.meeting.board_id]:
                chunk.append(
                    Vote(motion=motion, seat=seat, choice="for", cast_by=seat.holder)
                )
            if len(chunk) >= BATCH:
                Vote.objects.bulk_create(chunk)
                votes += len(chunk)
                chunk = []
        Vote.objects.bulk_create(chunk)
        votes += len(chunk)
        counts["votes"] = votes
        out(f"  {votes} votes")

        MinutesDeadline.objects.bulk_create(
            (
                MinutesDeadline(
                    meeting=m,
                    due_on=(m.starts_at + datetime.timedelta(days=7)).date(),
                    met_at=(
                        m.starts_at + datetime.timedelta(days=3)
                        if n < circulated_n
                        else None
                    ),
                    status="sent_on_time" if n < circulated_n else "overdue",
                )
                for n, m in enumerate(meetings)
            ),
            batch_size=BATCH,
        )
        versions = MinutesVersion.objects.bulk_create(
            (
                MinutesVersion(
                    meeting=m,
                    number=1,
                    status=MinutesVersion.Status.CIRCULATED,
                    created_by=secretary,
                    approved_by=secretary,
                    approved_at=m.starts_at + datetime.timedelta(days=2),
                    circulated_by=secretary,
                    circulated_at=m.starts_at + datetime.timedelta(days=3),
                    pdf_sha256=hashlib.sha256(f"s{m.pk}".encode()).hexdigest(),
                    full_pdf_sha256=hashlib.sha256(f"f{m.pk}".encode()).hexdigest(),
                )
                for m in meetings[:circulated_n]
            ),
            batch_size=BATCH,
        )
        board_index = {b.pk: i for i, b in enumerate(boards)}
        board_index[first_demo_board.pk] = 0
        outbox = OutboxMessage.objects.bulk_create(
            (
                OutboxMessage(
                    key=f"scale-minutes-{v.pk}",
                    to=officers[board_index[v.meeting.board_id]].email,
                    subject=f"Minutes {v.pk}",
                    body="Minutes attached.",
                    state="sent",
                    sent_at=v.circulated_at,
                )
                for v in versions
            ),
            batch_size=BATCH,
        )
        Delivery.objects.bulk_create(
            (
                Delivery(
                    version=v,
                    meeting=v.meeting,
                    officer=officers[board_index[v.meeting.board_id]],
                    email=o.to,
                    outbox=o,
                )
                for v, o in zip(versions, outbox, strict=True)
            ),
            batch_size=BATCH,
        )
        counts["circulated"] = len(versions)
        out(f"  {len(versions)} circulated minutes, {len(meetings)} deadlines")

        funds = PooledFund.objects.bulk_create(
            PooledFund(
                agreement=agreements[f % boards_n]
                if f >= FUNDS_ON_FIRST_DEMO_BOARD
                else first_demo_board.agreement or agreements[0],
                board=boards[f % boards_n]
                if f >= FUNDS_ON_FIRST_DEMO_BOARD
                else first_demo_board,
                name=f"{PREFIX} fund {f:03}",
                host_partner=partners[2 * (f % boards_n)],
                manager=manager,
                financial_year=2025,
                frequency="monthly",
                pooled_total=Decimal("1000000.00"),
            )
            for f in range(funds_n)
        )
        schemes = Scheme.objects.bulk_create(
            Scheme(
                fund=fund,
                reference=f"S{s}",
                name=f"Scheme {s} of {fund.name}",
                lead_partner=fund.host_partner,
                budget=Decimal("200000.00"),
                order=s,
            )
            for fund in funds
            for s in range(SCHEMES)
        )
        returns = Return.objects.bulk_create(
            Return(
                fund=fund,
                period=period,
                status=ReturnStatus.APPROVED,
                created_by=secretary,
                decided_by=manager,
                decided_at=now,
            )
            for fund in funds
            for period in fund.period_labels()
        )
        lines = ReturnLine.objects.bulk_create(
            (
                ReturnLine(
                    ret=r,
                    scheme=scheme,
                    original_budget=scheme.budget,
                    budget=scheme.budget,
                    actual_to_date=Decimal("15000.00"),
                    forecast_outturn=Decimal("195000.00"),
                )
                for f, fund in enumerate(funds)
                for r in returns[f * 12 : f * 12 + 12]
                for scheme in schemes[f * SCHEMES : f * SCHEMES + SCHEMES]
            ),
            batch_size=BATCH,
        )
        counts["funds"] = len(funds)
        counts["returns"] = len(returns)
        out(f"  {len(funds)} funds, {len(returns)} returns, {len(lines)} lines")
    if connection_vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out(f"  generated in {time.perf_counter() - started:.1f} s")
    return counts


def demo_board():
    """The demo board with the most meetings: the board page measured, and the
    board that gets some of the new funds."""
    from django.db.models import Count

    from boards.models import Board

    return (
        Board.objects.exclude(name__startswith=PREFIX)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    )


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from governance.models import User

    scale = float(os.environ.get("SCALE", "1"))
    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="secretary@demo.example").exists():
        print("loading the demo")
        call_command("load_demo", verbosity=0)
    print(f"adding the larger record at SCALE={scale}")
    generate(scale)


if __name__ == "__main__":
    main()
