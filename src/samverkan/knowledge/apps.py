from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "samverkan.knowledge"
    label = "knowledge"
    verbose_name = "Kunskapsstöd"
