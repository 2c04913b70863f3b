"""Requests per second and p95 latency under gunicorn with PostgreSQL at 20
concurrent clients: the secretary's meeting page and the vote endpoint, each as a
ratio against a trivial Django view served by the same server in the same run
(issue 8). Three trivial views: ``/healthz``, answered by the first middleware
before any other; ``/bench/trivial/`` (``bench/load_urls.py``), a view that returns
"ok" behind every middleware, asked anonymously (what "a trivial view" measured
when issue 17 was written); and the same view signed in as the secretary (the
session and the user read, as every page of the application does). Prints figures;
it is not a timed test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --clients 20 --seconds 15 --workers 5

What it does:
1. creates a throwaway database ``test_<NAME>`` (tables from the models, no
   migrations), loads the demo, puts a demo motion of an in-progress meeting to the
   vote, signs the secretary in (a session cookie) and gives them an API token;
2. collects static files to a temporary folder and starts gunicorn on a free port
   with the *production* settings (DEBUG off, persistent database connections,
   every middleware on; HTTPS redirect and two-factor off, since the client speaks
   plain HTTP and signs in with a session made for it);
3. for each target, ``--clients`` threads each hold an HTTP/1.1 connection
   (``http.client``) and send requests back to back for ``--seconds`` after a short
   warm-up; the vote target has each client record the show-of-hands vote of one
   present voting seat, alternating for/against, so every request writes;
4. prints requests per second, median and p95 latency, errors, and the ratios.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("OTP_REQUIRED", "0")

SECRET = "bench-" + "Zq9#x7" * 10
# The session cookie made here must verify in the server: same key on both sides.
os.environ["SECRET_KEY"] = SECRET


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def prepare() -> dict:
    """Create and fill the throwaway database; return what the clients need."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    if connection.vendor != "postgresql":
        sys.exit("bench/load.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    settings.MIGRATION_MODULES = _NoMigrations()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    original = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)

    from governance.models import User
    from meetings.models import Attendance, Meeting, Motion

    secretary = User.objects.get(email="secretary@demo.example")
    motion = Motion.objects.filter(
        item__meeting__status=Meeting.Status.IN_PROGRESS, status=Motion.Status.OPEN
    ).first() or _start_a_meeting_and_open_a_motion(secretary)
    meeting = motion.item.meeting
    seats = list(
        Attendance.objects.filter(
            meeting=meeting,
            seat__voting=True,
            status__in=[Attendance.Status.PRESENT, Attendance.Status.DEPUTY],
        ).values_list("seat_id", flat=True)
    )
    client = Client()
    client.force_login(secretary)
    return {
        "original_db": original,
        "test_db": test_name,
        "meeting_page": f"/meetings/{meeting.pk}/run/",
        "vote_path": f"/api/v1/motions/{motion.pk}/votes/",
        "seats": seats,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "token": Token.objects.get_or_create(user=secretary)[0].key,
    }


def _start_a_meeting_and_open_a_motion(secretary):
    """The demo's meetings with decisions are closed or still to come: start the
    first coming one that has a draft motion, with every seat present."""
    from django.utils import timezone

    from meetings.models import Meeting, Motion
    from meetings.services.attendance import AttendanceChange, attendance_record_many
    from meetings.services.motions import motion_open

    motion = (
        Motion.objects.filter(
            status=Motion.Status.DRAFT, item__meeting__status=Meeting.Status.SCHEDULED
        )
        .select_related("item__meeting__board")
        .first()
    )
    if motion is None:
        sys.exit("no draft motion in the demo to vote on")
    meeting = motion.item.meeting
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.IN_PROGRESS, started_at=now
    )
    meeting.refresh_from_db()
    attendance_record_many(
        meeting=meeting,
        changes=[
            AttendanceChange(seat=seat, status="present", arrived_at=now)
            for seat in meeting.board.seats.filter(active=True)
        ],
        by=secretary,
    )
    return motion_open(motion=motion, by=secretary)


