"""Endpoints for the people who run the service: ``/healthz`` for load balancers and
monitoring, ``/metrics`` for Prometheus."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samverkan.audit.lag import sealer_lag
from samverkan.core import metrics


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers). Also reports
    how far the audit sealer is behind: a stopped sealer does not make the web process
    unhealthy (nothing is lost, rows wait), but monitoring should alert on it
    (``sealer`` is ``"behind"`` past ``SAMVERKAN["SEALER_LAG_ALERT_SECONDS"]``).

    One single-row query, which both proves that the database answers and reads the
    sealer's lag (audit/lag.py, decision 0371): its cost does not grow with the log,
    its month partitions or the sealer's backlog."""
    try:
        lag = sealer_lag()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    behind = lag.seconds > settings.SAMVERKAN["SEALER_LAG_ALERT_SECONDS"]
    return JsonResponse(
        {
            "status": "ok",
            "audit_sealer": {
                "state": "behind" if behind else "ok",
                "unsealed": lag.unsealed,
                "lag_seconds": lag.seconds,
            },
        }
    )


def _authorised(request) -> bool:
    token = settings.SAMVERKAN["METRICS_TOKEN"]
    if not token:
        return False
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus exposition. Needs ``Authorization: Bearer $SAMVERKAN_METRICS_TOKEN``;
    without a configured token the endpoint does not exist (404)."""
    if not _authorised(request):
        if not settings.SAMVERKAN["METRICS_TOKEN"]:
            raise Http404
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = metrics.exposition(sealer_lag)
    return HttpResponse(body, content_type=content_type)
