from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "samverkan.governance"
    label = "governance"
    verbose_name = "Styrning och uppföljning"

    def ready(self):
        # surveys and survey_occasions connect their signal receivers when imported.
        from . import policies, survey_occasions, survey_retention, surveys  # noqa: F401

        policies.register()
        survey_occasions.register()
        survey_retention.register()
