"""Faults against a real gunicorn with production settings (issue 14). Prints:

- votes lost or duplicated when 20 clients race to vote, round after round;
- mails lost or duplicated across a Celery worker SIGKILLed mid-dispatch, Redis
  stopped, and Redis frozen (SIGSTOP: its port still accepts, nothing answers);
- the slowest request while Redis is frozen;
- 500s (and dropped connections) from a bounded fuzz of every endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/fault.py
    .venv/bin/python bench/fault.py --rounds 50 --clients 20 --fuzz-seconds 120

Everything runs on this machine and stops by itself: a throwaway database
``test_<NAME>``, a private redis-server on a free port, an SMTP server (aiosmtpd)
standing for the officers' mail, gunicorn (3 sync workers, ``DJANGO_ENV=production``
with two-factor sign-in, axes and the HTTPS redirect on: the client says
``X-Forwarded-Proto: https`` as the TLS proxy would), a Celery worker (prefork,
2 processes) and Celery beat. Figures go in docs/operations.md.
"""

import argparse
import asyncio
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SECRET = "fault-" + "Zq9#x7" * 10
os.environ["SECRET_KEY"] = SECRET  # the sessions made here must verify in gunicorn

from tests.servers import Mailbox, RedisServer, free_port, wait_for  # noqa: E402

HOST = "127.0.0.1"
HTTPS = {"X-Forwarded-Proto": "https", "Host": HOST}


class _NoMigrations:
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


class SlowMailbox(Mailbox):
    """The officers' mail server, taking ``delay`` seconds per message."""

    delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


# --- the world -----------------------------------------------------------------------


def prepare(rounds: int) -> dict:
    """A throwaway database with: a board of 20 voting seats in a meeting under
    way with ``rounds`` motions to vote on; four closed meetings whose minutes are
    approved, each with six authorised officers; a secretary and an administrator
    with verified two-factor sessions and API tokens."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/fault.py needs PostgreSQL: set DATABASE_URL=postgres://…")
    migration_modules = settings.MIGRATION_MODULES
    settings.MIGRATION_MODULES = _NoMigrations()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    original = connection.settings_dict["NAME"]
    test_db = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    # Tables were made from the models; record every migration as applied so the
    # processes' /readyz sees a migrated database, as in a deployment.
    settings.MIGRATION_MODULES = migration_modules
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for app, name in MigrationLoader(connection).disk_migrations:
        recorder.record_applied(app, name)
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from boards.models import Board
    from governance.models import Role
    from meetings.models import Attendance, Meeting
    from meetings.services.agenda import MotionInput, item_add
    from tests.governance.factories import UserFactory
    from tests.meetings import builders
    from tests.meetings.minutes_scenario import approved_version, build_scenario

    built = builders.pmg(seats_per_partner=10)
    meeting = built.meeting
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.IN_PROGRESS, started_at=now - timedelta(minutes=5)
    )
    for seat in built.seats:
        Attendance.objects.create(
            meeting=meeting,
            seat=seat,
            status=Attendance.Status.PRESENT,
            attendee=seat.holder,
            arrived_at=now - timedelta(minutes=5),
        )
    motions = []
    for n in range(rounds):
        item = item_add(
            meeting=meeting,
            title=f"Decision {n}",
            by=built.secretary,
            motion=MotionInput(text=f"Motion {n}"),
        )
        motions.append(item.motion.pk)

    versions = {}
    for n, phase in enumerate(("kill", "stop", "freeze-api", "freeze-page")):
        scenario = build_scenario(
            officers_per_partner=(3, 3),
            meeting_at=timezone.localtime(now) - timedelta(days=1, hours=n),
        )
        # The scenario always names its board alike; board names are unique.
        Board.objects.filter(pk=scenario.board.pk).update(name=f"Board {phase}")
        version = approved_version(scenario)
        versions[phase] = {
            "id": version.pk,
            "officers": sorted(o.email for o in scenario.officers),
            "token": Token.objects.create(user=scenario.secretary).key,
            "session": verified_session(scenario.secretary),
        }
    admin = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    return {
        "original_db": original,
        "test_db": test_db,
        "meeting": meeting.pk,
        "meeting_page": f"/meetings/{meeting.pk}/run/",
        "motions": motions,
        "seats": [s.pk for s in built.seats],
        "secretary_token": Token.objects.create(user=built.secretary).key,
        "secretary_session": verified_session(built.secretary),
        "versions": versions,
        "admin_token": Token.objects.create(user=admin).key,
        "admin_session": verified_session(admin),
    }


def verified_session(user) -> str:
    """A session cookie of ``user`` signed in with a confirmed authenticator
    (two-factor sign-in is on in production)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def destroy(world: dict) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = world["test_db"]
    connection.creation.destroy_test_db(world["original_db"], verbosity=0)


