from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samverkan.audit"
    label = "audit"
    verbose_name = "Logg"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
