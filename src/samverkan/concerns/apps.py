from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "samverkan.concerns"
    label = "concerns"
    verbose_name = "Orosanmälan"

    def ready(self):
        from samverkan.consent import sharing
        from samverkan.people import panels

        from . import legal, policies

        policies.register()
        sharing.register_legal_path(legal.duty_to_report_path)
        sharing.register_legal_path(legal.feedback_whitelist_path)
        panels.register(
            panels.Panel(
                key="concerns",
                title="Orosanmälningar",
                url_name="concerns:child_panel",
                order=20,
            )
        )