# --- processes -------------------------------------------------------------------------


class Stack:
    """gunicorn, a Celery worker and beat on the throwaway database and Redis."""

    def __init__(self, world: dict, redis: RedisServer, mailbox: Mailbox):
        url = urlparse(os.environ["DATABASE_URL"])
        self.static_root = tempfile.mkdtemp(prefix="fault-static-")
        self.beat_dir = tempfile.mkdtemp(prefix="fault-beat-")
        self.log_dir = tempfile.mkdtemp(prefix="fault-logs-")
        self.env = {
            **os.environ,
            "DJANGO_ENV": "production",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": urlunparse(url._replace(path="/" + world["test_db"])),
            "REDIS_URL": redis.url(),
            "STATIC_ROOT": self.static_root,
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(mailbox.port),
            "EMAIL_TIMEOUT": "60",
        }
        for name in ("OTP_REQUIRED", "AXES_ENABLED", "SECURE_SSL_REDIRECT", "DEBUG"):
            self.env.pop(name, None)
        self.port = free_port()
        self.web = self.worker = self.beat = None
        self.stopping = threading.Event()
        self.restarts = Counter()

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        with open(Path(self.log_dir) / f"{log}.log", "ab") as out:
            return subprocess.Popen(  # noqa: S603 - our own interpreter and modules
                args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a kill takes the whole process group
            )

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.web = self._spawn(
            [gunicorn, "config.wsgi:application", "--bind", f"{HOST}:{self.port}"]
            + ["--workers", "3", "--timeout", "30", "--log-level", "warning"],
            "gunicorn",
        )
        self.start_worker()
        self.start_beat()
        self.supervise()
        assert wait_for(lambda: request(self.port, "GET", "/healthz")[0] == 200, 60)

    def supervise(self) -> None:
        """Restart a worker or beat that exits, as the deployment's process
        manager does (docker-compose ``restart: unless-stopped``): Celery's worker
        can exit on a broker connection lost mid-acknowledgement."""

        def watch():
            while not self.stopping.wait(1.0):
                if self.worker is not None and self.worker.poll() is not None:
                    self.restarts["worker"] += 1
                    self.start_worker()
                if self.beat is not None and self.beat.poll() is not None:
                    self.restarts["beat"] += 1
                    self.start_beat()

        threading.Thread(target=watch, daemon=True).start()

    def start_beat(self) -> None:
        self.beat = self._spawn(
            [sys.executable, "-m", "celery", "-A", "config", "beat"]
            + ["--loglevel", "WARNING", "-s", f"{self.beat_dir}/schedule"],
            "beat",
        )

    def start_worker(self) -> None:
        self.worker = self._spawn(
            [sys.executable, "-m", "celery", "-A", "config", "worker"]
            + ["--concurrency", "2", "--loglevel", "WARNING", "--without-gossip"]
            + ["--without-mingle"],
            "worker",
        )

    def kill_worker(self) -> None:
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)

    def stop(self) -> None:
        self.stopping.set()
        for proc in (self.web, self.worker, self.beat):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in (self.web, self.worker, self.beat):
            if proc is not None:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def request(port, method, path, body=None, headers=None, timeout=40):
    """(status, seconds, body); status 0 when the connection failed or dropped."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers={**HTTPS, **(headers or {})})
        response = conn.getresponse()
        content = response.read()
        return response.status, time.perf_counter() - started, content
    except (OSError, http.client.HTTPException):
        return 0, time.perf_counter() - started, b""
    finally:
        conn.close()


def api(token):
    return {"Authorization": f"Token {token}", "Content-Type": "application/json"}


def page(session, csrf="FaultBenchCsrfSecret0123456789ab"):
    """A signed-in browser: session cookie, and a CSRF cookie with its header."""
    return {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Origin": f"https://{HOST}",
        "Referer": f"https://{HOST}/",
    }


# --- 1. racing votes -------------------------------------------------------------------


def racing_votes(stack: Stack, world: dict, clients: int) -> dict:
    """Each round opens a motion, then ``clients`` threads released together each
    record a vote (secretary, show of hands) for a seat chosen at random, so
    several race on one seat. After all rounds: per motion, one row per seat that
    got an acknowledged vote (none lost, none duplicated), each row's choice one
    that was acknowledged for that seat, and the API's list equal to the rows."""
    from meetings.models import Vote

    headers = api(world["secretary_token"])
    acked: dict[tuple[int, int], set[str]] = {}
    errors = Counter()
    lock = threading.Lock()
    for motion in world["motions"]:
        status, _, _ = request(
            stack.port, "POST", f"/api/v1/motions/{motion}/open/", b"{}", headers
        )
        if status != 200:
            errors[f"open {status}"] += 1
            continue
        barrier = threading.Barrier(clients)

        def vote(motion=motion, barrier=barrier):
            seat = random.choice(world["seats"])
            choice = random.choice(["for", "against", "abstain"])
            body = json.dumps({"seat": seat, "choice": choice}).encode()
            barrier.wait()
            status, _, _ = request(
                stack.port, "POST", f"/api/v1/motions/{motion}/votes/", body, headers
            )
            with lock:
                if status in (200, 201):
                    acked.setdefault((motion, seat), set()).add(choice)
                else:
                    errors[str(status)] += 1

        threads = [threading.Thread(target=vote) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    rows = Counter()
    lost = duplicated = wrong = 0
    for motion_id, seat_id, choice in Vote.objects.filter(
        motion_id__in=world["motions"]
    ).values_list("motion_id", "seat_id", "choice"):
        rows[(motion_id, seat_id)] += 1
        if choice not in acked.get((motion_id, seat_id), ()):
            wrong += 1
    for key in acked:
        if rows[key] == 0:
            lost += 1
    duplicated = sum(n - 1 for n in rows.values() if n > 1)
    listed = 0
    for motion in world["motions"]:
        status, _, body = request(
            stack.port, "GET", f"/api/v1/motions/{motion}/votes/", None, headers
        )
        if status == 200:  # paginated ({"count", "results", ...}) since issue 17
            page = json.loads(body)
            listed += page["count"] if isinstance(page, dict) else len(page)
    return {
        "requests": len(world["motions"]) * clients,
        "acknowledged_seat_votes": len(acked),
        "lost": lost,
        "duplicated": duplicated,
        "choice_not_acknowledged": wrong,
        "tally_equals_rows": listed == sum(rows.values()),
        "refused": dict(errors),
    }


# --- 2 and 3. mail across faults; requests while Redis is frozen ---------------------


def circulate_api(stack, version):
    return request(
        stack.port,
        "POST",
        f"/api/v1/minutes/{version['id']}/circulate/",
        b"{}",
        api(version["token"]),
    )


def circulate_page(stack, version):
    headers = page(version["session"]) | {
        "Content-Type": "application/x-www-form-urlencoded"
    }
    return request(
        stack.port,
        "POST",
        f"/meetings/minutes/{version['id']}/circulate/",
        b"",
        headers,
    )


def mail_faults(stack, world, redis, mailbox, freeze_seconds: float) -> dict:
    versions = world["versions"]
    out = {}

    # A worker SIGKILLed while its mail server is slow: mid-dispatch.
    mailbox.delay = 0.5
    status, seconds, _ = circulate_api(stack, versions["kill"])
    out["kill: circulate status"] = status
    wait_for(lambda: len(mailbox.delivered) >= 2, 60)
    stack.kill_worker()  # the supervisor starts another, as Docker would
    killed_at = time.monotonic()
    mailbox.delay = 0.0
    kill_officers = set(versions["kill"]["officers"])
    wait_for(lambda: kill_officers <= set(mailbox.delivered), 120)
    out["kill: seconds from SIGKILL to the last mail"] = round(
        time.monotonic() - killed_at, 1
    )

    # Redis stopped while minutes are circulated; back a little later.
    redis.stop()
    status, seconds, _ = circulate_api(stack, versions["stop"])
    out["stop: circulate status, seconds"] = (status, round(seconds, 2))
    time.sleep(3)
    redis.start()
    stop_officers = set(versions["stop"]["officers"])
    wait_for(lambda: stop_officers <= set(mailbox.delivered), 120)

    # The same mix of requests with Redis healthy, for comparison; then frozen.
    healthy = mixed_requests(stack, world, freeze_seconds)
    out["healthy: requests"] = healthy["requests"]
    out["healthy: slowest request (s)"] = healthy["slowest"]
    out["healthy: slowest was"] = healthy["slowest was"]
    out["healthy: slowest per request"] = slowest_per_request(healthy["timings"])
    redis.freeze()
    frozen = freeze_while_requests(stack, world, freeze_seconds)
    redis.thaw()
    out |= frozen
    rest = set(versions["freeze-api"]["officers"]) | set(
        versions["freeze-page"]["officers"]
    )
    wait_for(lambda: rest <= set(mailbox.delivered), 150)

    # A mail is a Message-ID at a recipient: every attempt of one outbox row
    # carries the same one, so a message the server had when the worker died and
    # that the next worker sent again is one message to the officer's mail system.
    out["worker and beat restarts by the supervisor"] = dict(stack.restarts)
    expected = {o for v in versions.values() for o in v["officers"]}
    received = Counter()
    for recipients, content in mailbox.messages:
        message_id = message_id_of(content)
        for recipient in recipients:
            received[(recipient, message_id)] += 1
    per_officer = Counter(recipient for recipient, _ in received)
    out["mails expected"] = len(expected)
    out["mails lost"] = sum(1 for o in expected if per_officer[o] == 0)
    out["mails duplicated"] = sum(n - 1 for n in per_officer.values() if n > 1)
    out["SMTP transactions repeated with the same Message-ID"] = sum(
        n - 1 for n in received.values() if n > 1
    )
    return out


def message_id_of(content: bytes) -> str:
    from email import message_from_bytes

    return message_from_bytes(content).get("Message-ID", "")


def freeze_while_requests(stack, world, seconds: float) -> dict:
    """While Redis is frozen: the circulation through the API and the page (each
    kicks the relay after commit), then the mix of ``mixed_requests``."""
    versions = world["versions"]
    first = [
        (*circulate_api(stack, versions["freeze-api"])[:2], "POST api circulate"),
        (*circulate_page(stack, versions["freeze-page"])[:2], "POST page circulate"),
    ]
    mixed = mixed_requests(stack, world, seconds)
    timings = [(t, name, status) for status, t, name in first] + mixed["timings"]
    slowest = max(timings)
    return {
        "frozen: requests": len(timings),
        "frozen: slowest request (s)": round(slowest[0], 3),
        "frozen: slowest was": slowest[1],
        "frozen: slowest per request": slowest_per_request(timings),
        "frozen: 5xx or dropped": sum(1 for _, _, s in timings if s >= 500 or not s),
        "frozen: circulate statuses": [status for status, _, _ in first],
        "frozen: statuses": dict(Counter(s for _, _, s in timings)),
    }


def slowest_per_request(timings) -> dict:
    """The slowest time of each kind of request: a frozen Redis should add nothing
    to any of them (compare with the same mix, Redis healthy, in the same run)."""
    slowest: dict[str, float] = {}
    for seconds, name, _ in timings:
        slowest[name] = max(slowest.get(name, 0.0), round(seconds, 3))
    return slowest


def mixed_requests(stack, world, seconds: float) -> dict:
    """Four clients looping over the secretary's meeting page, a vote, the
    dashboard and /healthz for ``seconds``."""
    timings: list[tuple[float, str, int]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    motion = world["motions"][-1]
    targets = [
        ("GET", world["meeting_page"], None, page(world["secretary_session"])),
        ("GET", "/", None, page(world["secretary_session"])),
        (
            "POST",
            f"/api/v1/motions/{motion}/votes/",
            json.dumps({"seat": world["seats"][0], "choice": "for"}).encode(),
            api(world["secretary_token"]),
        ),
        ("GET", "/healthz", None, {}),
    ]

    def loop(n):
        i = n
        while time.monotonic() < stop_at:
            method, path, body, headers = targets[i % len(targets)]
            status, t, _ = request(stack.port, method, path, body, headers)
            with lock:
                timings.append((t, f"{method} {path}", status))
            i += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slowest = max(timings)
    return {
        "timings": timings,
        "requests": len(timings),
        "slowest": round(slowest[0], 3),
        "slowest was": slowest[1],
        "statuses": dict(Counter(s for _, _, s in timings)),
    }


# --- 4. a bounded fuzz of every endpoint -------------------------------------------------

BAD_INTS = ["0", "999999999", "9223372036854775808"]
QUERIES = [
    "",
    "?page=%00",
    "?period=%27%22%3C&status=-1",
    "?start=9999-99-99&end=0000-00-00",
    "?business_type=" + "x" * 5000,
    "?model=..%2F..%2Fetc&limit=-5&offset=99999999999999999999",
]
BODIES = [
    b"",
    b"{}",
    b"[" * 5000 + b"]" * 5000,
    json.dumps({"seat": "x", "choice": [1], "title": "\u0000", "name": None}).encode(),
    json.dumps([{"seat": 1, "status": "present"}] * 1000).encode(),
    b'{"amount": 1e400, "budget": 123456789012345678901234567890, "period": "2015-Q9"}',
    b'{"name": "\xff\xfe\xfa"}',
    json.dumps(
        {"starts_at": "2026-13-45T99:99", "board": 2**70, "lines": [{}]}
    ).encode(),
]


def endpoints(world) -> list[str]:
    """Every URL pattern with sample arguments: real ids of the world and ids
    that do not exist or overflow the database's integers."""
    from django.urls import URLPattern, URLResolver, get_resolver

    real = [str(world["meeting"]), str(world["motions"][0]), str(world["seats"][0])]
    paths = set()

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith(("^", "static")) or "(?P" in route:
                    continue
                for value in real + BAD_INTS:
                    path = route
                    for converter in ("<int:", "<str:", "<slug:", "<uuid:", "<path:"):
                        while converter in path:
                            start = path.index(converter)
                            end = path.index(">", start)
                            sample = {
                                "<int:": value,
                                "<uuid:": "00000000-0000-4000-8000-000000000001",
                            }.get(converter, "x")
                            path = path[:start] + sample + path[end + 1 :]
                    paths.add("/" + path)

    walk(get_resolver())
    return sorted(paths)


def fuzz(stack, world, seconds: float) -> dict:
    paths = endpoints(world)
    cases = []
    for path in paths:
        api_path = path.startswith("/api/")
        headers = (
            api(world["admin_token"])
            if api_path
            else page(world["admin_session"])
            | {"Content-Type": "application/x-www-form-urlencoded"}
        )
        for query in QUERIES:
            cases.append(("GET", path + query, None, headers))
        for body in BODIES:
            for method in ("POST", "PUT") if api_path else ("POST",):
                cases.append((method, path, body, headers))
    random.Random(14).shuffle(cases)
    stop_at = time.monotonic() + seconds
    results = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    queue = iter(cases)

    def worker():
        while time.monotonic() < stop_at:
            with lock:
                case = next(queue, None)
            if case is None:
                return
            method, path, body, headers = case
            status, _, _ = request(stack.port, method, path, body, headers)
            with lock:
                results[status // 100 if status else 0] += 1
                if status >= 500 or status == 0:
                    failures.append(
                        f"{status} {method} {path[:90]} {(body or b'')[:40]!r}"
                    )

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "fuzz: URL patterns x samples": len(paths),
        "fuzz: requests sent": sum(results.values()),
        "fuzz: of planned": len(cases),
        "fuzz: answers by class": {
            f"{k}xx" if k else "dropped": v for k, v in sorted(results.items())
        },
        "fuzz: 500s": results[5],
        "fuzz: dropped": results[0],
        "fuzz: failures (first 10)": failures[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--freeze-seconds", type=float, default=15)
    parser.add_argument("--fuzz-seconds", type=float, default=150)
    parser.add_argument(
        "--phases", default="votes,mail,fuzz", help="comma-separated subset to run"
    )
    args = parser.parse_args()

    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
    signal.signal(signal.SIGTERM, lambda *a: sys.exit("stopped"))  # clean up
    started = time.monotonic()
    world = prepare(args.rounds)
    redis = RedisServer().start()
    mailbox = SlowMailbox().start()
    stack = Stack(world, redis, mailbox)
    report = {}
    try:
        stack.start()
        phases = args.phases.split(",")
        for name, run in (
            ("votes", lambda: racing_votes(stack, world, args.clients)),
            (
                "mail",
                lambda: mail_faults(stack, world, redis, mailbox, args.freeze_seconds),
            ),
            ("fuzz", lambda: fuzz(stack, world, args.fuzz_seconds)),
        ):
            if name not in phases:
                continue
            phase_started = time.monotonic()
            report[name] = run()
            report[name]["phase seconds"] = round(time.monotonic() - phase_started)
    finally:
        stack.stop()
        mailbox.stop()
        redis.close()
        destroy(world)
    print(json.dumps(report, indent=2, default=str))
    print()
    votes, mail, fuzzed = (report.get(k, {}) for k in ("votes", "mail", "fuzz"))
    for label, value in (
        ("votes lost", votes.get("lost")),
        ("votes duplicated", votes.get("duplicated")),
        ("mails lost", mail.get("mails lost")),
        ("mails duplicated", mail.get("mails duplicated")),
        (
            "slowest request while Redis frozen (s)",
            mail.get("frozen: slowest request (s)"),
        ),
        ("500s from the fuzz", fuzzed.get("fuzz: 500s")),
    ):
        print(f"{label + ':':<42}{'-' if value is None else value}")
    print(f"(run took {time.monotonic() - started:.0f} s; logs in {stack.log_dir})")


if __name__ == "__main__":
    main()
