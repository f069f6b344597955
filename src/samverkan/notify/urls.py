from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("antal/", views.count, name="count"),
    path("e-post/", views.preference, name="preference"),
    path("sms/", views.sms_number, name="sms"),
    path("<uuid:item_id>/klar/", views.mark_done, name="mark_done"),
]
