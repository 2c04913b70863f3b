"""Every list page and API list at demo size and at national scale, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf .venv/bin/python bench/scale.py
    SCALE=0.2 ... bench/scale.py        # a fifth of the larger record
    REPEAT=25 ... bench/scale.py        # more requests a target (default 15)
    ... bench/scale.py --json           # the rows as JSON too

Makes a throwaway database (``test_<NAME>``, tables from the models) and loads the
demo; copies it to a second database (``test_<NAME>_scale``, PostgreSQL's
``CREATE DATABASE ... TEMPLATE``) and adds issue 17's larger record there with
``bench/scale_data.generate`` (50 boards, 2,050 meetings, 102,500 votes, 2,000
circulated minutes, 100 funds x 12 returns). Then, target by target, it requests the
page from the demo database and from the larger one in turn (the order swapped each
round), so both columns are measured in the same seconds and a busy moment of the
machine falls on both: a warm-up request on each, then REPEAT pairs. Each request goes
through the Django test client (every middleware, templates, DEBUG off) as the login
that sees most of it. Printed: the median time, the queries and the bytes of one
answer on each side, and the scale time over the demo time (target: <= 2, with the
same query count), with the spread of the pairs' own ratios (lower and upper
quartile) to show how steady the figure is.

On SQLite (no second database to switch to) the demo column is measured, then the
record grown and the scale column measured, minutes apart.
"""

from __future__ import annotations

import gc
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

REPEAT = int(os.environ.get("REPEAT", "15"))


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


class Databases:
    """The demo database and its copy grown to scale, one connection each; ``use``
    makes one of them the default connection for the requests that follow."""

    def __init__(self):
        from django.db import connections

        self.connections = connections
        self.demo = connections["default"]
        self.scale = None

    def copy_for_scale(self) -> None:
        from django.db import connections
        from django.db.utils import load_backend

        name = self.demo.settings_dict["NAME"]
        self.scale_name = f"{name}_scale"
        self.demo.close()  # a template database must have no session
        with self.demo._nodb_cursor() as cursor:
            quote = self.demo.ops.quote_name
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(self.scale_name)}")
            cursor.execute(
                f"CREATE DATABASE {quote(self.scale_name)} TEMPLATE {quote(name)}"
            )
        backend = load_backend(self.demo.settings_dict["ENGINE"])
        self.scale = backend.DatabaseWrapper(
            dict(self.demo.settings_dict, NAME=self.scale_name), alias="default"
        )
        connections["default"] = self.demo

    def use(self, wrapper) -> None:
        """Requests from now on read ``wrapper``'s database. The cached pages are keyed
        by the database's identity (governance.cache.database_id), read once per
        process: read again for this one, so neither side serves the other's page."""
        import governance.cache

        self.connections["default"] = wrapper
        wrapper.ensure_connection()
        governance.cache._database_id = None
        governance.cache.database_id()

    def drop_scale(self) -> None:
        if self.scale is None:
            return
        self.scale.close()
        self.use(self.demo)
        self.demo.close()
        with self.demo._nodb_cursor() as cursor:
            cursor.execute(
                f"DROP DATABASE IF EXISTS {self.demo.ops.quote_name(self.scale_name)}"
            )


def _once(client, path):
    """One timed request and what it cost."""
    gc.collect()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
    return elapsed, response, len(queries.captured_queries)


def _row(label, path, times, response, queries) -> dict:
    return {
        "target": label,
        "path": path,
        "status": response.status_code,
        "ms": statistics.median(times) * 1000,
        "queries": queries,
        "bytes": len(response.content),
    }


def measure(clients, rows) -> list[dict]:
    """Each target on the current database alone (SQLite, or no copy)."""
    out = []
    for label, login, path in rows:
        client = clients[login]
        client.get(path)  # warm-up
        times = []
        for _ in range(REPEAT):
            elapsed, response, queries = _once(client, path)
            times.append(elapsed)
        out.append(_row(label, path, times, response, queries))
    return out


def measure_paired(clients, rows, dbs: Databases) -> tuple[list[dict], list[dict]]:
    """Each target on both databases in turn: REPEAT pairs, the order swapped each
    round. Returns the demo rows and the scale rows; each scale row carries the
    quartiles of the pairs' ratios."""
    demo, scale = [], []
    for label, login, path in rows:
        client = clients[login]
        for wrapper in (dbs.demo, dbs.scale):
            dbs.use(wrapper)
            client.get(path)  # warm-up on each side
        got = {"demo": [], "scale": []}
        last = {}
        for i in range(REPEAT):
            order = [("demo", dbs.demo), ("scale", dbs.scale)]
            for side, wrapper in order if i % 2 == 0 else reversed(order):
                dbs.use(wrapper)
                elapsed, response, queries = _once(client, path)
                got[side].append(elapsed)
                last[side] = (response, queries)
        demo.append(_row(label, path, got["demo"], *last["demo"]))
        row = _row(label, path, got["scale"], *last["scale"])
        ratios = sorted(s / d for d, s in zip(got["demo"], got["scale"], strict=True))
        quartiles = statistics.quantiles(ratios, n=4)
        row["ratio_q1"], row["ratio_q3"] = quartiles[0], quartiles[2]
        scale.append(row)
    dbs.use(dbs.demo)
    return demo, scale


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f}" if n >= 10240 else f"{n / 1024:,.1f}"


def table(demo: list[dict], scale: list[dict], factor: float, how: str) -> str:
    head = (
        f"{'target':<32} {'demo ms':>8} {'q':>4} {'KB':>7} | "
        f"{'scale ms':>9} {'q':>5} {'KB':>7} | {'x time':>6} {'(pairs q1-q3)':>13}"
    )
    lines = [
        f"SCALE={factor:g}, {REPEAT} requests each (median), {how}, "
        f"{connection.vendor}, {os.cpu_count()} CPU(s)",
        head,
        "-" * len(head),
    ]
    for d, s in zip(demo, scale, strict=True):
        flag = "" if d["status"] == s["status"] == 200 else f" [{s['status']}]"
        spread = (
            f"{s['ratio_q1']:>6.2f}-{s['ratio_q3']:<6.2f}" if "ratio_q1" in s else ""
        )
        lines.append(
            f"{d['target']:<32} {d['ms']:>8.1f} {d['queries']:>4} {_kb(d['bytes']):>7} | "
            f"{s['ms']:>9.1f} {s['queries']:>5} {_kb(s['bytes']):>7} | "
            f"{s['ms'] / d['ms']:>6.2f} {spread:>13}{flag}"
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
    dbs = Databases()
    if connection.vendor != "postgresql":
        measure(clients, rows)  # a warm-up pass: templates, caches, the planner
        demo = measure(clients, rows)
        print(f"generating the larger record (SCALE={factor:g})", flush=True)
        scale_data.generate(factor)
        measure(clients, rows)
        scaled = measure(clients, rows)
        how = "demo then scale, minutes apart"
    else:
        dbs.copy_for_scale()  # the signed-in sessions are copied with the demo
        dbs.use(dbs.scale)
        print(f"generating the larger record (SCALE={factor:g})", flush=True)
        scale_data.generate(factor)
        dbs.use(dbs.demo)
        try:
            demo, scaled = measure_paired(clients, rows, dbs)
        finally:
            dbs.drop_scale()
        how = "demo and scale in turn"
    print(table(demo, scaled, factor, how))
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
