from django.urls import path

from . import chronology_views, views

app_name = "people"

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("registrera/", views.child_register, name="child_register"),
    path("<uuid:public_id>/", views.child_detail, name="child_detail"),
    path(
        "<uuid:public_id>/kronologi/",
        chronology_views.child_chronology,
        name="child_chronology",
    ),
    path("<uuid:public_id>/vardnadshavare/", views.guardian_add, name="guardian_add"),
    # The overview's forms, loaded when opened (decision 0094).
    path(
        "<uuid:public_id>/formular/inskrivning/",
        views.child_form,
        {"name": "enrolment"},
        name="form_enrolment",
    ),
    path(
        "<uuid:public_id>/formular/vardnadshavare/",
        views.child_form,
        {"name": "guardian_add"},
        name="form_guardian_add",
    ),
    path(
        "<uuid:public_id>/formular/vardnadshavare/<uuid:guardian_id>/",
        views.child_form,
        {"name": "guardian"},
        name="form_guardian",
    ),
    path(
        "<uuid:public_id>/formular/arende/<uuid:involvement_id>/<slug:kind>/",
        views.child_form,
        {"name": "involvement"},
        name="form_involvement",
    ),
    path(
        "<uuid:public_id>/vardnadshavare/folkbokforing/",
        views.guardians_from_register,
        name="guardians_from_register",
    ),
    path(
        "<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/ratta/",
        views.guardian_correct,
        name="guardian_correct",
    ),
    path(
        "<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/avsluta/",
        views.custody_end,
        name="custody_end",
    ),
    path(
        "<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/ersatt/",
        views.guardian_replace,
        name="guardian_replace",
    ),
    path(
        "<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/",
        views.eidas_link,
        name="eidas_link",
    ),
    path(
        "<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/<uuid:link_id>/ta-bort/",
        views.eidas_revoke,
        name="eidas_revoke",
    ),
    path("<uuid:public_id>/inskrivning/", views.enrolment_add, name="enrolment_add"),
    path(
        "<uuid:public_id>/arende/<uuid:involvement_id>/skyddade-uppgifter/",
        views.protected_need,
        name="protected_need",
    ),
    path(
        "<uuid:public_id>/arende/<uuid:involvement_id>/karaktar/",
        views.involvement_context,
        name="involvement_context",
    ),
    path(
        "<uuid:public_id>/arende/<uuid:involvement_id>/avsluta/",
        views.involvement_end,
        name="involvement_end",
    ),
]
