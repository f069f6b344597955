from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConsentConfig(AppConfig):
    name = "samverkan.consent"
    label = "consent"
    verbose_name = "Samtycke"

    def ready(self):
        from samverkan.access import passing
        from samverkan.people import changes, panels

        from . import checks, chronology, grants, inbox, policies, sharing  # noqa: F401 (checks registers itself)

        policies.register()
        # Every question "may this pass between organisations now?" is asked through
        # access.passing; this app answers it (the consents, grants and legal paths).
        passing.register(decide=sharing.decide_sharing, facts=sharing.ChildFacts.load)
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
