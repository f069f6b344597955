"""Deployment checks of the audit log (`samverkan check --deploy`)."""

from django.core import checks

from . import witness


@checks.register(checks.Tags.security, deploy=True)
def witness_configured(app_configs, **kwargs):
    if witness.configured():
        return []
    return [
        checks.Warning(
            "No witness of the audit chain's head is configured: someone with the database "
            "owner's rights could delete the newest audit rows, or rewrite the log, without "
            "`samverkan audit verify` noticing.",
            hint="Set SAMVERKAN_AUDIT_WITNESS_FILE to an append-only file on another volume "
            "and/or SAMVERKAN_AUDIT_WITNESS_SYSLOG=1 (docs/operations.md, Witnesses).",
            id="samverkan.audit.W001",
        )
    ]
