"""Cross-cutting request guards."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as _Base
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse

# Paths an auditor may still POST to: signing out and changing their own password
# or second factor do not touch the record.
AUDITOR_WRITE_ALLOWED = ("/accounts/",)


class LoginRequiredMiddleware(_Base):
    """Every page requires login (Django's middleware), except the API, which
    answers 401/403 itself so token clients are not redirected to a login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class AuditorReadOnlyMiddleware:
    """Auditors read everything and change nothing: any unsafe method is refused
    before a view runs. Views check their own rules as well; this is the backstop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and user is not None
            and user.is_authenticated
            and getattr(user, "is_auditor", False)
            and not request.path.startswith(AUDITOR_WRITE_ALLOWED)
        ):
            raise PermissionDenied("Auditors have read-only access.")
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """Refuse (400) a request whose query string or form fields hold a NUL character.

    PostgreSQL cannot store or compare NUL in text, so such a value reaching a
    filter would be a 500 (found by schemathesis, issue 8). Django's form fields
    already refuse NUL; this covers query parameters read directly by views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Null characters are not allowed."}, status=400
                )
            return HttpResponseBadRequest("Null characters are not allowed.")
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """Refuse (400) a request whose declared body is larger than the app ever
    accepts, before anything reads it: an upload form at most the largest paper or
    return file plus the form around it (``MAX_UPLOAD_REQUEST_BYTES``), any other
    body ``DATA_UPLOAD_MAX_MEMORY_SIZE``. The WSGI stream never yields more than
    the declared length, so this bounds what a view can be made to read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = (
            settings.MAX_UPLOAD_REQUEST_BYTES
            if multipart
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if length < 0 or (limit is not None and length > limit):
            message = (
                f"The request body is too large (at most {limit:,} bytes)."
                if length >= 0
                else "The Content-Length header is not a number."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
