"""The 403, 404 and 500 answers (``handler403``/``handler404``/``handler500`` in
``config/urls.py``). Under ``/api/`` they are JSON with ``detail`` (an API client
never gets an HTML page, an unknown path included); elsewhere a styled page that
says why (the ``PermissionDenied`` message, where one is given) and where to go.

The 500 page is rendered without the request's context processors and touches
neither the database nor the session: whatever broke may be the database."""

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import Context, loader

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _reason(exception, default: str) -> str:
    """The message a view gave with its ``PermissionDenied``; the default when it
    gave none."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return str(message).strip() or default


def permission_denied(request, exception=None):
    reason = _reason(exception, "You do not have permission to do that.")
    if is_api(request):
        return JsonResponse({"detail": reason}, status=403)
    return render(
        request, "403.html", {"reason": reason, "next": request.path}, status=403
    )


def page_not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", {"next": request.path}, status=404)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    try:
        # No context processors (they query) and no request context: a plain
        # Context renders base.html without the signed-in navigation.
        template = loader.get_template("500.html").template
        html = template.render(Context({"STATIC_URL": settings.STATIC_URL}))
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        html = (
            "<!doctype html><title>Server error</title><h1>Something went wrong"
            "</h1><p>Please try again in a few minutes.</p>"
        )
    return HttpResponseServerError(html)
