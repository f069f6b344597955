from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samverkan.core"
    label = "core"
    verbose_name = "Kärna"

    def ready(self):
        from . import checks, formmessages, logs  # noqa: F401  (checks register themselves)

        logs.configure()
        formmessages.install()