def destroy(target: dict) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = target["test_db"]
    connection.creation.destroy_test_db(target["original_db"], verbosity=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(test_db: str, port: int, workers: int, threads: int, redis=""):
    url = urlparse(os.environ["DATABASE_URL"])
    db_url = urlunparse(url._replace(path="/" + test_db))
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "OTP_REQUIRED": "0",
        "AXES_ENABLED": "1",
        "DATABASE_URL": db_url,
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "ERROR",
        # Production runs with Redis (the cache, cached sessions): --redis URL.
        "REDIS_URL": redis,
        # The production settings with the trivial view's URL (bench/load_urls.py).
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": str(ROOT / "bench"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    sys.exit("gunicorn did not start")


def run_target(port, *, clients, seconds, warmup, make_request):
    """``clients`` threads, each with its own connection, send requests back to
    back; latencies are kept only after the warm-up."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = time.perf_counter()
    measure_from = start + warmup
    stop = measure_from + seconds

    def worker(index):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop:
                break
            method, path, body, headers = make_request(index, n)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 201)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            t1 = time.perf_counter()
            n += 1
            if t0 >= measure_from:
                latencies[index].append(t1 - t0)
                errors[index] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = sorted(x for row in latencies for x in row)
    if not flat:
        return {"requests": 0, "rps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0, "errors": 0}
    return {
        "requests": len(flat),
        "rps": len(flat) / seconds,
        "p50_ms": statistics.median(flat) * 1000,
        "p95_ms": flat[min(len(flat) - 1, int(0.95 * len(flat)))] * 1000,
        "errors": sum(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=2)
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cpus + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--redis",
        default="",
        help="REDIS_URL for the server (cache and cached sessions, as in "
        "production); default: none (per-process memory cache, sessions in the "
        "database)",
    )
    args = parser.parse_args()

    target = prepare()
    port = args.port or free_port()
    server = start_gunicorn(
        target["test_db"], port, args.workers, args.threads, redis=args.redis
    )
    cookie = {"Cookie": f"sessionid={target['session']}"}
    vote_headers = {
        "Authorization": f"Token {target['token']}",
        "Content-Type": "application/json",
    }
    seats = target["seats"]

    def vote(index, n):
        body = json.dumps(
            {"seat": seats[index % len(seats)], "choice": ("for", "against")[n % 2]}
        )
        return "POST", target["vote_path"], body, vote_headers

    targets = {
        "trivial view GET /healthz": lambda i, n: ("GET", "/healthz", None, {}),
        "trivial view GET /bench/trivial/": lambda i, n: (
            "GET",
            "/bench/trivial/",
            None,
            {},
        ),
        "trivial view, signed in, GET /bench/trivial/": lambda i, n: (
            "GET",
            "/bench/trivial/",
            None,
            cookie,
        ),
        f"secretary's meeting page GET {target['meeting_page']}": lambda i, n: (
            "GET",
            target["meeting_page"],
            None,
            cookie,
        ),
        f"vote POST {target['vote_path']}": vote,
    }
    results = {}
    try:
        for name, make in targets.items():
            results[name] = run_target(
                port,
                clients=args.clients,
                seconds=args.seconds,
                warmup=args.warmup,
                make_request=make,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        destroy(target)

    healthz, trivial, signed_in = list(results.values())[:3]
    for row in results.values():
        for suffix, base in (
            ("_healthz", healthz),
            ("", trivial),
            ("_signed_in", signed_in),
        ):
            row["rps_ratio" + suffix] = row["rps"] / base["rps"] if base["rps"] else 0.0
            row["p95_ratio" + suffix] = (
                row["p95_ms"] / base["p95_ms"] if base["p95_ms"] else 0.0
            )
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(
        f"gunicorn {args.workers} worker(s) x {args.threads} thread(s), "
        f"{args.clients} concurrent clients, {args.seconds:g} s per target "
        f"after {args.warmup:g} s warm-up, {cpus} CPU(s), PostgreSQL"
        + (", Redis" if args.redis else "")
    )
    print(
        f"{'target':<48} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'errors':>6} {'req/s vs healthz':>17} {'vs trivial':>11} "
        f"{'vs trivial signed in':>21}"
    )
    for name, row in results.items():
        print(
            f"{name:<48} {row['rps']:>8.1f} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['errors']:>6} {row['rps_ratio_healthz']:>17.2f} "
            f"{row['rps_ratio']:>11.2f} {row['rps_ratio_signed_in']:>21.2f}"
        )


if __name__ == "__main__":
    main()
