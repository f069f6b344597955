from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    label = "governance"
    verbose_name = "Styrning och uppföljning"

    def ready(self):
        from . import policies, surveys  # noqa: F401 (surveys connects its receiver)

        policies.register()
