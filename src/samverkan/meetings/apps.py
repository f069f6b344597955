from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "samverkan.meetings"
    label = "meetings"
    verbose_name = "Samverkansforum"

    def ready(self):
        from . import chronology, inbox, policies, retention

        chronology.register()
        inbox.register()
        policies.register()
        retention.register()
