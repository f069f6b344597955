from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    path("barn/", views.subject_log, name="subject_log"),
    path("anvandare/", views.user_log, name="user_log"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("utdrag/", views.guardian_extract, name="guardian_extract"),
    path("utdrag/<uuid:public_id>/", views.extract_review, name="extract"),
    path("utdrag/<uuid:public_id>/utskrift/", views.extract_print, name="extract_print"),
]
