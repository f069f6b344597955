from django.urls import path

from . import admin_contact_views, admin_import_views, admin_staff_views
from . import admin_views as views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("huvudman/ny/", views.principal_edit, name="principal_new"),
    path("huvudman/<uuid:public_id>/", views.principal_edit, name="principal_edit"),
    path("organisation/ny/", views.organisation_edit, name="organisation_new"),
    path("organisation/<uuid:public_id>/", views.organisation, name="organisation"),
    path("organisation/<uuid:public_id>/andra/", views.organisation_edit, name="organisation_edit"),
    path("organisation/<uuid:public_id>/enhet/ny/", views.unit_edit, name="unit_new"),
    path("organisation/<uuid:public_id>/enhet/<uuid:unit_id>/", views.unit_edit, name="unit_edit"),
    path("organisation/<uuid:public_id>/funktion/ny/", views.function_edit, name="function_new"),
    path(
        "organisation/<uuid:public_id>/funktion/<slug:code>/",
        views.function_edit,
        name="function_edit",
    ),
    path(
        "organisation/<uuid:public_id>/personal/ny/", admin_staff_views.staff_new, name="staff_new"
    ),
    path(
        "organisation/<uuid:public_id>/personal/<uuid:membership_id>/",
        admin_staff_views.staff_edit,
        name="staff_edit",
    ),
    path(
        "organisation/<uuid:public_id>/personal/<uuid:membership_id>/avsluta/",
        admin_staff_views.staff_deactivate,
        name="staff_deactivate",
    ),
    path(
        "organisation/<uuid:public_id>/personal/<uuid:membership_id>/losenord/",
        admin_staff_views.staff_password,
        name="staff_password",
    ),
    path(
        "organisation/<uuid:public_id>/kontaktfunktion/ny/",
        admin_contact_views.contact_function_edit,
        name="contact_function_new",
    ),
    path(
        "organisation/<uuid:public_id>/kontaktfunktion/<uuid:cf_id>/",
        admin_contact_views.contact_function,
        name="contact_function",
    ),
    path(
        "organisation/<uuid:public_id>/kontaktfunktion/<uuid:cf_id>/andra/",
        admin_contact_views.contact_function_edit,
        name="contact_function_edit",
    ),
    path("import/", admin_import_views.import_page, name="import"),
    path("export/<slug:kind>.<slug:file_format>", admin_import_views.export, name="export"),
]
