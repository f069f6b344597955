from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class HandoverConfig(AppConfig):
    name = "samverkan.handover"
    label = "handover"
    verbose_name = "Överlämning"

    def ready(self):
        from samverkan.people import panels

        from . import family, inbox, kinds, policies, retention

        kinds.load()  # a broken data file stops the start, not the first handover
        policies.register()
        family.register()
        inbox.register()
        retention.register()
        panels.register(
            panels.Panel(
                key="handover",
                title=gettext_lazy("Överlämning när barnet flyttar"),
                url_name="handover:child_handovers",
                order=60,
            )
        )
