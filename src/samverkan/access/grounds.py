"""The named legal grounds an access can rest on. Stored in every audit row; shown to
auditors and, in plain words, to users."""

from django.utils.translation import gettext_lazy

from samverkan.audit import services as audit_services
from samverkan.audit.services import Ground
from samverkan.core.i18n import lazy_format

OWN_MATTER = "own_matter"
LOG_CONTROL = "log_control"
ADMINISTRATION = "administration"
SELF = "self"


def own_matter(involvement_reference: str, organisation_name: str) -> Ground:
    return Ground(
        code=OWN_MATTER,
        label=lazy_format(
            gettext_lazy("Egen verksamhets ärende (%(organisation_name)s)"),
            organisation_name=organisation_name,
        ),
        reference=involvement_reference,
    )


def log_control() -> Ground:
    return audit_services.LOG_CONTROL


def administration() -> Ground:
    return Ground(code=ADMINISTRATION, label=gettext_lazy("Administration av egen organisation"))
