"""Prometheus metrics (prometheus-client): request latency per route, and the audit
sealer's lag, read from the database at each scrape.

Under ``samverkan serve`` several gunicorn workers share the counts through
prometheus-client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, set by the
command); a single process (the demo, tests) uses the default registry.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUEST_LATENCY = Histogram(
    "samverkan_http_request_duration_seconds",
    "Time from request to response, per route (URL name), method and status class.",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class SealerLagCollector:
    """The audit sealer's lag, asked from the database when Prometheus scrapes."""

    def __init__(self, lag_function):
        self.lag_function = lag_function

    def collect(self):
        lag = self.lag_function()
        unsealed = GaugeMetricFamily(
            "samverkan_audit_unsealed_events",
            "Audit rows written but not yet linked into the hash chain (on PostgreSQL an"
            " upper bound until the sealer's next pass: rolled-back inserts use ids too).",
        )
        unsealed.add_metric([], lag.unsealed)
        seconds = GaugeMetricFamily(
            "samverkan_audit_sealer_lag_seconds",
            "Seconds since the audit sealer last finished a pass, while rows wait to be"
            " linked into the hash chain (0 when none wait).",
        )
        seconds.add_metric([], lag.seconds)
        yield unsealed
        yield seconds


def exposition(lag_function) -> tuple[bytes, str]:
    """The metrics text for one scrape."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
        registry.register(SealerLagCollector(lag_function))
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    registry.register(SealerLagCollector(lag_function))
    return generate_latest(REGISTRY) + generate_latest(registry), CONTENT_TYPE_LATEST
