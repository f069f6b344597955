from django.urls import include, path

from samverkan.web.operations import healthz, metrics_view

from .api import api

# Swedish error pages in the site's layout, with the request id (web/errors.py).
handler400 = "samverkan.web.errors.bad_request"
handler403 = "samverkan.web.errors.permission_denied"
handler404 = "samverkan.web.errors.page_not_found"
handler500 = "samverkan.web.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("barn/", include("samverkan.people.urls")),
    path("samtycken/", include("samverkan.consent.urls")),
    path("anmalan/", include("samverkan.concerns.urls")),
    path("sip/", include("samverkan.plans.urls")),
    path("katalog/", include("samverkan.directory.urls")),
    path("administration/gallring/", include("samverkan.retention.urls")),
    path("administration/", include("samverkan.directory.admin_urls")),
    path("kunskap/", include("samverkan.knowledge.urls")),
    path("rattsliga-grunder/", include("samverkan.legal.urls")),
    path("overlamningar/", include("samverkan.handover.urls")),
    path("forum/", include("samverkan.meetings.urls")),
    path("avtal/", include("samverkan.governance.urls")),
    path("strategi/", include("samverkan.governance.plan_urls")),
    path("logg/", include("samverkan.audit.urls")),
    path("inkorg/", include("samverkan.notify.urls")),
    path("familj/", include("samverkan.portal.urls")),
    path("", include("samverkan.web.urls")),
]
