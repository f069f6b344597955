from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "samverkan.portal"
    label = "portal"
    verbose_name = "Familjens e-tjänst"

    def ready(self):
        from . import extracts, notices

        extracts.register()
        notices.register()
