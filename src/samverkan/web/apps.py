from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "samverkan.web"
    label = "web"
    verbose_name = "Webbgränssnitt"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import twofactor

        # Whatever logs a session in, it records then what the second factor asks of it
        # (session bookkeeping, like django-otp's own handler on the same signal).
        user_logged_in.connect(twofactor.record_state_at_login, dispatch_uid="samverkan-2fa")
