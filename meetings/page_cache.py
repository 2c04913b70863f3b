"""The rendered meeting pages and their polled panels, cached under the meeting's
and its board's versions (issue 17; the versions are ``meetings/versions.py``).

A page is stored whole (``respond``: the base template with the user's navigation
included), so an unchanged page costs the permission's read and a cache read. The
cache has two levels: this process's memory first (``caches["local"]``, bounded),
then the shared cache (Redis in production). Every key names the versions read
from the database in the same request, so an entry in one process's memory can
never outlive a change made in another: the change moves the key. With Redis down
(its circuit breaker open) pages are still served from the process's memory.

A key names the meeting, both versions, the user (a page shows the user's own
buttons, seats and votes) and the database (a database restored from a backup
counts its versions again from older numbers). What a page shows also moves with
the clock: a seat counts from its recorded arrival until its departure, and an
action is overdue from its date; so each entry carries the moment it stops being
true (the next recorded arrival or departure still to come, the next midnight, at
most ``PAGE_CACHE_SECONDS`` ahead) and is a miss from then on.

Nothing secret or per request is stored: the CSRF token and the "updated at" time
are rendered as markers and filled in for each request (``fill``); a page drawn
with messages for the user (shown once) is neither served from nor stored in the
cache."""

import zlib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone

from governance.cache import database_id

CSRF_MARK = "@@csrf-token@@"
NOW_MARK = "@@now-hms@@"
# Markers the cached fragment is rendered with, instead of per-request values.
RENDER_WITH = {"csrf_token": CSRF_MARK, "updated_at": NOW_MARK}


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
    role (an administrator or auditor reads everything), their name (in the
    navigation) and what the permissions let them do here (the actions the
    buttons offer)."""
    name = zlib.crc32((getattr(user, "name", "") or "").encode())
    return ",".join([getattr(user, "role", "") or "", f"{name:x}", *allowed])


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


def levels() -> tuple:
    """This process's memory, then the shared cache (one level when the shared
    cache is itself this process's memory, as without Redis)."""
    local, shared = caches["local"], caches["default"]
    return (local,) if isinstance(shared, LocMemCache) else (local, shared)


def _read(cache_key: str):
    """An entry ``(value, until)`` still true now, from the nearest level that
    has it (copied into this process's memory when it came from the shared
    cache); None otherwise."""
    found = levels()
    for level, cache in enumerate(found):
        entry = cache.get(cache_key)
        if entry and timezone.now() < entry[1]:
            if level:
                _write(found[:level], cache_key, entry)
            return entry
    return None


def _write(caches_, cache_key: str, entry) -> None:
    seconds = (entry[1] - timezone.now()).total_seconds()
    if seconds >= 1:
        for cache in caches_:
            cache.set(cache_key, entry, int(seconds))


def get(cache_key: str):
    """The stored value, or None when missing or past its moment."""
    entry = _read(cache_key)
    return entry[0] if entry else None


def put(cache_key: str, value, until: datetime) -> None:
    """Store ``value`` at every level until ``until``."""
    _write(levels(), cache_key, (value, until))


def respond(
    request, part: str, meeting, vary_: str, draw: Callable[[], tuple]
) -> HttpResponse:
    """The page ``part`` of ``meeting`` for this user: from the cache when it is
    there, else ``draw()`` (returning the response, rendered with ``RENDER_WITH``
    in its context, and the moment it stops being true), stored for next time."""
    # Messages are shown once: a page drawn with them is neither read nor kept.
    quiet = not len(messages.get_messages(request))
    cache_key = key(part, meeting, request.user, vary_)
    html = get(cache_key) if quiet else None
    if html is not None:
        return HttpResponse(fill(html, request))
    response, until = draw()
    html = response.content.decode()
    if quiet and response.status_code == 200:
        put(cache_key, html, until)
    response.content = fill(html, request)
    return response


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
    if _read(_validity_key(tag)) is None:
        return None
    response = HttpResponseNotModified()
    _headers(response, tag)
    return response


def validated(response, tag: str, until: datetime):
    """``response`` with its validator, remembered until ``until``."""
    put(_validity_key(tag), True, until)
    _headers(response, tag)
    return response


def _headers(response, tag: str) -> None:
    response["ETag"] = tag
    # Kept by the browser, asked again each time (the browser then sends the ETag).
    response["Cache-Control"] = "private, no-cache"
