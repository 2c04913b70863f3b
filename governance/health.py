"""Health endpoints for load balancers and Docker's HEALTHCHECK.

``/healthz`` (liveness): the process answers; no database, no session, no login.

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``, before
the HTTPS redirect and before the Host header is checked against ALLOWED_HOSTS: a
balancer probes each node over plain HTTP by its address (issue 14: ``/healthz``
answered 301, which a balancer's check counts as down). The answers say nothing
but the status.
"""

from django.http import JsonResponse


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


class HealthCheckMiddleware:
    """Answers GET/HEAD on the health paths itself; anything else goes on."""

    VIEWS = {"/healthz": healthz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
