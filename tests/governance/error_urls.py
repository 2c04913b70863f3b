"""The project's URLconf plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns


def forbidden(request):
    raise PermissionDenied("Only the chair authorises late circulation.")


def forbidden_silently(request):
    raise PermissionDenied


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("errors/forbidden/", forbidden),
    path("errors/forbidden-silently/", forbidden_silently),
    path("errors/crash/", crash),
    path("api/v1/errors/forbidden/", forbidden),
    path("api/v1/errors/crash/", crash),
    *urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
