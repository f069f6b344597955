from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "samverkan.web"
    label = "web"
    verbose_name = "Webbgränssnitt"
