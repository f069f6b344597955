from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "samverkan.people"
    label = "people"
    verbose_name = "Barn och vårdnadshavare"

    def ready(self):
        from samverkan.audit import secrecy as audit_secrecy
        from samverkan.audit import subjects

        from . import chronology_views, panels, policies, secrecy, selectors

        policies.register()
        subjects.register(
            lookup=selectors.subject_lookup,
            label=selectors.subject_label,
            labels=selectors.subject_labels,
        )
        audit_secrecy.register(secrecy.extract_flags)
        panels.register(
            panels.Panel(
                key="chronology",
                title=chronology_views.PANEL_TITLE,
                url_name="people:child_chronology",
                order=5,
            )
        )
