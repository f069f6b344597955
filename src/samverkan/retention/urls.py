from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.holds, name="holds"),
    path("sparr/<uuid:public_id>/hav/", views.hold_release, name="hold_release"),
]
