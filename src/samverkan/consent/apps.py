from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "samverkan.consent"
    label = "consent"
    verbose_name = "Samtycke"

    def ready(self):
        from samverkan.people import panels

        from . import policies

        policies.register()
        panels.register(
            panels.Panel(
                key="consent",
                title="Samtycken och aktörer",
                url_name="consent:child_consents",
                order=10,
            )
        )
