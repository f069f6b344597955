from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    label = "governance"
    verbose_name = "Styrning och uppföljning"

    def ready(self):
        from . import policies

        policies.register()
