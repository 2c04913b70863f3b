"""Several processes on one PostgreSQL, one Redis and one bucket (issue 20). Prints:

- a paper uploaded to one gunicorn and read from the other (and nothing written to
  either process's local disk);
- one gunicorn SIGKILLed while clients load both through a round-robin proxy:
  requests lost, how long clients saw errors, how long until it serves again;
- the Celery worker SIGKILLed while it builds an agenda pack: seconds until another
  worker has built it, beside an undisturbed build.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/several_processes.py

Everything runs on this machine and stops by itself: a throwaway database
``test_<NAME>``, a private redis-server, moto's S3 server (the bucket), two gunicorns
(2 sync workers each, production settings as in bench/fault.py), a round-robin proxy
(below: like deploy/nginx.conf, it passes a request to the next process when it
cannot connect, and retries a GET whose process dropped it; never a POST), a Celery
worker and beat, restarted by a supervisor thread when they exit (Docker's
``restart: unless-stopped``). Figures go in docs/operations.md.
"""

import argparse
import http.client
import http.server
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import fault  # bench/fault.py: the throwaway database, sessions, process handling
from fault import HOST, Stack, destroy, page, request, verified_session

from tests.servers import Mailbox, RedisServer, free_port, wait_for

BUCKET = "governance-bench"
S3 = {
    "S3_BUCKET": BUCKET,
    "S3_REGION": "eu-west-2",
    "S3_ACCESS_KEY_ID": "bench",
    "S3_SECRET_ACCESS_KEY": "bench-secret",
}


# --- the proxy -------------------------------------------------------------------------


