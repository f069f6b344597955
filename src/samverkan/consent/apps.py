from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "samverkan.consent"
    label = "consent"
    verbose_name = "Samtycke"

    def ready(self):
        from . import policies

        policies.register()
