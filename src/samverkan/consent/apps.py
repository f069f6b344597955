from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConsentConfig(AppConfig):
    name = "samverkan.consent"
    label = "consent"
    verbose_name = "Samtycke"

    def ready(self):
        from samverkan.people import changes, panels

        from . import checks, chronology, grants, inbox, policies  # noqa: F401 (checks registers itself)

        policies.register()
        chronology.register()
        inbox.register()
        # Facts about a child changed (custody, a matter): recompute its sharing grants
        # in the same transaction (decision 0090).
        changes.register(grants.refresh)
        panels.register(
            panels.Panel(
                key="consent",
                title=gettext_lazy("Samtycken och aktörer"),
                url_name="consent:child_consents",
                order=10,
            )
        )
