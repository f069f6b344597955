from django.urls import path

from . import judgement, views

app_name = "consent"

urlpatterns = [
    path("barn/<uuid:child_id>/", views.child_consents, name="child_consents"),
    path("barn/<uuid:child_id>/nytt/", views.give, name="give"),
    path(
        "barn/<uuid:child_id>/kan-jag-lamna-ut/",
        judgement.can_i_disclose,
        name="can_i_disclose",
    ),
    path("<uuid:consent_id>/", views.detail, name="detail"),
    path("<uuid:consent_id>/underskrift/", views.sign, name="sign"),
    path("<uuid:consent_id>/aterkalla/", views.revoke, name="revoke"),
    path("<uuid:consent_id>/formular.pdf", views.form_pdf, name="form_pdf"),
]
