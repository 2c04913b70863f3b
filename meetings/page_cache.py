"""The rendered meeting page and its polled panels, cached under the meeting's and
its board's versions (issue 17; the versions are ``meetings/versions.py``).

A key names the meeting, both versions, the user (a page shows the user's own
buttons, seats and votes) and the database (a database restored from a backup
counts its versions again from older numbers). What a page shows also moves with
the clock: a seat counts from its recorded arrival until its departure, and an
action is overdue from its date; so each entry carries the moment it stops being
true (the next recorded arrival or departure still to come, the next midnight, at
most ``PAGE_CACHE_SECONDS`` ahead) and is a miss from then on.

Nothing secret or per request is stored: the CSRF token and the "updated at" time
are rendered as markers and filled in for each request (``fill``)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone

CSRF_MARK = "@@csrf-token@@"
NOW_MARK = "@@now-hms@@"
# Markers the cached fragment is rendered with, instead of per-request values.
RENDER_WITH = {"csrf_token": CSRF_MARK, "updated_at": NOW_MARK}

_database_id: str | None = None


def database_id() -> str:
    """The database's identity (its OID on PostgreSQL), read once per process."""
    global _database_id
    if _database_id is None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT oid FROM pg_database WHERE datname = current_database()"
                )
                _database_id = str(cursor.fetchone()[0])
        else:
            _database_id = connection.settings_dict["NAME"]
    return _database_id


def key(part: str, meeting, user, vary: str = "") -> str:
    """The cache key of one rendered part of ``meeting``'s pages for ``user``;
    ``meeting`` read with its board (``select_related``), so no query. ``vary``:
    whatever else of the request the part draws (the user's allowed actions)."""
    return (
        f"meeting-page:{database_id()}:{part}:{meeting.pk}.{meeting.cache_version}"
        f":{meeting.board.cache_version}:{getattr(user, 'pk', None) or 0}:{vary}"
    )


def vary(user, allowed) -> str:
    """What else of the user a cached page draws, read without a query: their
    role (an administrator or auditor reads everything) and what the permissions
    let them do here (the actions the buttons offer)."""
    return ",".join([getattr(user, "role", "") or "", *allowed])


def etag(meeting, user, *extra) -> str:
    """A validator for a polled panel: the versions and the user, and whatever
    else the request asked for (``extra``)."""
    parts = [
        meeting.pk,
        meeting.cache_version,
        meeting.board.cache_version,
        user.pk,
        *extra,
    ]
    return '"' + ".".join(str(p) for p in parts) + '"'


def valid_until(moments, now: datetime | None = None) -> datetime:
    """When a page drawn ``now`` stops being true: the first of ``moments`` (the
    recorded arrivals and departures) still to come, the next local midnight, or
    ``PAGE_CACHE_SECONDS`` from now, whichever comes first."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    midnight = timezone.make_aware(
        datetime.combine(local.date() + timedelta(days=1), datetime.min.time()),
        local.tzinfo,
    )
    later = [m for m in moments if m is not None and m > now]
    return min([now + timedelta(seconds=settings.PAGE_CACHE_SECONDS), midnight, *later])


def get(cache_key: str) -> str | None:
    """The stored fragment, or None when missing or past its moment."""
    entry = cache.get(cache_key)
    if not entry:
        return None
    html, until = entry
    if timezone.now() >= until:
        return None
    return html


def put(cache_key: str, html: str, until: datetime) -> None:
    seconds = (until - timezone.now()).total_seconds()
    if seconds >= 1:
        cache.set(cache_key, (html, until), int(seconds))


def fill(html: str, request) -> str:
    """The fragment for this request: its CSRF token and the time now."""
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    if NOW_MARK in html:
        html = html.replace(NOW_MARK, timezone.localtime().strftime("%H:%M:%S"))
    return html


def _validity_key(tag: str) -> str:
    return f"meeting-etag:{database_id()}:{tag}"


def not_modified(request, tag: str):
    """A 304 answer when the client's copy (``If-None-Match``) is ``tag`` and the
    panel it names is still true now; None otherwise (draw the panel)."""
    if request.headers.get("If-None-Match", "") != tag:
        return None
    entry = cache.get(_validity_key(tag))
    if not entry or timezone.now() >= entry:
        return None
    response = HttpResponseNotModified()
    _headers(response, tag)
    return response


def validated(response, tag: str, until: datetime):
    """``response`` with its validator, remembered until ``until``."""
    seconds = (until - timezone.now()).total_seconds()
    if seconds >= 1:
        cache.set(_validity_key(tag), until, int(seconds))
    _headers(response, tag)
    return response


def _headers(response, tag: str) -> None:
    response["ETag"] = tag
    # Kept by the browser, asked again each time (the browser then sends the ETag).
    response["Cache-Control"] = "private, no-cache"
