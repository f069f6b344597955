"""The named legal grounds an access can rest on. Stored in every audit row; shown to
auditors and, in plain words, to users."""

from samverkan.audit import services as audit_services
from samverkan.audit.services import Ground

OWN_MATTER = "own_matter"
LOG_CONTROL = "log_control"
ADMINISTRATION = "administration"
SELF = "self"


def own_matter(involvement_reference: str, organisation_name: str) -> Ground:
    return Ground(
        code=OWN_MATTER,
        label=f"Egen verksamhets ärende ({organisation_name})",
        reference=involvement_reference,
    )


def log_control() -> Ground:
    return audit_services.LOG_CONTROL


def administration() -> Ground:
    return Ground(code=ADMINISTRATION, label="Administration av egen organisation")
