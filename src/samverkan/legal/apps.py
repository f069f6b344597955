from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "samverkan.legal"
    label = "legal"
    verbose_name = "Rättsliga grunder"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from . import chronology, history, organisations

        chronology.register()

        post_migrate.connect(history.record_after_migrate, sender=self)
        post_save.connect(organisations.forget, sender="directory.Organisation", weak=False)
        post_save.connect(organisations.forget_principal, sender="directory.Principal", weak=False)
