from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ConcernsConfig(AppConfig):
    name = "samverkan.concerns"
    label = "concerns"
    verbose_name = "Orosanmälan"

    def ready(self):
        from samverkan.audit import secrecy as audit_secrecy
        from samverkan.consent import sharing
        from samverkan.knowledge import tagging
        from samverkan.people import panels

        from . import chronology, inbox, legal, policies, retention, secrecy, selectors

        policies.register()
        chronology.register()
        inbox.register()
        retention.register()
        audit_secrecy.register(secrecy.extract_flags)
        tagging.register_target_type(
            "concerns.report",
            label=gettext_lazy("Orosanmälan"),
            authorize=selectors.tag_authorize,
            visible_for_child=selectors.tag_visible_for_child,
        )
        sharing.register_legal_path(legal.duty_to_report_path)
        sharing.register_legal_path(legal.feedback_whitelist_path)
        sharing.register_legal_path(legal.feedback_statutory_path)
        panels.register(
            panels.Panel(
                key="concerns",
                title=gettext_lazy("Orosanmälningar"),
                url_name="concerns:child_panel",
                order=20,
            )
        )
