from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kontaktfunktion/<uuid:public_id>/", views.contact_function, name="contact_function"),
]
