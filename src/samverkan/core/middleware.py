import re
import time
import uuid

import structlog

from . import clientip, metrics, request_context

log = structlog.get_logger("samverkan.request")

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (taken from X-Request-ID when a trusted proxy sets a
    well-formed one), makes it available to the audit writer and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else str(uuid.uuid4())
        request.request_id = request_id
        token = request_context.activate(
            request_context.RequestContext(
                request_id=request_id, ip_address=clientip.client_ip(request.META)
            )
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.deactivate(token)
        response["X-Request-ID"] = request_id
        return response


class RequestLogMiddleware:
    """One log line and one latency observation per request, by route name (the URL
    pattern's name, e.g. ``people:child_detail``), method and status: never the path
    or query string, which could hold a personnummer or a search term. Static files
    (served before this by WhiteNoise) are not counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else "") or "unmatched"
        status = response.status_code
        metrics.REQUEST_LATENCY.labels(
            route=route, method=request.method, status=f"{status // 100}xx"
        ).observe(elapsed)
        if route not in _QUIET_ROUTES:
            log.info(
                "request",
                route=route,
                method=request.method,
                status=status,
                duration_ms=round(elapsed * 1000, 1),
            )
        return response


# Probes every few seconds: counted in the metrics, not written to the log.
_QUIET_ROUTES = frozenset({"healthz", "metrics"})
