"""System check (run by ``samverkan migrate`` and ``samverkan check --database default``):
sharing grants computed with another age threshold than the configured one."""

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.database)
def grants_match_the_age_threshold(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from . import grants

    try:
        stale = grants.stale_count()
    except DatabaseError:  # not migrated yet
        return []
    if not stale:
        return []
    return [
        checks.Warning(
            f"{stale} sharing grants were computed with another "
            "SAMVERKAN_CONSENT_CHILD_OWN_AGE than the configured one and are ignored "
            "(lists no longer show children seen on a consent).",
            hint="Run 'samverkan sharing_grants rebuild'.",
            id="consent.W001",
        )
    ]
