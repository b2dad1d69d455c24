from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import origin


class AuditOriginMiddleware:
    """Makes the request's address available to `audit_record` for the request's length.

    The address is REMOTE_ADDR: behind a proxy, the proxy must set it (gunicorn's
    `--forwarded-allow-ips` with the proxy's address), never a header a client can forge.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        via = "api" if request.path.startswith("/api/") else "web"
        with origin(ip=request.META.get("REMOTE_ADDR") or None, via=via):
            return self.get_response(request)
