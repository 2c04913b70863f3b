"""Health endpoints for load balancers and Docker's HEALTHCHECK.

``/healthz`` (liveness): the process answers; no database, no session, no login.

``/readyz`` (readiness): this process can serve: PostgreSQL answers, every
migration is applied (migrations run as a one-off job, never on web start, so a
new release waits here until they have), Redis answers (when ``REDIS_URL`` is
set) and the file storage answers. 200 or 503, with each check in the JSON body;
each check is bounded by its own timeout, so the answer comes within seconds
whatever is down.

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``, before
the HTTPS redirect and before the Host header is checked against ALLOWED_HOSTS: a
balancer probes each node over plain HTTP by its address (issue 14: ``/healthz``
answered 301, which a balancer's check counts as down). The answers say nothing
but the status.
"""

import logging

from django.conf import settings
from django.http import JsonResponse

log = logging.getLogger(__name__)
_migrations_applied = False  # once true, true for the life of this process


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    _migrations_applied = True


def _redis() -> None:
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
    )
    try:
        client.ping()
    finally:
        client.close()


def _storage() -> None:
    from django.core.files.storage import default_storage

    default_storage.exists("readyz-probe")


def readiness() -> tuple[int, dict]:
    checks = {"database": _database, "migrations": _migrations, "storage": _storage}
    if settings.REDIS_URL:
        checks["redis"] = _redis
    results = {}
    for name, check in checks.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "unknown"
            continue
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            log.warning("readyz: %s failed: %s", name, exc)
            results[name] = f"failed: {type(exc).__name__}"
        else:
            results[name] = "ok"
    ready = all(value == "ok" for value in results.values())
    status = {"status": "ok" if ready else "unavailable", "checks": results}
    return (200 if ready else 503), status


def readyz(request) -> JsonResponse:
    status, body = readiness()
    return JsonResponse(body, status=status)


class HealthCheckMiddleware:
    """Answers GET/HEAD on the health paths itself; anything else goes on."""

    VIEWS = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
