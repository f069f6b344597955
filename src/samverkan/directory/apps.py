from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "samverkan.directory"
    label = "directory"
    verbose_name = "Katalog"
