from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PlansConfig(AppConfig):
    name = "samverkan.plans"
    label = "plans"
    verbose_name = "SIP – samordnad individuell plan"

    def ready(self):
        from samverkan.knowledge import tagging
        from samverkan.people import panels

        from . import chronology, family, inbox, policies, selectors

        policies.register()
        family.register()
        chronology.register()
        inbox.register()
        tagging.register_target_type(
            "plans.plan",
            label="SIP",
            authorize=selectors.tag_authorize,
            visible_for_child=selectors.tag_visible_for_child,
        )
        panels.register(
            panels.Panel(
                key="plans",
                title=gettext_lazy("SIP och andra planer"),
                url_name="plans:child_plans",
                order=30,
            )
        )
