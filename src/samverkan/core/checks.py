"""Deployment checks of the core (`samverkan check --deploy`)."""

from django.conf import settings
from django.core import checks

# Caches whose counts every web process shares, atomically (decision 0170).
SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}


@checks.register(checks.Tags.security, deploy=True)
def shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get(settings.RATELIMIT_USE_CACHE, {}).get("BACKEND", "")
    if backend in SHARED_CACHES:
        return []
    return [
        checks.Warning(
            "The abuse limits (API, public report form, failed logins per address) are "
            f"counted in {backend or 'no cache'}, which the web processes do not share: "
            "each process counts on its own, so the limits are several times higher.",
            hint="Set SAMVERKAN_CACHE_URL, e.g. redis://127.0.0.1:6379/0 "
            "(docs/operations.md, Abuse limits).",
            id="samverkan.core.W010",
        )
    ]