class RoundRobin:
    """A round-robin HTTP proxy over ``ports``; counts who served what."""

    HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.turn = itertools.count()
        self.served = Counter()
        self.retried = Counter()  # could not connect: passed to the next
        self.resent = Counter()  # dropped after it was sent (GET): sent again
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in proxy.HOP
                }
                status, reply_headers, content = proxy.forward(
                    self.command, self.path, body, headers
                )
                self.send_response(status)
                for name, value in reply_headers:
                    if name.lower() not in proxy.HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_HEAD = handle_one  # noqa: N815

        self.server = http.server.ThreadingHTTPServer((HOST, free_port()), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def forward(self, method, path, body, headers):
        first = next(self.turn)
        for k in range(len(self.ports)):  # this process, then the next one
            port = self.ports[(first + k) % len(self.ports)]
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            sent = False
            try:
                conn.connect()
                sent = True
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                self.served[port] += 1
                return response.status, response.getheaders(), content
            except (OSError, http.client.HTTPException):
                if sent and method not in ("GET", "HEAD"):
                    break  # the process may have acted on it: never resend
                (self.resent if sent else self.retried)[port] += 1
            finally:
                conn.close()
        return 502, [], b"bad gateway"

    def stop(self):
        self.server.shutdown()


# --- the world and the processes -------------------------------------------------------


def prepare() -> dict:
    """A throwaway database with the minutes scenario's board: a meeting whose
    agenda is not yet issued (papers go on), its secretary signed in."""
    world = fault.prepare(rounds=1)
    from meetings.models import Meeting
    from tests.meetings.minutes_scenario import build_scenario

    s = build_scenario()
    Meeting.objects.filter(pk=s.meeting.pk).update(
        status=Meeting.Status.SCHEDULED, agenda_published_at=None
    )
    world["meeting_pk"] = s.meeting.pk
    world["item_pk"] = s.decision.pk
    world["session"] = verified_session(s.secretary)
    return world


class Processes(Stack):
    """Two gunicorns, a worker and beat, all on the bucket; no local media."""

    def __init__(self, world, redis, mailbox, s3_endpoint: str):
        super().__init__(world, redis, mailbox)
        self.media = Path(tempfile.mkdtemp(prefix="several-")) / "media-must-not-exist"
        self.env |= S3 | {"S3_ENDPOINT_URL": s3_endpoint, "MEDIA_ROOT": str(self.media)}
        self.ports = [free_port(), free_port()]
        self.webs: dict[int, subprocess.Popen] = {}

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=fault.ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        for port in self.ports:
            self.start_web(port)
        self.start_worker()
        self.start_beat()
        self.supervise()
        for port in self.ports:
            assert wait_for(lambda p=port: serves(p), 60), f"gunicorn on {port}"

    def start_web(self, port: int) -> None:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.webs[port] = self._spawn(
            [gunicorn, "config.wsgi:application", "--bind", f"{HOST}:{port}"]
            + ["--workers", "2", "--timeout", "30", "--log-level", "warning"],
            f"gunicorn-{port}",
        )

    def kill_web(self, port: int) -> None:
        os.killpg(self.webs[port].pid, signal.SIGKILL)
        self.webs[port].wait(timeout=10)

    def stop(self) -> None:
        for proc in self.webs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.webs.values():
            proc.wait(timeout=30)
        super().stop()


def serves(port: int) -> bool:
    return request(port, "GET", "/healthz", timeout=2)[0] == 200


def multipart(title: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----several-processes"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
            f"{title}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


# --- 1. a paper uploaded to one process, read from the other ---------------------------


def upload(port, world, title, content) -> int:
    body, content_type = multipart(title, f"{title}.pdf", content)
    headers = page(world["session"]) | {"Content-Type": content_type}
    return request(
        port, "POST", f"/meetings/items/{world['item_pk']}/papers/new/", body, headers
    )[0]


def papers(procs, proxy, world, s3, count: int, pages: int) -> dict:
    from meetings.models import Paper
    from tests.documents import blank_pdf

    first, second = procs.ports
    content = blank_pdf(pages)
    status = upload(first, world, "Paper 1", content)
    paper = Paper.objects.get()
    got, seconds, downloaded = request(
        second, "GET", f"/meetings/papers/{paper.pk}/", None, page(world["session"])
    )
    again, seconds_again, _ = request(
        second, "GET", f"/meetings/papers/{paper.pk}/", None, page(world["session"])
    )
    out = {
        "upload to process A: status": status,
        "download from process B: status, seconds": (got, round(seconds, 3)),
        "download from B again: status, seconds": (again, round(seconds_again, 3)),
        "download from B equals the upload": downloaded == content,
    }
    statuses = Counter()
    for n in range(2, count + 1):  # the rest through the proxy, spread over both
        statuses[upload(proxy.port, world, f"Paper {n}", content)] += 1
    keys = s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
    out |= {
        "uploads through the proxy: statuses": dict(statuses),
        "objects in the bucket": keys,
        "papers": Paper.objects.count(),
        "pages per paper": pages,
        "local media directory created": procs.media.exists(),
    }
    return out


# --- 2. one web process killed mid-load ------------------------------------------------


def web_killed(procs, proxy, world, seconds: float, kill_after: float) -> dict:
    """Six clients loop over the meeting page, the paper download and /healthz
    through the proxy; process A is SIGKILLed ``kill_after`` seconds in and started
    again at once, as a process manager would."""
    from meetings.models import Paper

    paper = Paper.objects.order_by("pk").first()
    targets = [
        f"/meetings/{world['meeting_pk']}/",
        f"/meetings/papers/{paper.pk}/",
        "/healthz",
    ]
    results: list[tuple[float, int, str]] = []  # (at, status, path)
    lock = threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds

    def loop(n):
        for i in itertools.count(n):
            if time.monotonic() >= stop_at:
                return
            path = targets[i % len(targets)]
            status, _, _ = request(
                proxy.port, "GET", path, None, page(world["session"]), timeout=30
            )
            with lock:
                results.append((time.monotonic() - started, status, path))

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    time.sleep(kill_after)
    victim = procs.ports[0]
    served_before = proxy.served[victim]
    procs.kill_web(victim)
    killed = time.monotonic() - started
    procs.start_web(victim)
    wait_for(lambda: serves(victim), 60, step=0.05)
    back = time.monotonic() - started
    for t in threads:
        t.join()
    failed = [(at, s, p) for at, s, p in results if not 200 <= s < 400]
    return {
        "requests": len(results),
        "statuses": dict(Counter(s for _, s, _ in results)),
        "requests lost (not 2xx/3xx)": len(failed),
        "failed requests": [f"{s} {p} at +{at - killed:.2f} s" for at, s, p in failed][
            :10
        ],
        "seconds after the kill clients saw errors": round(
            max((at for at, _, _ in failed), default=killed) - killed, 2
        ),
        "refused by A, passed to B by the proxy": sum(proxy.retried.values()),
        "in flight on A when killed, GETs sent again to B": sum(proxy.resent.values()),
        "seconds until the killed process served again": round(back - killed, 2),
        "requests served by A before the kill": served_before,
        "requests served by A after its restart": proxy.served[victim] - served_before,
        "requests served by B": proxy.served[procs.ports[1]],
    }


# --- 3. the worker killed mid-pack -----------------------------------------------------


def pack(proxy, world) -> int:
    status, _, _ = request(
        proxy.port,
        "POST",
        f"/meetings/{world['meeting_pk']}/pack/",
        b"",
        page(world["session"]) | {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 302, status
    from meetings.models import MinutesJob

    return MinutesJob.objects.order_by("-pk").values_list("pk", flat=True).first()


def worker_killed(procs, proxy, world) -> dict:
    from django.utils import timezone

    from meetings.models import Meeting, MinutesJob

    Meeting.objects.filter(pk=world["meeting_pk"]).update(
        status=Meeting.Status.CLOSED, agenda_published_at=timezone.now()
    )

    def state(job_id):
        return MinutesJob.objects.filter(pk=job_id).values_list("state", flat=True)[0]

    # Undisturbed, for comparison.
    asked = time.monotonic()
    job = pack(proxy, world)
    wait_for(lambda: state(job) in ("done", "failed"), 300, step=0.05)
    undisturbed = time.monotonic() - asked
    pages = _pages(job)

    job = pack(proxy, world)
    assert wait_for(lambda: state(job) == "running", 120, step=0.02)
    time.sleep(0.3)  # well into the build
    progress = MinutesJob.objects.filter(pk=job).values_list("progress", "total")[0]
    still_running = state(job) == "running"
    procs.kill_worker()  # the supervisor starts another within a second
    killed = time.monotonic()
    wait_for(lambda: state(job) in ("done", "failed"), 300, step=0.2)
    return {
        "undisturbed pack: seconds from request to done": round(undisturbed, 2),
        "pack pages": pages,
        "killed mid-pack: progress (items done, of)": progress,
        "killed while running": still_running,
        "killed mid-pack: final state": state(job),
        "killed mid-pack: seconds from SIGKILL to the pack built by another worker": (
            round(time.monotonic() - killed, 1)
        ),
        "pages of the rebuilt pack": _pages(job),
        "worker restarts by the supervisor": procs.restarts["worker"],
    }


def _pages(job_id) -> int:
    import io

    from pypdf import PdfReader

    from meetings.models import MinutesJob

    result = MinutesJob.objects.get(pk=job_id).result
    return len(PdfReader(io.BytesIO(bytes(result))).pages) if result else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=12)
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--load-seconds", type=float, default=20)
    parser.add_argument("--kill-after", type=float, default=6)
    args = parser.parse_args()

    import boto3
    from moto.server import ThreadedMotoServer

    signal.signal(signal.SIGTERM, lambda *a: sys.exit("stopped"))
    started = time.monotonic()
    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address=HOST, port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://{HOST}:{s3_port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3["S3_REGION"],
        aws_access_key_id=S3["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3["S3_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    world = prepare()
    redis = RedisServer().start()
    mailbox = Mailbox().start()
    procs = Processes(world, redis, mailbox, endpoint)
    report = {}
    try:
        procs.start()
        proxy = RoundRobin(procs.ports)
        report["paper on A, read on B"] = papers(
            procs, proxy, world, s3, args.papers, args.pages
        )
        report["web process killed mid-load"] = web_killed(
            procs, proxy, world, args.load_seconds, args.kill_after
        )
        report["worker killed mid-pack"] = worker_killed(procs, proxy, world)
        report["local media directory created"] = procs.media.exists()
        proxy.stop()
    finally:
        procs.stop()
        mailbox.stop()
        redis.close()
        moto.stop()
        destroy(world)
    print(json.dumps(report, indent=2, default=str))
    print(f"(run took {time.monotonic() - started:.0f} s; logs in {procs.log_dir})")


if __name__ == "__main__":
    main()
