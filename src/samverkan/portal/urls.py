from django.urls import path

from . import contact_views, plan_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.login, name="login"),
    path("logga-in/e-legitimation/", views.start, name="oidc_start"),
    path("logga-in/svar/", views.callback, name="oidc_callback"),
    path("logga-ut/", views.logout, name="logout"),
    path("meddelanden/", contact_views.contact, name="contact"),
    path("barn/<uuid:child_id>/", views.child, name="child"),
    path("barn/<uuid:child_id>/logg/", views.log_page, name="log"),
    path("barn/<uuid:child_id>/logg/begar/", views.log_request, name="log_request"),
    path("samtycke/<uuid:consent_id>/", views.consent, name="consent"),
    path("samtycke/<uuid:consent_id>/skriv-under/", views.sign, name="sign"),
    path("samtycke/<uuid:consent_id>/inskrank/", views.narrow, name="narrow"),
    path("samtycke/<uuid:consent_id>/aterkalla/", views.revoke, name="revoke"),
    path("plan/<uuid:plan_id>/", plan_views.plan, name="plan"),
    path("plan/<uuid:plan_id>/plan.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("plan/<uuid:plan_id>/svar/", plan_views.answer, name="plan_answer"),
    path("plan/<uuid:plan_id>/viktigt/", plan_views.important, name="plan_important"),
    path(
        "plan/<uuid:plan_id>/uppfoljning/svar/",
        plan_views.follow_up_answer,
        name="plan_follow_up_answer",
    ),
    path(
        "plan/<uuid:plan_id>/uppfoljning/viktigt/",
        plan_views.follow_up_important,
        name="plan_follow_up_important",
    ),
    path("plan/<uuid:plan_id>/egna-ord/", plan_views.own_words, name="plan_own_words"),
]
