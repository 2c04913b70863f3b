"""Every list page and API list at demo size and at national scale, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf .venv/bin/python bench/scale.py
    SCALE=0.2 ... bench/scale.py        # a fifth of the larger record
    ... bench/scale.py --json           # the rows as JSON too

Makes a throwaway database (``test_<NAME>``, tables from the models), loads the demo
and measures every target; then adds issue 17's larger record with
``bench/scale_data.generate`` (50 boards, 2,050 meetings, 102,500 votes, 2,000
circulated minutes, 100 funds x 12 returns) and measures them again in the same run.
Each target is requested through the Django test client (every middleware,
templates, DEBUG off) by the login that sees most of it: REPEAT times after a
warm-up pass over every target; the median time is printed with the queries and the bytes of one
answer. The last column is the scale time over the demo time (target: <= 2, with
the same query count).
"""

from __future__ import annotations

import json
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = int(os.environ.get("REPEAT", "5"))


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def targets() -> list[tuple[str, str, str]]:
    """(label, login, path) for every page and API list measured."""
    from scale_data import demo_board

    from meetings.models import Meeting, Motion
    from pooled_funds.models import PooledFund

    board = demo_board()
    meeting = (
        Meeting.objects.filter(board=board, items__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    motion = Motion.objects.filter(votes__isnull=False).order_by("pk").first()
    fund = PooledFund.objects.order_by("pk").first()
    sec, aud, mem = "secretary", "auditor", "member"
    return [
        ("dashboard (secretary)", sec, "/"),
        ("dashboard (member)", mem, "/"),
        ("board list", aud, "/boards/"),
        ("board page (demo board)", sec, f"/boards/{board.pk}/"),
        ("meeting list (auditor)", aud, "/meetings/"),
        ("meeting list (secretary)", sec, "/meetings/"),
        ("meeting page (run)", sec, f"/meetings/{meeting.pk}/run/"),
        ("action tracker (all)", sec, f"/meetings/boards/{board.pk}/actions/?show=all"),
        ("minutes deadlines", sec, "/meetings/minutes/deadlines/"),
        ("minutes for auditors", aud, "/meetings/minutes/audit/"),
        ("audit history (meetings)", aud, "/audit/?model=meetings.meeting"),
        ("escalations", aud, "/meetings/escalations/"),
        ("board decision log", aud, f"/meetings/boards/{board.pk}/decisions/"),
        ("fund list", aud, "/funds/"),
        ("fund page", aud, f"/funds/{fund.pk}/"),
        ("API meetings", aud, "/api/v1/meetings/"),
        ("API boards", aud, "/api/v1/boards/"),
        ("API people", aud, "/api/v1/people/"),
        ("API funds", aud, "/api/v1/funds/"),
        ("API escalations", aud, "/api/v1/escalations/"),
        ("API board decisions", aud, f"/api/v1/boards/{board.pk}/decisions/"),
        ("API board sources", aud, f"/api/v1/boards/{board.pk}/sources/"),
        ("API motion votes", aud, f"/api/v1/motions/{motion.pk}/votes/"),
        ("API fund returns", aud, f"/api/v1/funds/{fund.pk}/returns/"),
        ("API meeting items", aud, f"/api/v1/meetings/{meeting.pk}/items/"),
    ]


def measure(clients, rows) -> list[dict]:
    out = []
    for label, login, path in rows:
        client = clients[login]
        response = client.get(path)  # warm-up
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
        out.append(
            {
                "target": label,
                "path": path,
                "status": response.status_code,
                "ms": statistics.median(times) * 1000,
                "queries": len(queries.captured_queries),
                "bytes": len(response.content),
            }
        )
    return out


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f}" if n >= 10240 else f"{n / 1024:,.1f}"


def table(demo: list[dict], scale: list[dict], factor: float) -> str:
    head = (
        f"{'target':<32} {'demo ms':>8} {'q':>4} {'KB':>7} | "
        f"{'scale ms':>9} {'q':>5} {'KB':>7} | {'x time':>6}"
    )
    lines = [
        f"SCALE={factor:g}, {REPEAT} requests each (median), {connection.vendor}, "
        f"{os.cpu_count()} CPU(s)",
        head,
        "-" * len(head),
    ]
    for d, s in zip(demo, scale, strict=True):
        flag = "" if d["status"] == s["status"] == 200 else f" [{s['status']}]"
        lines.append(
            f"{d['target']:<32} {d['ms']:>8.1f} {d['queries']:>4} {_kb(d['bytes']):>7} | "
            f"{s['ms']:>9.1f} {s['queries']:>5} {_kb(s['bytes']):>7} | "
            f"{s['ms'] / d['ms']:>6.2f}{flag}"
        )
    return "\n".join(lines)


def run(factor: float, as_json: bool) -> None:
    from django.core.management import call_command
    from django.test import Client

    from governance.models import User

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import scale_data

    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    clients = {}
    for login in ("secretary", "auditor", "member"):
        client = Client()
        client.force_login(User.objects.get(email=f"{login}@demo.example"))
        clients[login] = client
    rows = targets()
    measure(clients, rows)  # a warm-up pass: templates, caches, the planner
    demo = measure(clients, rows)
    print(f"generating the larger record (SCALE={factor:g})", flush=True)
    scale_data.generate(factor)
    measure(clients, rows)
    scaled = measure(clients, rows)
    print(table(demo, scaled, factor))
    if as_json:
        print(json.dumps({"demo": demo, "scale": scaled}, indent=1))


def main() -> None:
    import tempfile

    from django.test.utils import setup_test_environment

    settings.MIGRATION_MODULES = _NoMigrations()
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-media-"))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    setup_test_environment()
    settings.DEBUG = False
    factor = float(os.environ.get("SCALE", "1"))
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(factor, "--json" in sys.argv)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
