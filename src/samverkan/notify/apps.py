from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "samverkan.notify"
    label = "notify"
    verbose_name = "Aviseringar"
