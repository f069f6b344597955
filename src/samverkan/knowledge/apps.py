from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class KnowledgeConfig(AppConfig):
    name = "samverkan.knowledge"
    label = "knowledge"
    verbose_name = "Kunskapsstöd"

    def ready(self):
        from samverkan.people import panels

        panels.register(
            panels.Panel(
                key="factors",
                title=gettext_lazy("Risk- och skyddsfaktorer"),
                url_name="knowledge:child_factors",
                order=50,
            )
        )
